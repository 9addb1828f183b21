"""Webhook deliveries per second and latency from commit to receipt, against a bare POST loop.

Run: .venv/bin/python -m bench.events [COUNT]   (default 2,000; a throwaway SQLite database and
embedded Redis). One process runs the relay, the webhook dispatcher and a Dramatiq worker
(``Background``, 8 worker threads), as ``wallet worker`` does; a local receiver (a threaded HTTP
server on 127.0.0.1) records when each ``webhook-id`` arrives. Events are committed in
transactions of 100 outbox rows (``award.shared`` of one award, which starts no other job; each
becomes an issuer event);
latency is receipt time minus its transaction's commit time. Beside it: a bare
``requests.Session`` POST loop of the same signed bodies to the same receiver.
Targets of issue 10: >= 1,000 deliveries/s, p99 <= 2 s, ratio to the bare loop >= 0.5.
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path

import requests

from tests.factories import make_award
from tests.factories import make_user
from wallet import migrate
from wallet.config import config_for_tests
from wallet.engagement import webhooks
from wallet.events import outbox
from wallet.events.catalog import AwardShared
from wallet.events.worker import Background
from wallet.issuers import awarding
from wallet.issuers import service as issuers
from wallet.runtime import Runtime


class Receiver:
    """Records the arrival time of every webhook-id."""

    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.arrivals.setdefault(self.headers["webhook-id"], time.monotonic())
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main(count: int) -> None:
    instance = Path(tempfile.mkdtemp(prefix="bench-events-"))
    runtime = Runtime.build(config_for_tests(instance))
    migrate.upgrade(runtime.db)
    keys = runtime.config.data_keys
    receiver = Receiver()
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
            url=receiver.url,
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
        award_id, owner_id = held.id, owner.id

    background = Background(runtime, threads=8).start()
    commits: dict[str, float] = {}
    started = time.monotonic()
    with runtime.db.session() as session:
        for _batch in range(0, count, 100):
            rows = [
                outbox.record(
                    session, AwardShared(award_id=award_id, channel="x", about_user_id=owner_id)
                )
                for _ in range(100)
            ]
            session.commit()
            now = time.monotonic()
            for row in rows:
                commits[row.event_id] = now
    from sqlalchemy import select

    from wallet.engagement.models import IssuerEvent

    deadline = time.monotonic() + 600
    while len(receiver.arrivals) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    finished = time.monotonic()
    background.stop()
    with runtime.db.session() as session:
        by_message = dict(
            session.execute(select(IssuerEvent.public_id, IssuerEvent.source_event_id)).all()
        )
    latencies = [
        arrived - commits[by_message[message]]
        for message, arrived in receiver.arrivals.items()
        if by_message.get(message) in commits
    ]
    rate = len(latencies) / (finished - started)

    body = b'{"id":"evt_x","type":"award.created","timestamp":"2026-01-01T00:00:00Z","data":{}}'
    bare_started = time.monotonic()
    with requests.Session() as http:
        for n in range(count):
            http.post(receiver.url, data=body, headers={"webhook-id": f"bare{n}"}, timeout=10)
    bare = count / (time.monotonic() - bare_started)

    print(f"{'measure':<40}{'figure':<24}target")
    print(f"{'deliveries per second':<40}{rate:<24,.0f}>= 1,000/s")
    p50, p99 = _percentile(latencies, 0.5), _percentile(latencies, 0.99)
    print(f"{'latency commit -> receipt p50':<40}{p50:<24.3f}-")
    print(f"{'latency commit -> receipt p99':<40}{p99:<24.3f}<= 2 s")
    print(f"{'bare requests POST loop':<40}{bare:<24,.0f}-")
    print(f"{'ratio to the bare loop':<40}{rate / bare:<24.2f}>= 0.5")
    print(f"(delivered {len(latencies)} of {count})")
    figures = {"deliveries_per_s": rate, "p50_s": p50, "p99_s": p99, "bare_per_s": bare}
    print("BENCH-JSON " + json.dumps({"database": runtime.db.dialect, "count": count} | figures))
    runtime.redis.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000)
