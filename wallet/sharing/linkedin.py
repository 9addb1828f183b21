"""LinkedIn's side of posting: sign-in (OpenID Connect), images and the Posts API. No Flask.

Every call goes through ``wallet.http.HttpClient``. authlib builds and reads the OAuth messages
(authorization URL, ``state`` check, token request with ``client_secret_post``); joserfc checks
the ID token against LinkedIn's keys. LinkedIn's quirks, from its documentation:

- its ID token has no ``nonce`` even when one is sent, so none is sent or required (``state``
  protects the redirect); web apps get no PKCE;
- the token endpoint takes the client secret in the body only (``client_secret_post``);
- tokens last 60 days and self-serve apps get no refresh token: the earner reconnects;
- ``/rest/posts`` needs ``LinkedIn-Version`` and ``X-Restli-Protocol-Version: 2.0.0`` and answers
  201 with the post's URN in ``x-restli-id``; an article is not scraped, so its title,
  description and thumbnail (an image uploaded first) are sent;
- ``commentary`` is "little text": reserved characters must be escaped, or LinkedIn silently cuts
  the text at the first one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import typing as t
from dataclasses import dataclass

from authlib.common.security import generate_token
from authlib.oauth2.rfc6749 import OAuth2Error
from authlib.oauth2.rfc6749.parameters import parse_authorization_code_response
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc6749.parameters import prepare_token_request
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from wallet.http import FetchError
from wallet.http import HTTPStatusError

if t.TYPE_CHECKING:
    from wallet.config import LinkedInSettings
    from wallet.http import HttpClient

#: Sign-in plus the right to post for the member.
SCOPE = "openid profile w_member_social"
#: Longest ``commentary`` LinkedIn accepts.
MAX_TEXT = 3000
_RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
#: A web address (kept as it is), a #hashtag (kept, its word escaped) or a reserved character.
_LITTLE_TEXT = re.compile(r"(https?://\S+)|(?<![\w#])#(\w+)|([\\|{}@\[\]()<>#*_~])")
#: Seconds of clock difference allowed when checking the ID token's times.
_LEEWAY = 120


class LinkedInError(Exception):
    """LinkedIn refused or could not be reached; ``reason`` is a code the earner's page explains."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class TokenRejected(LinkedInError):
    """LinkedIn answered 401: the token expired or was revoked, the earner must reconnect."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("reconnect", detail)


@dataclass(frozen=True)
class Grant:
    """What connecting gives: the member, their token and when it expires."""

    member_id: str
    member_name: str
    access_token: str
    scope: str
    expires_at: dt.datetime


def new_state() -> str:
    """Return a fresh, unguessable ``state`` for one authorization request."""
    return t.cast("str", generate_token(32))


def authorization_url(settings: LinkedInSettings, redirect_uri: str, state: str) -> str:
    """Return where the earner's browser goes to let us post for them."""
    return t.cast(
        "str",
        prepare_grant_uri(
            f"{settings.auth_base}/oauth/v2/authorization",
            client_id=settings.client_id,
            response_type="code",
            redirect_uri=redirect_uri,
            scope=SCOPE,
            state=state,
        ),
    )


def read_callback(callback_url: str, expected_state: str | None) -> str:
    """Return the code of LinkedIn's redirect back; ``LinkedInError`` for a wrong ``state``.

    The member declining (``error=user_cancelled_authorize``) is ``cancelled``.
    """
    if "error=" in callback_url and "code=" not in callback_url:
        raise LinkedInError("cancelled")
    if not expected_state:
        raise LinkedInError("state")
    try:
        params = parse_authorization_code_response(callback_url, state=expected_state)
    except OAuth2Error as error:
        raise LinkedInError("state", str(error)) from error
    return str(params["code"])


def exchange_code(
    http: HttpClient, settings: LinkedInSettings, code: str, redirect_uri: str, *, now: dt.datetime
) -> Grant:
    """Trade the authorization code for a token; check the ID token; read the member's name."""
    body = prepare_token_request(
        "authorization_code",
        code=code,
        redirect_uri=redirect_uri,
        # client_secret_post: LinkedIn does not accept HTTP Basic client authentication.
        client_id=settings.client_id,
        client_secret=settings.client_secret,
    )
    token = _json(
        _call(
            lambda: http.post(
                f"{settings.auth_base}/oauth/v2/accessToken",
                body=body.encode(),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                },
            )
        )
    )
    access_token = str(token.get("access_token") or "")
    if not access_token:
        raise LinkedInError("refused", "no access token")
    claims = _id_token_claims(http, settings, str(token.get("id_token") or ""), now)
    info = _json(
        _call(
            lambda: http.get(
                f"{settings.api_base}/v2/userinfo",
                accept=("application/json",),
                headers={"Authorization": f"Bearer {access_token}"},
            )
        )
    )
    if info.get("sub") != claims["sub"]:
        raise LinkedInError("refused", "userinfo is about another member")
    expires_in = int(token.get("expires_in") or 0)
    return Grant(
        member_id=str(claims["sub"]),
        member_name=str(info.get("name") or "")[:200],
        access_token=access_token,
        scope=str(token.get("scope") or SCOPE),
        expires_at=now + dt.timedelta(seconds=expires_in),
    )


