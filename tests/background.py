"""Run background work in a test as ``wallet worker`` would: the relay, then a Dramatiq worker."""

from __future__ import annotations

import typing as t

from dramatiq import Worker

from wallet.engagement.delivery import dispatch_due
from wallet.events.broker import QUEUE
from wallet.events.broker import build_broker
from wallet.events.relay import relay_once

if t.TYPE_CHECKING:
    from wallet.runtime import Runtime


def work(runtime: Runtime) -> None:
    """Relay what is in the outbox and run every queued job until the queue is empty."""
    broker = build_broker(runtime)
    # Relay before the worker starts: in tests every session shares the one connection of the
    # test's savepoint, and a job running while the relay commits breaks that savepoint.
    relay_once(runtime, broker)
    dispatch_due(runtime, broker)
    worker = Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        broker.join(QUEUE, timeout=60_000)
        worker.join()
    finally:
        worker.stop()
        broker.close()
