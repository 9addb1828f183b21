"""Periodic work: on each tick one process, whichever takes the Redis lock, enqueues what is due.

Every process that runs the relay also runs a scheduler thread; the lock makes a tick happen once
across all of them. What a tick enqueues is chosen from the database, so a lost tick or a crash
only delays the work to the next tick; a per-item marker keeps a slow queue from receiving the
same item again before it has run.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import typing as t

from dramatiq import Message

from wallet.backpack import export_service as exports
from wallet.backpack import queries
from wallet.db import utcnow
from wallet.events.broker import QUEUE
from wallet.surveys import inviting

if t.TYPE_CHECKING:
    from dramatiq import Broker

    from wallet.runtime import Runtime

log = logging.getLogger(__name__)

#: Seconds between ticks.
TICK = 600
#: Seconds an enqueued item is not enqueued again (it should have run by then).
QUEUED_FOR = 3600


def enqueue_due_reverifications(runtime: Runtime, broker: Broker, *, limit: int = 1000) -> int:
    """Enqueue a re-verification of each award that is due; return how many were enqueued."""
    now = utcnow()
    with runtime.db.session() as session:
        due = queries.due_for_reverification(
            session,
            checked_before=now - dt.timedelta(seconds=runtime.config.reverify_after),
            now=now,
            limit=limit,
        )
    redis = runtime.redis.client()
    enqueued = 0
    for award_id in due:
        if not redis.set(f"schedule:reverify:{award_id}", 1, nx=True, ex=QUEUED_FOR):
            continue
        broker.enqueue(
            Message(
                queue_name=QUEUE,
                actor_name="reverify_award",
                args=(f"reverify:{award_id}", {"award_id": award_id}),
                kwargs={},
                options={},
            )
        )
        enqueued += 1
    return enqueued


def tick(runtime: Runtime, broker: Broker) -> bool:
    """Run the periodic work if no other process has this tick; return whether it ran."""
    if not runtime.redis.client().set("schedule:tick", 1, nx=True, ex=TICK - 5):
        return False
    count = enqueue_due_reverifications(runtime, broker)
    if count:
        log.info("scheduled %d award re-verifications", count)
    with runtime.db.session() as session:
        purged = exports.purge_expired_exports(session)
    if purged:
        log.info("dropped the zips of %d expired data exports", purged)
    with runtime.db.session() as session:
        invited, reminded = inviting.send_due(session, base_url=runtime.config.base_url)
    if invited or reminded:
        log.info("mailed %d survey invitations and %d reminders", invited, reminded)
    return True


def schedule_forever(runtime: Runtime, broker: Broker, stop: threading.Event) -> None:
    """Tick until ``stop`` is set."""
    while not stop.is_set():
        try:
            tick(runtime, broker)
        except Exception:  # keep scheduling after a database or Redis hiccup
            log.exception("scheduler tick failed; retrying at the next one")
        stop.wait(TICK / 10)