def _id_token_claims(
    http: HttpClient, settings: LinkedInSettings, id_token: str, now: dt.datetime
) -> dict[str, t.Any]:
    if not id_token:
        raise LinkedInError("refused", "no ID token")
    jwks = _json(
        _call(
            lambda: http.get(
                f"{settings.auth_base}/oauth/openid/jwks", accept=("application/json",)
            )
        )
    )
    try:
        decoded = jwt.decode(
            id_token, KeySet.import_key_set(t.cast("t.Any", jwks)), algorithms=["RS256"]
        )
        # No "nonce": LinkedIn never puts one in its ID tokens.
        jwt.JWTClaimsRegistry(
            now=int(now.timestamp()),
            leeway=_LEEWAY,
            iss={"essential": True, "value": f"{settings.auth_base}/oauth"},
            aud={"essential": True, "value": settings.client_id},
            sub={"essential": True},
            exp={"essential": True},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as error:
        raise LinkedInError("refused", f"bad ID token: {error}") from error
    return dict(decoded.claims)


def escape_little_text(text: str) -> str:
    """Escape LinkedIn's reserved characters, leaving web addresses and #hashtags as they are."""

    def escape(match: re.Match[str]) -> str:
        url, hashtag, reserved = match.groups()
        if url:
            return str(url)
        if hashtag is not None:
            return "#" + _RESERVED.sub(r"\\\1", hashtag)
        return "\\" + reserved

    return _LITTLE_TEXT.sub(escape, text)


def _rest_headers(settings: LinkedInSettings, access_token: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {access_token}",
        "LinkedIn-Version": settings.api_version,
        "X-Restli-Protocol-Version": "2.0.0",
        "Content-Type": "application/json",
    }


def upload_image(
    http: HttpClient, settings: LinkedInSettings, access_token: str, member_id: str, png: bytes
) -> str:
    """Upload a picture for a post's thumbnail; return its URN (``urn:li:image:...``)."""
    started = _json(
        _call(
            lambda: http.post(
                f"{settings.api_base}/rest/images?action=initializeUpload",
                body=json.dumps(
                    {"initializeUploadRequest": {"owner": f"urn:li:person:{member_id}"}}
                ).encode(),
                headers=_rest_headers(settings, access_token),
            )
        )
    )
    value = started.get("value") or {}
    upload_url, image = str(value.get("uploadUrl") or ""), str(value.get("image") or "")
    if not upload_url or not image:
        raise LinkedInError("refused", "no upload URL")
    _call(
        lambda: http.put(
            upload_url,
            body=png,
            headers={"Authorization": f"Bearer {access_token}", "Content-Type": "image/png"},
        )
    )
    return image


@dataclass(frozen=True)
class Article:
    """The link card under a post: LinkedIn shows what we send, it does not read the page."""

    url: str
    title: str
    description: str
    thumbnail: str


def create_post(
    http: HttpClient,
    settings: LinkedInSettings,
    access_token: str,
    member_id: str,
    text: str,
    article: Article,
) -> str:
    """Publish a public post with ``text`` and ``article``; return its URN."""
    body = {
        "author": f"urn:li:person:{member_id}",
        "commentary": escape_little_text(text)[:MAX_TEXT],
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "content": {
            "article": {
                "source": article.url,
                "title": article.title[:200],
                "description": article.description[:300],
                "thumbnail": article.thumbnail,
            }
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    answer = _call(
        lambda: http.post(
            f"{settings.api_base}/rest/posts",
            body=json.dumps(body).encode(),
            headers=_rest_headers(settings, access_token),
        )
    )
    urn = next(
        (value for name, value in answer.headers.items() if name.lower() == "x-restli-id"), ""
    )
    if not urn:
        raise LinkedInError("refused", "no x-restli-id header")
    return urn


def _call(send: t.Callable[[], t.Any]) -> t.Any:
    """Run one request, turning failures into the reasons the earner is shown."""
    try:
        return send()
    except HTTPStatusError as error:
        if error.status == 401:
            raise TokenRejected(str(error)) from error
        if error.status == 429:
            raise LinkedInError("busy", str(error)) from error
        if error.status >= 500:
            raise LinkedInError("unreachable", str(error)) from error
        raise LinkedInError("refused", f"HTTP {error.status}") from error
    except FetchError as error:
        raise LinkedInError("unreachable", str(error)) from error


def _json(answer: t.Any) -> dict[str, t.Any]:
    try:
        data = json.loads(answer.content)
    except (ValueError, UnicodeDecodeError) as error:
        raise LinkedInError("refused", "not JSON") from error
    if not isinstance(data, dict):
        raise LinkedInError("refused", "not a JSON object")
    return data
