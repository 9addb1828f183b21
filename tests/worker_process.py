"""Run ``wallet worker`` (relay, scheduler, webhook dispatcher, Dramatiq worker) as a process.

The fault test and the events benchmark start it with ``subprocess`` and kill it with SIGKILL.
It is the production worker (``wallet.events.worker.run_forever``) on the test configuration,
which no environment variable can give a deployed wallet: loopback receivers are allowed, and
the retry schedule and lease are the ones the caller writes in the settings file (compressed).

Run: ``python -m tests.worker_process SETTINGS.json``.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from wallet.config import Config
from wallet.config import config_for_tests
from wallet.events import worker
from wallet.runtime import Runtime


def settings_file(folder: Path, config: Config, *, threads: int) -> Path:
    """Write the settings a worker process needs to share ``config``'s database and secrets."""
    path = folder / "worker.json"
    path.write_text(
        json.dumps(
            {
                "instance_path": str(config.instance_path),
                "database_url": config.database_url,
                "redis_url": config.redis_url,
                "secret_key": config.secret_key,
                "webhook_retry_schedule": list(config.webhook_retry_schedule),
                "webhook_lease": config.webhook_lease,
                "threads": threads,
            }
        )
    )
    return path


def main(path: str) -> None:
    """Run the worker described by the settings file until SIGTERM or SIGKILL."""
    settings = json.loads(Path(path).read_text())
    config = config_for_tests(
        Path(settings["instance_path"]),
        database_url=settings["database_url"],
        redis_url=settings["redis_url"],
    ).with_overrides(
        secret_key=settings["secret_key"],
        webhook_retry_schedule=tuple(settings["webhook_retry_schedule"]),
        webhook_lease=settings["webhook_lease"],
    )
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    worker.run_forever(Runtime.build(config), threads=settings["threads"], relay=True)


if __name__ == "__main__":
    main(sys.argv[1])
