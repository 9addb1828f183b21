"""The issuer event feed: public events numbered per issuer, gap-free, in commit order.

The relay calls ``append`` in the transaction that marks outbox rows relayed. It only ever sees
rows whose transaction committed, and it numbers them under a lock held until its own commit
(``pg_advisory_xact_lock`` on PostgreSQL; SQLite has one writer at a time anyway). So when a
reader sees number N, every number below N is already visible: an event whose transaction
committed late gets a later number, and a cursor never skips it.
"""

from __future__ import annotations

import typing as t
import uuid

from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text

from wallet.db import utcnow
from wallet.engagement.models import IssuerEvent
from wallet.engagement.models import WebhookDelivery
from wallet.engagement.models import WebhookEndpoint
from wallet.engagement.signing import body_of
from wallet.engagement.translate import SOURCE_TYPES
from wallet.engagement.translate import Translator

if t.TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from wallet.engagement.translate import Draft
    from wallet.events.models import OutboxMessage

#: Key of the PostgreSQL advisory lock that serialises numbering.
_LOCK_KEY = 10_010
#: Most events one page of the feed returns.
MAX_PAGE = 500


def append(
    session: Session, rows: Sequence[OutboxMessage], *, base_url: str, secret_key: str
) -> list[IssuerEvent]:
    """Number the public events of ``rows`` and queue their webhook deliveries (no commit)."""
    wanted = [row for row in rows if row.type in SOURCE_TYPES]
    if not wanted:
        return []
    translator = Translator(session, base_url=base_url, secret_key=secret_key)
    pairs = [(row, draft) for row in wanted for draft in translator.drafts(row)]
    if not pairs:
        return []
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    issuer_ids = {draft.issuer_id for _row, draft in pairs}
    heads = dict(
        session.execute(
            select(IssuerEvent.issuer_id, func.max(IssuerEvent.sequence))
            .where(IssuerEvent.issuer_id.in_(issuer_ids))
            .group_by(IssuerEvent.issuer_id)
        ).all()
    )
    events: list[IssuerEvent] = []
    for row, draft in pairs:
        number = (heads.get(draft.issuer_id) or 0) + 1
        heads[draft.issuer_id] = number
        events.append(_event(draft, row.event_id, number))
    session.add_all(events)
    session.flush()
    _queue_deliveries(session, events)
    return events


def _event(draft: Draft, source_event_id: str, number: int) -> IssuerEvent:
    return IssuerEvent(
        public_id="evt_" + uuid.uuid4().hex,
        issuer_id=draft.issuer_id,
        sequence=number,
        source_event_id=source_event_id,
        part=draft.part,
        type=draft.type,
        occurred_at=draft.occurred_at,
        data=draft.data,
        user_id=draft.user_id,
        issued_award_id=draft.issued_award_id,
        achievement_id=draft.achievement_id,
    )


def _queue_deliveries(session: Session, events: list[IssuerEvent]) -> None:
    """Add one pending delivery per event and enabled endpoint that subscribed to its type."""
    endpoints = session.scalars(
        select(WebhookEndpoint).where(
            WebhookEndpoint.issuer_id.in_({event.issuer_id for event in events}),
            WebhookEndpoint.disabled_at.is_(None),
        )
    ).all()
    now = utcnow()
    rows = [
        {
            "public_id": uuid.uuid4().hex,
            "endpoint_id": endpoint.id,
            "issuer_event_id": event.id,
            "message_id": event.public_id,
            "type": event.type,
            "body": body_of(event.envelope()),
            "state": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for event in events
        for endpoint in endpoints
        if endpoint.issuer_id == event.issuer_id and endpoint.wants(event.type)
    ]
    if rows:
        # One multi-row insert: deliveries are never read back in this transaction.
        session.execute(insert(WebhookDelivery), rows)


def page(session: Session, issuer_id: int, *, after: int, limit: int) -> list[IssuerEvent]:
    """Return the issuer's events numbered after ``after``, in order, at most ``limit``."""
    return list(
        session.scalars(
            select(IssuerEvent)
            .where(IssuerEvent.issuer_id == issuer_id, IssuerEvent.sequence > after)
            .order_by(IssuerEvent.sequence)
            .limit(max(1, min(limit, MAX_PAGE)))
        )
    )
