"""Use cases of an issuer's webhook endpoints. Each owns its transaction; owners and admins only.

The secret is returned once, when made (or rotated), and kept sealed: it must sign every
delivery, so it cannot be hashed. A rotation keeps the previous secret signing for
``ROTATION_OVERLAP`` so receivers can switch without losing a delivery.
"""

from __future__ import annotations

import datetime as dt
import typing as t
import uuid
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wallet import errors
from wallet.db import utcnow
from wallet.engagement import signing
from wallet.engagement.catalog import PUBLIC_TYPES
from wallet.engagement.catalog import TEST_TYPE
from wallet.engagement.models import WebhookDelivery
from wallet.engagement.models import WebhookEndpoint
from wallet.issuers.service import audit
from wallet.issuers.service import require_role
from wallet.sealing import seal

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.issuers.models import Issuer

#: How long the previous secret keeps signing after a rotation.
ROTATION_OVERLAP = dt.timedelta(hours=24)
#: Endpoints an issuer may have.
MAX_ENDPOINTS = 10


def endpoints_of(
    session: Session, user_id: int, issuer_id: int
) -> tuple[Issuer, list[WebhookEndpoint]]:
    """Return the issuer and its endpoints, newest first."""
    issuer, _membership = require_role(session, user_id, issuer_id, "manage_webhooks")
    found = session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.issuer_id == issuer_id)
        .order_by(WebhookEndpoint.id.desc())
    ).all()
    return issuer, list(found)


def check_url(url: str, *, allow_http: bool) -> str:
    """Return ``url`` if it may receive webhooks: HTTPS (plain HTTP only in tests)."""
    url = url.strip()
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise errors.Invalid(_("Give an address that starts with https://."))
    if parts.username or parts.password:
        raise errors.Invalid(_("The address must not contain a user name or password."))
    return url


def _types(event_types: list[str]) -> list[str]:
    unknown = [name for name in event_types if name not in PUBLIC_TYPES]
    if unknown:
        raise errors.Invalid(_("Unknown event type: %(types)s.", types=", ".join(unknown)))
    return sorted(set(event_types))


def create_endpoint(
    session: Session,
    user_id: int,
    issuer_id: int,
    *,
    url: str,
    description: str,
    event_types: list[str],
    data_keys: tuple[str, ...],
    allow_http: bool = False,
) -> tuple[WebhookEndpoint, str]:
    """Add an endpoint; return it and its secret (shown once)."""
    issuer, existing = endpoints_of(session, user_id, issuer_id)
    if len(existing) >= MAX_ENDPOINTS:
        raise errors.Invalid(
            _("An issuer can have at most %(count)d endpoints.", count=MAX_ENDPOINTS)
        )
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(
        issuer_id=issuer.id,
        url=check_url(url, allow_http=allow_http),
        description=description.strip()[:200],
        event_types=_types(event_types),
        secret_sealed=seal(data_keys, secret.encode()),
    )
    session.add(endpoint)
    audit(session, issuer, user_id, "webhook.created", url=endpoint.url)
    session.commit()
    return endpoint, secret


def get_endpoint(session: Session, user_id: int, issuer_id: int, public_id: str) -> WebhookEndpoint:
    """Return one of the issuer's endpoints."""
    require_role(session, user_id, issuer_id, "manage_webhooks")
    endpoint = session.scalar(
        select(WebhookEndpoint).where(
            WebhookEndpoint.public_id == public_id, WebhookEndpoint.issuer_id == issuer_id
        )
    )
    if endpoint is None:
        raise errors.NotFound(_("There is no such webhook endpoint."))
    return endpoint


def rotate_secret(
    session: Session, user_id: int, issuer_id: int, public_id: str, *, data_keys: tuple[str, ...]
) -> tuple[WebhookEndpoint, str]:
    """Give the endpoint a new secret; the old one keeps signing for 24 hours beside it."""
    endpoint = get_endpoint(session, user_id, issuer_id, public_id)
    secret = signing.new_secret()
    endpoint.previous_secret_sealed = endpoint.secret_sealed
    endpoint.previous_until = utcnow() + ROTATION_OVERLAP
    endpoint.secret_sealed = seal(data_keys, secret.encode())
    audit(session, endpoint_issuer(session, endpoint), user_id, "webhook.rotated", url=endpoint.url)
    session.commit()
    return endpoint, secret


