"""Webhook deliveries per second and latency from commit to receipt, against a bare POST loop.

Run (SQLite file and embedded Redis in a throwaway folder):
    .venv/bin/python -m bench.events [--count 10000] [--rate 1500] [--threads 8]
On PostgreSQL and a Redis server (the schema of that database is dropped and rebuilt):
    .venv/bin/python -m bench.events --database-url postgresql+psycopg://.../engfault \
        --redis-url redis://127.0.0.1:6379/13

Three processes, as in production: this one commits the actions (``award.shared`` outbox rows in
transactions of 100, at ``--rate`` events a second); one ``wallet worker`` process
(``tests.worker_process``: relay, webhook dispatcher and a Dramatiq worker with ``--threads``
threads); and a local receiver process (``tests.receiver``, asyncio with keep-alive) that logs
when each ``webhook-id`` first arrives. Latency is that arrival minus the commit of the event's
transaction; deliveries per second are the deliveries over the time from the first commit to
the last arrival. Beside it: a bare ``requests.Session`` POST loop to the same receiver.
Targets of issue 10: >= 1,000 deliveries/s, p99 <= 2 s, ratio to the bare loop >= 0.5.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from sqlalchemy import select
from sqlalchemy import text

from tests.factories import make_award
from tests.factories import make_user
from tests.worker_process import settings_file
from wallet import migrate
from wallet.config import config_for_tests
from wallet.engagement import webhooks
from wallet.engagement.models import IssuerEvent
from wallet.events import outbox
from wallet.events.catalog import AwardShared
from wallet.issuers import awarding
from wallet.issuers import service as issuers
from wallet.runtime import Runtime

#: Outbox rows committed per transaction.
BATCH = 100


def _cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _arrivals(path: Path) -> dict[str, float]:
    first: dict[str, float] = {}
    for line in path.read_text().splitlines():
        message, _sep, at = line.partition(" ")
        if at:
            first.setdefault(message, float(at))
    return first


def _wait_for(path: Path, count: int, timeout: float) -> dict[str, float]:
    deadline = time.monotonic() + timeout
    found = _arrivals(path)
    while len(found) < count and time.monotonic() < deadline:
        time.sleep(0.2)
        found = _arrivals(path)
    return found


def _setup(runtime: Runtime, url: str) -> tuple[int, int]:
    """Make an issuer with an endpoint at ``url`` and one held award; return its ids."""
    keys = runtime.config.data_keys
    with runtime.db.session() as session:
        owner = make_user(session)
        issuer = issuers.create_issuer(
            session,
            owner.id,
            name="Bench",
            url="https://bench.example",
            email="b@bench.example",
            description="",
            data_keys=keys,
        )
        achievement = issuers.create_achievement(
            session, owner.id, issuer.id, {"name": "A", "description": "d", "criteria": "c"}
        )
        issued = awarding.award(
            session,
            owner.id,
            issuer.id,
            achievement.id,
            email="e@example.org",
            base_url=runtime.config.base_url,
            data_keys=keys,
        )
        webhooks.create_endpoint(
            session,
            owner.id,
            issuer.id,
            url=url,
            description="",
            event_types=["award.shared"],
            data_keys=keys,
            allow_http=True,
        )
        held = make_award(
            session,
            owner,
            credential_id=f"{runtime.config.base_url}/ob/v3/credentials/{issued.public_id}",
        )
        return held.id, owner.id


def _produce(runtime: Runtime, award_id: int, owner_id: int, count: int, rate: float) -> dict:
    """Commit ``count`` shares in transactions of ``BATCH`` at ``rate`` a second (0: at once)."""
    commits: dict[str, float] = {}
    started = time.monotonic()
    with runtime.db.session() as session:
        for done in range(0, count, BATCH):
            if rate:
                time.sleep(max(0.0, started + done / rate - time.monotonic()))
            rows = [
                outbox.record(
                    session, AwardShared(award_id=award_id, channel="x", about_user_id=owner_id)
                )
                for _ in range(min(BATCH, count - done))
            ]
            session.commit()
            now = time.time()
            for row in rows:
                commits[row.event_id] = now
    return commits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=1_500, help="events a second; 0: at once")
    parser.add_argument("--threads", type=int, default=8, help="Dramatiq threads of the worker")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-events-"))
    config = config_for_tests(
        folder, database_url=args.database_url or None, redis_url=args.redis_url
    )
    runtime = Runtime.build(config)
    if runtime.db.dialect == "postgresql":
        with runtime.db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(runtime.db)
    runtime.redis.client().flushdb()

    port_file, log = folder / "receiver.port", folder / "arrivals.log"
    log.touch()
    python = sys.executable
    receiver = subprocess.Popen([python, "-m", "tests.receiver", str(port_file), str(log)])  # noqa: S603
    while not port_file.exists() or not port_file.read_text():
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port_file.read_text()}/hook"
    award_id, owner_id = _setup(runtime, url)
    settings = settings_file(folder, config, threads=args.threads)
    worker = subprocess.Popen([python, "-m", "tests.worker_process", str(settings)])  # noqa: S603
    try:
        # Warm up: the worker has started, connected and delivered once before the clock runs.
        _produce(runtime, award_id, owner_id, 1, 0)
        _wait_for(log, 1, 60)
        log.write_text("")
        cpu_before = _cpu_seconds(worker.pid)
        commits = _produce(runtime, award_id, owner_id, args.count, args.rate)
        arrived = _wait_for(log, args.count, 600)
        worker_cpu = _cpu_seconds(worker.pid) - cpu_before
    finally:
        worker.terminate()
        worker.wait(30)
    with runtime.db.session() as session:
        by_message = dict(
            session.execute(select(IssuerEvent.public_id, IssuerEvent.source_event_id)).all()
        )
    latencies = [
        at - commits[by_message[message]]
        for message, at in arrived.items()
        if by_message.get(message) in commits
    ]
    span = max(arrived.values()) - min(commits.values())
    rate = len(latencies) / span

    body = b'{"id":"evt_x","type":"award.shared","timestamp":"2026-01-01T00:00:00Z","data":{}}'
    bare_started, bare_cpu = time.monotonic(), time.process_time()
    with requests.Session() as http:
        for n in range(args.count):
            http.post(url, data=body, headers={"webhook-id": f"bare{n}"}, timeout=10)
    bare = args.count / (time.monotonic() - bare_started)
    bare_cpu = (time.process_time() - bare_cpu) / args.count
    receiver.terminate()
    receiver.wait(10)

    print(f"database {runtime.db.dialect}, {args.count:,} events offered at {args.rate:,.0f}/s")
    print(f"{'measure':<40}{'figure':<24}target")
    print(f"{'deliveries per second':<40}{rate:<24,.0f}>= 1,000/s")
    p50, p99 = _percentile(latencies, 0.5), _percentile(latencies, 0.99)
    print(f"{'latency commit -> receipt p50 (s)':<40}{p50:<24.3f}-")
    print(f"{'latency commit -> receipt p99 (s)':<40}{p99:<24.3f}<= 2 s")
    print(f"{'bare requests POST loop per second':<40}{bare:<24,.0f}-")
    print(f"{'ratio to the bare loop':<40}{rate / bare:<24.2f}>= 0.5")
    print(f"(delivered {len(latencies):,} of {args.count:,})")
    # CPU time does not depend on what else the machine runs: what one delivery costs the worker
    # process (relay, dispatch, signing, POST, log), against one POST of the bare loop.
    per_delivery = worker_cpu / max(1, len(latencies))
    print(f"{'worker CPU per delivery (ms)':<40}{per_delivery * 1000:<24.2f}-")
    print(f"{'bare loop CPU per POST (ms)':<40}{bare_cpu * 1000:<24.2f}-")
    print(f"{'deliveries per worker CPU second':<40}{1 / per_delivery:<24,.0f}-")
    figures = {
        "deliveries_per_s": rate,
        "p50_s": p50,
        "p99_s": p99,
        "bare_per_s": bare,
        "worker_cpu_ms_per_delivery": per_delivery * 1000,
    }
    print(
        "BENCH-JSON " + json.dumps({"database": runtime.db.dialect, "count": args.count} | figures)
    )
    runtime.redis.close()


if __name__ == "__main__":
    main()
