"""Tables of engagement: consent, the issuer event feed, webhook endpoints and deliveries."""

from __future__ import annotations

import datetime as dt
import typing as t
import uuid

from sqlalchemy import JSON
from sqlalchemy import BigInteger
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from wallet.db import Base
from wallet.db import utcnow
from wallet.events.models import BigId


def _uuid() -> str:
    return uuid.uuid4().hex


class EngagementConsent(Base):
    """Whether an earner lets one issuer see who they are in engagement events (default: no)."""

    __tablename__ = "engagement_consents"
    __table_args__ = (
        UniqueConstraint("user_id", "issuer_id", name="uq_engagement_consents_user_issuer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id", ondelete="CASCADE"))
    identified: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class IssuerEvent(Base):
    """One public event of one issuer, numbered in the order its relay transaction committed."""

    __tablename__ = "issuer_events"
    __table_args__ = (
        UniqueConstraint("issuer_id", "sequence", name="uq_issuer_events_sequence"),
        UniqueConstraint("source_event_id", "issuer_id", "part", name="uq_issuer_events_source"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: The public id (``evt_...``): the envelope's ``id`` and the ``webhook-id`` header.
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id", ondelete="CASCADE"))
    #: 1, 2, 3... per issuer, without gaps, in commit order: the feed's cursor (64-bit: a busy
    #: issuer's stream outgrows 32 bits in years, and a client may send any 64-bit cursor).
    sequence: Mapped[int] = mapped_column(BigInteger)
    #: The outbox event it comes from, and which of its parts (a batch makes one per award).
    source_event_id: Mapped[str] = mapped_column(String(36))
    part: Mapped[int] = mapped_column(default=0)
    #: Public type such as ``award.shared`` and the version of its ``data``.
    type: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(default=1)
    occurred_at: Mapped[dt.datetime]
    data: Mapped[dict[str, t.Any]] = mapped_column(JSON)
    #: The earner it is about, so erasing the account erases the issuer's copy too.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: The issuer's own award and achievement (row ids) for analytics.
    issued_award_id: Mapped[int | None] = mapped_column(
        ForeignKey("issued_awards.id", ondelete="SET NULL"), index=True
    )
    achievement_id: Mapped[int | None] = mapped_column(
        ForeignKey("achievements.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def envelope(self) -> dict[str, t.Any]:
        """Return the public envelope ``{id, type, timestamp, data}`` (webhooks and feed)."""
        return {
            "id": self.public_id,
            "type": self.type,
            "timestamp": _rfc3339(self.occurred_at),
            "data": self.data,
        }


def _rfc3339(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


class WebhookEndpoint(Base):
    """Where an issuer wants its events POSTed, signed with a secret only it and we know."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=_uuid)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str] = mapped_column(String(200), default="")
    #: Public event types it receives; empty: all of them.
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: ``whsec_...`` sealed with ``wallet.sealing`` (it must sign, so it cannot be hashed).
    secret_sealed: Mapped[str] = mapped_column(Text)
    #: The secret before the last rotation, still signing until ``previous_until``.
    previous_secret_sealed: Mapped[str | None] = mapped_column(Text)
    previous_until: Mapped[dt.datetime | None]
    #: When it stopped receiving (410 Gone, failures for days, or an admin), and why.
    disabled_at: Mapped[dt.datetime | None]
    disabled_reason: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def enabled(self) -> bool:
        """Return whether it receives events."""
        return self.disabled_at is None

    def wants(self, event_type: str) -> bool:
        """Return whether it subscribed to ``event_type``."""
        return not self.event_types or event_type in self.event_types


class WebhookDelivery(Base):
    """One event (or a test) to deliver to one endpoint, tried until it succeeds or gives up."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "issuer_event_id", name="uq_webhook_deliveries_event"),
        Index("ix_webhook_deliveries_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=_uuid)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    #: The feed event delivered (None for a test event).
    issuer_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("issuer_events.id", ondelete="CASCADE")
    )
    #: ``webhook-id``: the same on every attempt, so receivers can deduplicate.
    message_id: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(80))
    #: The exact bytes signed and sent (minified JSON).
    body: Mapped[str] = mapped_column(Text)
    #: ``pending`` (waiting for ``next_attempt_at``), ``delivered`` or ``failed``.
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    endpoint: Mapped[WebhookEndpoint] = relationship()
    log: Mapped[list[WebhookAttempt]] = relationship(
        order_by="WebhookAttempt.id", cascade="all, delete-orphan", passive_deletes=True
    )


class WebhookAttempt(Base):
    """One POST of a delivery: what the endpoint answered, and how fast."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    attempted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: The HTTP status (None: no answer: timeout, refused, redirect...).
    status: Mapped[int | None]
    latency_ms: Mapped[int]
    #: The start of the response body, or what went wrong.
    response_start: Mapped[str] = mapped_column(String(500), default="")
    ok: Mapped[bool] = mapped_column(default=False)
