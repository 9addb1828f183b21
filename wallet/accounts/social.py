"""Social sign-in with python-social-auth (social-core 7): our Flask strategy and backends.

``social-auth-app-flask`` is abandoned and fails with social-core 6 and later, so the wallet has
its own small strategy (Flask's request and session) and storage (``social_storage``). The
backends are social-core's, with one change: they make their HTTP calls through
``wallet.http.HttpClient`` (SSRF guard, timeouts, size caps) instead of ``requests`` directly.
A provider is offered when its client id is configured (``Config.social_providers``).
"""

from __future__ import annotations

import typing as t

import requests
from flask import current_app
from flask import redirect
from flask import render_template
from flask import render_template_string
from flask import request
from flask import session
from social_core.backends.github import GithubOAuth2
from social_core.backends.google import GoogleOAuth2
from social_core.backends.linkedin import LinkedinOpenIdConnect
from social_core.backends.microsoft import MicrosoftOAuth2
from social_core.exceptions import AuthConfigurationError
from social_core.exceptions import AuthProviderError
from social_core.strategy import BaseStrategy
from social_core.strategy import BaseTemplateStrategy
from social_core.utils import build_absolute_uri
from werkzeug.wrappers import Response

from wallet.accounts.social_storage import storage_for
from wallet.http import JSON_MAX_BYTES
from wallet.http import FetchError
from wallet.http import HTTPStatusError

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.config import Config
    from wallet.config import SocialProvider
    from wallet.http import HttpClient

#: What each provider is called on buttons and in settings.
PROVIDER_NAMES = {
    "linkedin-openidconnect": "LinkedIn",
    "google-oauth2": "Google",
    "github": "GitHub",
    "microsoft-graph": "Microsoft",
}

#: Our pipeline: social-core's steps, with our own rule for choosing or creating the earner
#: (``social_service.link_or_create``) in place of username making, user creation and the
#: risky ``associate_by_email``; no step keeps provider tokens.
PIPELINE = (
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_names",
    "social_core.pipeline.social_auth.social_uid",
    "social_core.pipeline.social_auth.auth_allowed",
    "social_core.pipeline.social_auth.social_user",
    "wallet.accounts.social_service.link_or_create",
    "social_core.pipeline.social_auth.associate_user",
    "wallet.accounts.social_service.remember_details",
)


class WalletTransport:
    """Make a backend's HTTP calls through the wallet's one outbound client."""

    strategy: t.Any

    def request(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: t.Mapping[str, t.Any] | None = None,
        data: t.Any = None,
        json: t.Any = None,
        auth: t.Any = None,
        params: t.Any = None,
        timeout: float | None = None,
        stage: t.Any = "user_info",
    ) -> requests.Response:
        """Send one request; answer like ``requests`` would, errors as social-core's."""
        prepared = requests.Request(
            method, url, headers=dict(headers or {}), data=data, json=json, auth=auth, params=params
        ).prepare()
        http: HttpClient = self.strategy.http
        sent_headers = {"Accept": "application/json", **dict(prepared.headers)}
        body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
        try:
            if method == "GET":
                fetched = http.get(str(prepared.url), accept=(), headers=sent_headers)
            elif method == "POST":
                fetched = http.post(
                    str(prepared.url),
                    body=body or b"",
                    headers=sent_headers,
                    max_bytes=JSON_MAX_BYTES,
                )
            else:
                raise AuthConfigurationError(
                    t.cast("t.Any", self), code="invalid_setting", stage=stage
                )
        except HTTPStatusError as error:
            raise AuthProviderError(
                t.cast("t.Any", self), code="provider_error", stage=stage, status_code=error.status
            ) from error
        except FetchError as error:
            raise AuthProviderError(
                t.cast("t.Any", self), code="connection_failed", stage=stage
            ) from error
        response = requests.Response()
        response.status_code = fetched.status
        response._content = fetched.content
        response.headers.update(fetched.headers)
        response.url = fetched.url
        response.encoding = "utf-8"
        return response


class LinkedIn(WalletTransport, LinkedinOpenIdConnect[Response]):
    """Sign In with LinkedIn using OpenID Connect (no nonce, ``client_secret_post``)."""


