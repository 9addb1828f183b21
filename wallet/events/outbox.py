"""Record events in the caller's transaction; the relay picks them up after commit."""

from __future__ import annotations

import typing as t
import uuid

from wallet.events.models import OutboxMessage

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.events.catalog import Event


def record(session: Session, event: Event) -> OutboxMessage:
    """Add ``event`` to the outbox within ``session``'s transaction (the caller commits)."""
    message = OutboxMessage(
        event_id=str(uuid.uuid4()),
        type=event.type,
        version=event.version,
        payload=event.to_payload(),
        user_id=event.user_id,
    )
    session.add(message)
    return message
