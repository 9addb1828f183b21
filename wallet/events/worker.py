"""Run the relay and the job workers: as threads inside ``wallet run``, or as ``wallet worker``."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from wallet.runtime import Runtime


class Background:
    """Relay and worker threads started together and stopped together."""

    def stop(self) -> None:
        """Stop every thread and wait for it."""


def start_in_background(runtime: Runtime) -> Background:
    """Start the relay and worker threads; return a handle that stops them."""
    return Background()


def run_forever(runtime: Runtime, *, threads: int, relay: bool) -> None:
    """Run workers (and the relay) in the foreground until SIGINT/SIGTERM."""
    raise NotImplementedError
