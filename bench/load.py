"""Load test: the mixed workload of ``bench/locustfile.py`` against gunicorn on PostgreSQL + Redis.

Run: make load   or
  DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/perfsuite \\
  REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/load.py [--users 200] [--seconds 60]

What it does, in order:
1. migrates the database and seeds, through the services, an issuer with an API client and four
   achievements with skills, and ``--earners`` earners (default 200) each holding two accepted,
   public awards issued by it (signed, delivered to their wallet and verified as a real award is);
2. starts gunicorn with the production settings (``wallet.gunicorn_conf``) and, beside it, one
   ``wallet worker`` process (relay and jobs: the outbox rows the load makes are handed on, and the
   issuer's feed fills), rate limits off (every simulated user comes from 127.0.0.1);
3. signs every earner in (4 at a time: a sign-in is an argon2id check), then runs locust
   headless: ``--users`` users (earners, employers, two issuer systems) for ``--seconds``
   seconds, statistics counted once every user has started;
4. prints requests, errors, p50/p95/p99 over all requests and per endpoint (slowest first), and
   the resident memory (VmRSS) of each web worker after the run.
Targets of issue 11: zero errors, p99 < 250 ms, one web worker <= 150 MB.

The seeded rows stay in the database (each run adds its own earners, named by a run token).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import csv
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import typing as t
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
SKILLS = (
    ("Welding", "ESCO", "S6.2.1"),
    ("Project management", "ESCO", "S4.2.0"),
    ("Python programming", "O*NET", "15-1252.00"),
    ("First aid", "ESCO", "S3.1.4"),
)
#: Awards each earner holds.
AWARDS_EACH = 2
PASSWORD = "correct horse battery staple 42"  # noqa: S105 (the seeded earners' test password)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seed(env: dict[str, str], earners: int, out: Path) -> None:
    """Create the issuer, its client and the earners with public awards; write them to ``out``."""
    from wallet import migrate
    from wallet.accounts import passwords
    from wallet.accounts.models import EmailAddress
    from wallet.accounts.models import User
    from wallet.backpack import service as backpack
    from wallet.config import Config
    from wallet.db import utcnow
    from wallet.issuer_api import service as api_service
    from wallet.issuers import awarding
    from wallet.issuers import service as issuers
    from wallet.issuers.publishing import own_documents_first
    from wallet.runtime import Runtime

    def earner(email: str) -> User:
        """Create an earner with a verified primary address (sign-up's end state)."""
        handle = email.split("@")[0]
        user = User(handle=handle, display_name=handle.title(), password_hash=password_hash)
        address = EmailAddress(
            email=email, normalized=email.lower(), is_primary=True, verified_at=utcnow()
        )
        user.emails.append(address)
        session.add(user)
        session.commit()
        return user

    config = Config.from_env(env)
    runtime = Runtime.build(config)
    migrate.upgrade(runtime.db)
    run = secrets.token_hex(3)
    password_hash = passwords.hash_password(PASSWORD)
    started = time.monotonic()
    with runtime.db.session() as session:
        owner = earner(f"load-issuer-{run}@example.org")
        issuer = issuers.create_issuer(
            session,
            owner.id,
            name=f"Load Academy {run}",
            url="https://load.example",
            email="badges@load.example",
            description="",
            data_keys=config.data_keys,
        )
        achievements = [
            issuers.create_achievement(
                session,
                owner.id,
                issuer.id,
                {
                    "name": f"{name} level {level}",
                    "description": f"Shows {name.lower()}.",
                    "criteria": "Passed the assessment.",
                    "achievement_type": "Certification",
                    "alignments": [{"name": name, "framework": framework, "code": code, "url": ""}],
                },
            )
            for level, (name, framework, code) in enumerate(SKILLS, start=1)
        ]
        client, secret = api_service.create_client(
            session,
            owner.id,
            issuer.id,
            name="load test",
            scopes=["awards:write", "awards:read", "events:read"],
        )
        population = []
        fetch = own_documents_first(session, config, runtime.fetcher().get)
        for number in range(earners):
            email = f"load-{run}-{number}@example.org"
            user = earner(email)
            held = []
            for index in range(AWARDS_EACH):
                achievement = achievements[(number + index) % len(achievements)]
                issued = awarding.award(
                    session,
                    None,
                    issuer.id,
                    achievement.id,
                    email=email,
                    base_url=config.base_url,
                    data_keys=config.data_keys,
                )
                award = awarding.deliver(session, issued.id, base_url=config.base_url, fetch=fetch)
                assert award is not None, "the seeded award did not reach the earner's wallet"
                backpack.accept_award(session, user.id, award.id)
                backpack.set_visibility(session, user.id, award.id, "public")
                held.append(award)
            population.append(
                {
                    "email": email,
                    "password": PASSWORD,
                    "handle": user.handle,
                    "award_ids": [award.id for award in held],
                    "public_ids": [award.public_id for award in held],
                }
            )
            if number % 50 == 49:
                print(f"  seeded {number + 1} earners", flush=True)
        document = {
            "issuer": {
                "client_id": client.client_id,
                "client_secret": secret,
                "achievement_id": achievements[0].public_id,
            },
            "earners": population,
        }
    out.write_text(json.dumps(document))
    print(
        f"seeded {earners} earners with {earners * AWARDS_EACH} public awards "
        f"in {time.monotonic() - started:.0f} s (run {run})",
        flush=True,
    )
    runtime.redis.close()
    runtime.db.dispose()


@contextlib.contextmanager
def serving(env: dict[str, str], port: int, logs: Path, worker: bool) -> t.Iterator[int]:
    """Run gunicorn (production settings) and a ``wallet worker``; yield gunicorn's pid."""
    web = subprocess.Popen(  # noqa: S603 (our interpreter and arguments)
        [sys.executable, "-m", "gunicorn", "--config", "python:wallet.gunicorn_conf"]
        + ["--bind", f"127.0.0.1:{port}", "--access-logfile", str(logs / "access.log")]
        + ["--error-logfile", str(logs / "gunicorn.log"), "wsgi:app"],
        cwd=ROOT,
        env=env,
    )
    background = (
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", "from wallet.cli import main; main()", "worker"]
            + ["--threads", "4"],
            cwd=ROOT,
            env=env,
            stdout=(logs / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        if worker
        else None
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.3)
        else:
            raise SystemExit(f"gunicorn did not start; see {logs / 'gunicorn.log'}")
        yield web.pid
    finally:
        for process in (background, web):
            if process is not None:
                process.send_signal(signal.SIGTERM)
        for process in (background, web):
            if process is not None:
                process.wait(timeout=60)


def sign_in_all(base_url: str, population: Path) -> None:
    """Sign every earner in once, before the clock starts; keep their session cookies.

    A sign-in checks an argon2id hash (64 MiB, on purpose about a CPU-second on this shared
    machine): a few hundred at the same second is a login storm, not browsing. Locust's earners
    start from these sessions, and the sign-in's own latency is printed on its own.
    """
    document = json.loads(population.read_text())

    def one(earner: dict[str, t.Any]) -> float:
        with requests.Session() as http:
            form = http.get(f"{base_url}/sign-in", timeout=120)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text)
            started = time.monotonic()
            answer = http.post(
                f"{base_url}/sign-in",
                data={
                    "csrf_token": token.group(1) if token else "",
                    "email": earner["email"],
                    "password": earner["password"],
                },
                allow_redirects=False,
                timeout=120,
            )
            took = time.monotonic() - started
            if answer.status_code != 302:
                raise SystemExit(f"{earner['email']} could not sign in: {answer.status_code}")
            earner["session"] = http.cookies.get("wallet_session")
            return took

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        took = sorted(pool.map(one, document["earners"]))
    population.write_text(json.dumps(document))
    print(
        f"signed {len(took)} earners in, {time.monotonic() - started:.0f} s "
        f"(sign-in p50 {took[len(took) // 2] * 1000:.0f} ms, 4 at a time)",
        flush=True,
    )


def _kb(path: str, field: str) -> int:
    for line in Path(path).read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def worker_memory(master: int) -> dict[int, tuple[int, int]]:
    """Return (VmRSS, Pss) in kB of each of gunicorn's workers (the children of ``master``).

    VmRSS counts every page the worker touches, also those it shares with the master and the other
    workers (``preload_app``); Pss charges a shared page to each sharer in part, so the workers'
    Pss add up to what they really take.
    """
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = {}
    for pid in children:
        with contextlib.suppress(OSError):
            rss = _kb(f"/proc/{pid}/status", "VmRSS:")
            sizes[int(pid)] = (rss, _kb(f"/proc/{pid}/smaps_rollup", "Pss:"))
    return sizes


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` when it does not exist yet."""
    from sqlalchemy import create_engine
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    engine.dispose()


def report(prefix: Path, memory: dict[int, tuple[int, int]]) -> dict[str, t.Any]:
    """Print the figures from locust's CSV statistics; return them."""
    with open(f"{prefix}_stats.csv") as file:
        rows = list(csv.DictReader(file))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    endpoints = sorted(
        (row for row in rows if row["Name"] != "Aggregated"),
        key=lambda row: float(row["99%"]) if row["99%"].replace(".", "").isdigit() else 0.0,
        reverse=True,
    )
    figures = {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "worker_rss_mb": max(rss for rss, _ in memory.values()) / 1024 if memory else None,
        "worker_pss_mb": max(pss for _, pss in memory.values()) / 1024 if memory else None,
    }
    print()
    print(f"{'measure':<34}{'figure':<22}target")
    print(f"{'requests':<34}{figures['requests']:<22,}-")
    print(f"{'requests per second':<34}{figures['rps']:<22,.1f}-")
    print(f"{'errors':<34}{figures['errors']:<22,}0")
    print(f"{'p50 (ms)':<34}{figures['p50_ms']:<22,.0f}-")
    print(f"{'p95 (ms)':<34}{figures['p95_ms']:<22,.0f}-")
    print(f"{'p99 (ms)':<34}{figures['p99_ms']:<22,.0f}< 250 ms")
    for pid, (rss, pss) in sorted(memory.items()):
        figure = f"{rss / 1024:,.1f} (Pss {pss / 1024:,.1f})"
        print(f"{f'web worker {pid} VmRSS (MB)':<34}{figure:<22}<= 150 MB")
    print()
    heading = f"{'endpoint, slowest p99 first':<44}{'requests':>9}{'errors':>8}"
    print(heading + f"{'p50':>7}{'p95':>7}{'p99':>7}")
    for row in endpoints:
        name = f"{row['Type']} {row['Name']}"[:43]
        print(
            f"{name:<44}{int(row['Request Count']):>9,}{int(row['Failure Count']):>8,}"
            f"{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
        )
    with contextlib.suppress(OSError):
        failures = Path(f"{prefix}_failures.csv").read_text().strip().splitlines()[1:]
        if failures:
            print("\nerrors (locust's failures.csv):")
            print("\n".join(failures[:20]))
    print("BENCH-JSON " + json.dumps(figures))
    return figures


def main() -> None:
    """Seed, serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--earners", type=int, default=200)
    parser.add_argument("--no-worker", action="store_true", help="no `wallet worker` beside it")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database (the load test is for it)")
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("set REDIS_URL to a Redis server, e.g. redis://127.0.0.1:6379/14")
    ensure_database(os.environ["DATABASE_URL"])
    logs = Path(tempfile.mkdtemp(prefix="wallet-load-"))
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WALLET_INSTANCE_PATH": str(logs / "instance"),
        "SECRET_KEY": secrets.token_urlsafe(32),
        "BASE_URL": f"http://127.0.0.1:{port}",
        "PORT": str(port),
        "RATELIMIT_ENABLED": "0",
        "WALLET_EMBEDDED_WORKER": "0",
        "WALLET_LOAD_DATA": str(logs / "population.json"),
    }
    seed(env, options.earners, logs / "population.json")
    with serving(env, port, logs, worker=not options.no_worker) as master:
        sign_in_all(env["BASE_URL"], logs / "population.json")
        print(
            f"locust: {options.users} users for {options.seconds} s against "
            f"gunicorn {env['BASE_URL']}; logs in {logs}",
            flush=True,
        )
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py")]
            + ["--headless", "--users", str(options.users)]
            + ["--spawn-rate", str(options.spawn_rate), "--run-time", f"{options.seconds}s"]
            + ["--host", env["BASE_URL"], "--csv", str(logs / "locust"), "--only-summary"]
            + ["--loglevel", "WARNING", "--stop-timeout", "10", "--reset-stats"],
            cwd=ROOT,
            env=env,
            check=False,
            stdout=(logs / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        memory = worker_memory(master)
    report(logs / "locust", memory)


if __name__ == "__main__":
    main()
