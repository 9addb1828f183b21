"""Run the relay and the job workers: as threads inside ``wallet run``, or as ``wallet worker``."""

from __future__ import annotations

import logging
import signal
import threading
import typing as t

from dramatiq import Worker

from wallet.engagement.delivery import dispatch_forever
from wallet.events.broker import build_broker
from wallet.events.relay import relay_forever
from wallet.events.scheduler import schedule_forever

if t.TYPE_CHECKING:
    from wallet.runtime import Runtime

log = logging.getLogger(__name__)


class Background:
    """A Dramatiq worker and, optionally, the relay, scheduler and webhook dispatcher threads."""

    def __init__(self, runtime: Runtime, *, threads: int = 2, relay: bool = True) -> None:
        self.broker = build_broker(runtime)
        self.worker = Worker(self.broker, worker_threads=threads, worker_timeout=500)
        self._stop = threading.Event()
        #: Set by the relay when it queued webhook deliveries; wakes the dispatcher.
        self._wake = threading.Event()
        #: The relay, the scheduler and the webhook dispatcher: one of each per process that relays.
        self._threads = (
            [
                threading.Thread(
                    target=relay_forever,
                    args=(runtime, self.broker, self._stop),
                    kwargs={"wake": self._wake},
                    name="wallet-relay",
                    daemon=True,
                ),
                threading.Thread(
                    target=schedule_forever,
                    args=(runtime, self.broker, self._stop),
                    name="wallet-scheduler",
                    daemon=True,
                ),
                threading.Thread(
                    target=dispatch_forever,
                    args=(runtime, self.broker, self._stop),
                    kwargs={"wake": self._wake},
                    name="wallet-webhooks",
                    daemon=True,
                ),
            ]
            if relay
            else []
        )

    def start(self) -> Background:
        """Start the worker threads and the relay."""
        self.worker.start()
        for thread in self._threads:
            thread.start()
        log.info("background jobs started (relay and scheduler: %s)", bool(self._threads))
        return self

    def stop(self) -> None:
        """Stop the relay and the workers, letting running jobs finish."""
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout=10)
        self.worker.stop(timeout=10_000)
        self.broker.close()


def start_in_background(runtime: Runtime) -> Background:
    """Start the relay and worker threads; return a handle that stops them."""
    return Background(runtime).start()


def run_forever(runtime: Runtime, *, threads: int, relay: bool) -> None:
    """Run workers (and the relay) in the foreground until SIGINT or SIGTERM."""
    stopped = threading.Event()

    def _on_signal(signum: int, _frame: object) -> None:
        log.info("signal %s: stopping", signum)
        stopped.set()

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    background = Background(runtime, threads=threads, relay=relay).start()
    try:
        stopped.wait()
    finally:
        background.stop()
        runtime.redis.close()
