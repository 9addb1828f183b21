"""The OAuth2 authorization server (client credentials only) and the bearer-token check.

authlib does the protocol; this module plugs our tables into it: clients are found by their
public id (revoked ones are unknown), tokens are stored and looked up by their SHA-256, and a
request for a scope the client does not hold is refused with ``invalid_scope`` (authlib would
silently narrow it).
"""

from __future__ import annotations

import typing as t

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.integrations.flask_oauth2 import ResourceProtector
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidScopeError
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7009 import RevocationEndpoint

from wallet.issuer_api import service
from wallet.issuer_api.models import AUTH_METHODS
from wallet.issuer_api.models import GRANT_TYPE
from wallet.issuer_api.models import TOKEN_LIFETIME
from wallet.issuer_api.scopes import SCOPES
from wallet.issuer_api.scopes import parse
from wallet.web import context

if t.TYPE_CHECKING:
    from flask import Flask

    from wallet.issuer_api.models import ApiClient
    from wallet.issuer_api.models import ApiToken


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    """The client credentials grant, refusing scopes the client was not given."""

    TOKEN_ENDPOINT_AUTH_METHODS: t.ClassVar[list[str]] = list(AUTH_METHODS)

    def validate_requested_scope(self) -> None:
        """Refuse unknown scopes and scopes this client does not hold."""
        super().validate_requested_scope()
        client: ApiClient = self.request.client
        missing = [s for s in parse(self.request.payload.scope) if s not in client.scopes]
        if missing:
            raise InvalidScopeError(description="This client may not ask for: " + " ".join(missing))
        if not client.scopes:
            raise InvalidScopeError(description="This client holds no scope.")


class Revocation(RevocationEndpoint):  # type: ignore[misc]
    """RFC 7009 token revocation: a client revokes its own access tokens."""

    CLIENT_AUTH_METHODS: t.ClassVar[list[str]] = list(AUTH_METHODS)

    def query_token(self, token_string: str, token_type_hint: str | None) -> ApiToken | None:
        """Find the token by its value."""
        return service.find_token(context.db_session(), token_string)

    def revoke_token(self, token: ApiToken, request: t.Any) -> None:
        """Mark the token revoked."""
        service.revoke_token(context.db_session(), token)


class Validator(BearerTokenValidator):  # type: ignore[misc]
    """Finds a bearer token by its hash; authlib then checks expiry, revocation and scope."""

    def authenticate_token(self, token_string: str) -> ApiToken | None:
        """Return the token with this value, if any."""
        return service.find_token(context.db_session(), token_string)


def _query_client(client_id: str) -> ApiClient | None:
    return service.find_client(context.db_session(), client_id)


def _save_token(token: dict[str, t.Any], request: t.Any) -> None:
    service.record_token(context.db_session(), request.client, token)


def init_app(app: Flask) -> None:
    """Build the app's authorization server and resource protector."""
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {GRANT_TYPE: TOKEN_LIFETIME}
    app.config["OAUTH2_SCOPES_SUPPORTED"] = list(SCOPES)
    server = AuthorizationServer()
    server.init_app(app, query_client=_query_client, save_token=_save_token)
    server.register_grant(ClientCredentialsGrant)
    server.register_endpoint(Revocation)
    protector = ResourceProtector()
    protector.register_token_validator(Validator())
    app.extensions["issuer_api"] = {"server": server, "protector": protector}
