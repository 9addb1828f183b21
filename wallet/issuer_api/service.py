"""Use cases of the issuer API's clients and tokens. Each owns its transaction.

Creating and revoking clients is for members whose role may ``manage_clients``; the token use
cases are called by the OAuth2 server (``oauth.py``) once it has authenticated the client.
"""

from __future__ import annotations

import datetime as dt
import secrets
import typing as t

from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wallet import errors
from wallet.db import utcnow
from wallet.issuer_api.models import ApiClient
from wallet.issuer_api.models import ApiRequest
from wallet.issuer_api.models import ApiToken
from wallet.issuer_api.models import digest
from wallet.issuer_api.scopes import SCOPES
from wallet.issuers import service as issuers

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.issuers.models import Issuer

#: How long a request's ``Idempotency-Key`` is remembered.
IDEMPOTENCY_WINDOW = dt.timedelta(hours=24)


def _manager(session: Session, user_id: int, issuer_id: int) -> Issuer:
    issuer, _membership = issuers.require_role(session, user_id, issuer_id, "manage_clients")
    return issuer


def clients_of(session: Session, user_id: int, issuer_id: int) -> tuple[Issuer, list[ApiClient]]:
    """Return the issuer and its API clients, newest first, for a member who manages them."""
    issuer = _manager(session, user_id, issuer_id)
    clients = session.scalars(
        select(ApiClient).where(ApiClient.issuer_id == issuer.id).order_by(ApiClient.id.desc())
    )
    return issuer, list(clients)


def create_client(
    session: Session, user_id: int, issuer_id: int, *, name: str, scopes: list[str]
) -> tuple[ApiClient, str]:
    """Register an API client; return it with its secret, which is not stored and shown once."""
    issuer = _manager(session, user_id, issuer_id)
    name = name.strip()[:200]
    if not name:
        raise errors.Invalid(_("Give the client a name."), field="name")
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise errors.Invalid(_("Choose at least one of the listed scopes."), field="scopes")
    secret = secrets.token_urlsafe(32)
    client = ApiClient(
        issuer_id=issuer.id,
        name=name,
        secret_hash=digest(secret),
        scopes=[scope for scope in SCOPES if scope in scopes],
        created_by_user_id=user_id,
    )
    session.add(client)
    session.flush()
    issuers.audit(
        session,
        issuer,
        user_id,
        "api_client.created",
        client=client.client_id,
        name=name,
        scopes=client.scopes,
    )
    session.commit()
    return client, secret


def get_client(session: Session, user_id: int, issuer_id: int, client_pk: int) -> ApiClient:
    """Return one of the issuer's clients, for a member who manages them."""
    issuer = _manager(session, user_id, issuer_id)
    client = session.get(ApiClient, client_pk)
    if client is None or client.issuer_id != issuer.id:
        raise errors.NotFound(_("This API client does not exist."))
    return client


def revoke_client(session: Session, user_id: int, issuer_id: int, client_pk: int) -> ApiClient:
    """Revoke a client: it can get no token, and the tokens it holds stop working at once."""
    client = get_client(session, user_id, issuer_id, client_pk)
    if client.revoked_at is not None:
        raise errors.Conflict(_("This API client is already revoked."))
    client.revoked_at = utcnow()
    issuers.audit(
        session,
        client.issuer,
        user_id,
        "api_client.revoked",
        client=client.client_id,
        name=client.name,
    )
    session.commit()
    return client


def find_client(session: Session, client_id: str) -> ApiClient | None:
    """Return the client that presents ``client_id``, unless it was revoked."""
    return session.scalar(
        select(ApiClient).where(ApiClient.client_id == client_id, ApiClient.revoked_at.is_(None))
    )


def record_token(session: Session, client: ApiClient, token: dict[str, t.Any]) -> ApiToken:
    """Store a freshly issued access token (its hash: the token itself leaves with the client)."""
    row = ApiToken(
        client_id=client.id,
        token_hash=digest(str(token["access_token"])),
        scope=str(token.get("scope") or ""),
        expires_in=int(token["expires_in"]),
    )
    session.add(row)
    session.commit()
    return row


def find_token(session: Session, access_token: str) -> ApiToken | None:
    """Return the token whose bearer value is ``access_token``."""
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(access_token)))


def revoke_token(session: Session, token: ApiToken) -> None:
    """Revoke an access token (RFC 7009)."""
    token.revoked = True
    session.commit()


# --- Idempotency-Key: one answer per key and client for a day ----------------------------------


def recall(session: Session, client_pk: int, key: str, fingerprint: str) -> ApiRequest | None:
    """Return the remembered request with ``key``, or None; refuse the key with another body."""
    session.execute(
        delete(ApiRequest).where(
            ApiRequest.client_id == client_pk,
            ApiRequest.key == key,
            ApiRequest.created_at < utcnow() - IDEMPOTENCY_WINDOW,
        )
    )
    previous = session.scalar(
        select(ApiRequest).where(ApiRequest.client_id == client_pk, ApiRequest.key == key)
    )
    if previous is not None and previous.fingerprint != fingerprint:
        raise errors.Conflict(
            _("This Idempotency-Key was used for another request. Use a new key for new work.")
        )
    return previous


def hold(
    session: Session, client_pk: int, key: str, fingerprint: str, *, commit: bool = False
) -> ApiRequest:
    """Claim ``key``: at once with ``commit``, else with the rows of the use case that follows."""
    row = ApiRequest(client_id=client_pk, key=key, fingerprint=fingerprint, status=0, response={})
    session.add(row)
    try:
        session.commit() if commit else session.flush()
    except IntegrityError:
        session.rollback()
        raise errors.Conflict(
            _("A request with this Idempotency-Key is already being handled. Retry in a moment.")
        ) from None
    return row


def settle(session: Session, row: ApiRequest, status: int, response: dict[str, t.Any]) -> None:
    """Remember the answer given to a held key."""
    row.status = status
    row.response = response
    session.commit()