class Google(WalletTransport, GoogleOAuth2[Response]):
    """Google accounts (OpenID Connect scopes: openid email profile)."""


class GitHub(WalletTransport, GithubOAuth2[Response]):
    """GitHub accounts."""


class Microsoft(WalletTransport, MicrosoftOAuth2[Response]):
    """Microsoft accounts (personal and work or school)."""


BACKENDS: dict[str, type[t.Any]] = {cls.name: cls for cls in (LinkedIn, Google, GitHub, Microsoft)}


def settings_for(config: Config) -> dict[str, t.Any]:
    """Return social-core's settings for the providers ``config`` enables."""
    settings: dict[str, t.Any] = {
        "SOCIAL_AUTH_PIPELINE": PIPELINE,
        "SOCIAL_AUTH_LOGIN_REDIRECT_URL": "/wallet",
        "SOCIAL_AUTH_LOGIN_ERROR_URL": "/sign-in",
        "SOCIAL_AUTH_SANITIZE_REDIRECTS": True,
        "SOCIAL_AUTH_REDIRECT_IS_HTTPS": config.base_url.startswith("https://"),
        "SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_SCOPE": [],
    }
    for provider in config.social_providers:
        name = provider.backend.upper().replace("-", "_")
        settings[f"SOCIAL_AUTH_{name}_KEY"] = provider.key
        settings[f"SOCIAL_AUTH_{name}_SECRET"] = provider.secret
        if provider.oidc_endpoint:
            settings[f"SOCIAL_AUTH_{name}_OIDC_ENDPOINT"] = provider.oidc_endpoint
    return settings


def enabled(config: Config) -> list[SocialProvider]:
    """Return the providers earners may sign in with."""
    return [p for p in config.social_providers if p.backend in BACKENDS]


class _Templates(BaseTemplateStrategy):
    def render_template(self, tpl: str, context: dict[str, t.Any] | None) -> str:
        return render_template(tpl, **(context or {}))

    def render_string(self, html: str, context: dict[str, t.Any] | None) -> str:
        return render_template_string(html, **(context or {}))


class FlaskStrategy(BaseStrategy[Response]):
    """social-core's view of one Flask request: settings, request data, session, responses."""

    DEFAULT_TEMPLATE_STRATEGY = _Templates

    def __init__(self, db: Session, config: Config, http: HttpClient) -> None:
        self.settings = settings_for(config)
        self.config = config
        self.http = http
        super().__init__(storage=storage_for(db))

    def get_setting(self, name: str) -> t.Any:
        return self.settings[name]

    def get_backend_class(self, name: str) -> type[t.Any]:
        if name not in {p.backend for p in enabled(self.config)}:
            raise AuthConfigurationError(None, code="backend_missing", stage="begin")
        return BACKENDS[name]

    def get_request_data(self, merge: bool = True) -> dict[str, t.Any]:
        if merge:
            return {**request.args.to_dict(), **request.form.to_dict()}
        source = request.form if request.method == "POST" else request.args
        return source.to_dict()

    def request_host(self) -> str:
        return request.host

    def request_is_secure(self) -> bool:
        return request.is_secure

    def request_path(self) -> str:
        return request.path

    def request_port(self) -> int:
        return int(request.host.partition(":")[2] or (443 if request.is_secure else 80))

    def request_get(self) -> dict[str, t.Any]:
        return request.args.to_dict()

    def request_post(self) -> dict[str, t.Any]:
        return request.form.to_dict()

    def redirect(self, url: str) -> Response:
        return redirect(url)

    def html(self, content: str) -> Response:
        return Response(content, mimetype="text/html")

    def html_with_headers(self, content: str, headers: t.Mapping[str, str]) -> Response:
        return Response(content, mimetype="text/html", headers=dict(headers))

    def session_get(self, name: str, default: t.Any = None) -> t.Any:
        return session.get(name, default)

    def session_set(self, name: str, value: t.Any) -> None:
        session[name] = value

    def session_pop(self, name: str) -> t.Any:
        return session.pop(name, None)

    def build_absolute_uri(self, path: str | None = None) -> str:
        # Always from BASE_URL: the callback must be the address registered at the provider.
        return str(build_absolute_uri(self.config.base_url + "/", path))

    def get_language(self) -> str:
        return str(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))
