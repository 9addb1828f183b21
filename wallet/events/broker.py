"""The Dramatiq broker on Redis, with the wallet's jobs declared on it.

Actors are declared when the broker is built, never at import time: Dramatiq's ``@actor``
decorator would bind to a global broker (and connect) while the module is imported.
"""

from __future__ import annotations

import typing as t

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from wallet.events.jobs import JOBS
from wallet.events.jobs import Job

if t.TYPE_CHECKING:
    from wallet.runtime import Runtime

#: The queue every job runs on for now; split by job when one kind starves the others.
QUEUE = "wallet"
#: Retry a failing job with exponential backoff from 1 s up to 10 min, 10 times (about an hour).
RETRY_OPTIONS = {"max_retries": 10, "min_backoff": 1_000, "max_backoff": 600_000}


def build_broker(runtime: Runtime) -> RedisBroker:
    """Return a broker on the runtime's Redis with every job declared as an actor."""
    runtime.redis.ensure_started()
    broker = RedisBroker(
        url=runtime.redis.url, namespace="wallet-jobs", client_name=runtime.redis.client_name
    )  # type: ignore[no-untyped-call]
    for name, job in JOBS.items():
        dramatiq.Actor(
            _bind(job, runtime),
            broker=broker,
            actor_name=name,
            queue_name=QUEUE,
            priority=0,
            options=dict(RETRY_OPTIONS),
        )
    return broker


def _bind(job: Job, runtime: Runtime) -> t.Callable[[str, dict[str, t.Any]], None]:
    def run(event_id: str, payload: dict[str, t.Any]) -> None:
        job(runtime, event_id, payload)

    run.__name__ = run.__qualname__ = getattr(job, "__name__", "job")
    return run
