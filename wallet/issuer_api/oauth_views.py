"""The OAuth2 endpoints (blueprint ``oauth``): token (client credentials) and revocation."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import current_app

from wallet.web.ratelimit import rate_limit

bp = Blueprint("oauth", __name__)


def _limit() -> str:
    return "60 per minute"


@bp.post("/oauth/token")
@rate_limit(_limit)
def token() -> Response:
    """Issue an access token to a client that presents its id and secret (RFC 6749 §4.4)."""
    server = current_app.extensions["issuer_api"]["server"]
    return server.create_token_response()  # type: ignore[no-any-return]


@bp.post("/oauth/revoke")
@rate_limit(_limit)
def revoke() -> Response:
    """Revoke an access token (RFC 7009)."""
    server = current_app.extensions["issuer_api"]["server"]
    return server.create_endpoint_response("revocation")  # type: ignore[no-any-return]
