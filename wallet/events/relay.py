"""The relay: hand committed outbox rows to the job queue, in order, at least once.

A row is marked relayed in the same transaction that read it, after its messages were enqueued.
Events that concern an issuer also become numbered issuer events (``wallet.engagement.feed``) and
pending webhook deliveries in that same transaction.
If the process dies between the enqueue and the commit, the row is relayed again on the next pass:
jobs must tolerate running twice. On PostgreSQL the rows are locked with ``SKIP LOCKED`` so several
relays can run side by side; SQLite serialises writers anyway.
"""

from __future__ import annotations

import logging
import threading
import typing as t

from dramatiq import Message
from sqlalchemy import select
from sqlalchemy import update

from wallet.db import utcnow
from wallet.engagement import feed
from wallet.engagement.translate import SOURCE_TYPES
from wallet.events.broker import QUEUE
from wallet.events.jobs import ROUTES
from wallet.events.models import OutboxMessage

if t.TYPE_CHECKING:
    from dramatiq import Broker

    from wallet.runtime import Runtime

log = logging.getLogger(__name__)


def relay_once(runtime: Runtime, broker: Broker, batch: int = 100) -> int:
    """Relay up to ``batch`` waiting rows; return how many were handled."""
    with runtime.db.session() as session:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.relayed_at.is_(None))
            .order_by(OutboxMessage.id)
            .limit(batch)
        )
        if runtime.db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = session.scalars(query).all()
        # Issuers' public events get their feed numbers here, in this transaction's commit order.
        feed.append(
            session,
            rows,
            base_url=runtime.config.base_url,
            secret_key=runtime.config.secret_key,
        )
        for row in rows:
            jobs = ROUTES.get(row.type, ())
            if not jobs and row.type not in SOURCE_TYPES:
                log.warning(
                    "outbox event %s has type %r that starts no job", row.event_id, row.type
                )
            for job in jobs:
                broker.enqueue(
                    Message(
                        queue_name=QUEUE,
                        actor_name=job,
                        args=(row.event_id, row.payload),
                        kwargs={},
                        options={},
                    )
                )
        if rows:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_([row.id for row in rows]))
                .values(relayed_at=utcnow())
                .execution_options(synchronize_session=False)
            )
        session.commit()
        return len(rows)


def relay_forever(
    runtime: Runtime,
    broker: Broker,
    stop: threading.Event,
    *,
    wake: threading.Event | None = None,
    interval: float = 0.5,
) -> None:
    """Relay until ``stop`` is set, sleeping ``interval`` seconds whenever nothing waits.

    After a pass that relayed something it sets ``wake``, so the webhook dispatcher picks up the
    deliveries it queued at once instead of at its next poll.
    """
    while not stop.is_set():
        try:
            handled = relay_once(runtime, broker)
        except Exception:  # keep relaying after a database or Redis hiccup
            log.exception("relay pass failed; retrying")
            handled = 0
        if handled and wake is not None:
            wake.set()
        if not handled:
            stop.wait(interval)