def endpoint_issuer(session: Session, endpoint: WebhookEndpoint) -> Issuer:
    """Return the endpoint's issuer."""
    from wallet.issuers.models import Issuer

    return session.get_one(Issuer, endpoint.issuer_id)


def set_enabled(
    session: Session, user_id: int, issuer_id: int, public_id: str, *, enabled: bool
) -> WebhookEndpoint:
    """Turn an endpoint off, or on again (waiting deliveries then resume)."""
    endpoint = get_endpoint(session, user_id, issuer_id, public_id)
    if enabled:
        endpoint.disabled_at = None
        endpoint.disabled_reason = ""
    elif endpoint.disabled_at is None:
        endpoint.disabled_at = utcnow()
        endpoint.disabled_reason = "admin"
    action = "webhook.enabled" if enabled else "webhook.disabled"
    audit(session, endpoint_issuer(session, endpoint), user_id, action, url=endpoint.url)
    session.commit()
    return endpoint


def delete_endpoint(session: Session, user_id: int, issuer_id: int, public_id: str) -> None:
    """Remove an endpoint and its delivery log."""
    endpoint = get_endpoint(session, user_id, issuer_id, public_id)
    audit(session, endpoint_issuer(session, endpoint), user_id, "webhook.deleted", url=endpoint.url)
    session.delete(endpoint)
    session.commit()


def send_test(session: Session, user_id: int, issuer_id: int, public_id: str) -> WebhookDelivery:
    """Queue a ``webhook.test`` event to the endpoint (tried once; never in the feed)."""
    endpoint = get_endpoint(session, user_id, issuer_id, public_id)
    issuer = endpoint_issuer(session, endpoint)
    message_id = "msg_test_" + uuid.uuid4().hex[:24]  # fits message_id (40)
    now = utcnow()
    envelope = {
        "id": message_id,
        "type": TEST_TYPE,
        "timestamp": now.isoformat().replace("+00:00", "Z"),
        "data": {"issuer": {"id": issuer.public_id}, "endpoint": {"id": endpoint.public_id}},
    }
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id,
        message_id=message_id,
        type=TEST_TYPE,
        body=signing.body_of(envelope),
        next_attempt_at=now,
    )
    session.add(delivery)
    session.commit()
    return delivery


def deliveries(
    session: Session, endpoint: WebhookEndpoint, *, limit: int = 50
) -> list[WebhookDelivery]:
    """Return the endpoint's latest deliveries with their attempts."""
    return list(
        session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint.id)
            .options(selectinload(WebhookDelivery.log))
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


def issuer_deliveries(
    session: Session, issuer_id: int, *, limit: int = 100
) -> list[WebhookDelivery]:
    """Return the latest deliveries to any endpoint of the issuer (for the API)."""
    return list(
        session.scalars(
            select(WebhookDelivery)
            .join(WebhookEndpoint)
            .where(WebhookEndpoint.issuer_id == issuer_id)
            .options(selectinload(WebhookDelivery.log), selectinload(WebhookDelivery.endpoint))
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


def redeliver(
    session: Session,
    issuer_id: int,
    delivery_public_id: str,
    *,
    user_id: int | None = None,
) -> WebhookDelivery:
    """Send a delivery again now, restarting its retry schedule (a member, or the API)."""
    if user_id is not None:
        require_role(session, user_id, issuer_id, "manage_webhooks")
    delivery = session.scalar(
        select(WebhookDelivery)
        .join(WebhookEndpoint)
        .where(
            WebhookDelivery.public_id == delivery_public_id,
            WebhookEndpoint.issuer_id == issuer_id,
        )
    )
    if delivery is None:
        raise errors.NotFound(_("There is no such delivery."))
    delivery.state = "pending"
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    session.commit()
    return delivery
