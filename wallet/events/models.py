"""Tables of the events pipeline."""

from __future__ import annotations

import datetime as dt
import typing as t

from sqlalchemy import JSON
from sqlalchemy import BigInteger
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from wallet.db import Base
from wallet.db import utcnow

#: BIGINT on PostgreSQL; SQLite only auto-increments a plain INTEGER primary key.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class OutboxMessage(Base):
    """An event written in the transaction of the change it describes, waiting for the relay."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: Stable id of the event (a UUID), also the idempotency key downstream.
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    #: Dotted event type from ``events.catalog`` such as ``mail.requested``.
    type: Mapped[str] = mapped_column(String(80))
    #: Version of the payload's shape.
    version: Mapped[int] = mapped_column(default=1)
    payload: Mapped[dict[str, t.Any]] = mapped_column(JSON)
    #: The earner the event is about, so erasing an account can erase their messages too.
    user_id: Mapped[int | None] = mapped_column(index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: When the relay handed the message to the queue; None while it waits.
    relayed_at: Mapped[dt.datetime | None] = mapped_column(index=True)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.type} relayed={self.relayed_at is not None}>"
