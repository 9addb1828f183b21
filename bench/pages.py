"""Public page throughput under gunicorn: the skills page and a public award page against a bare
Flask "hello" app served with the same settings. Prints requests per second and the ratios
(issue 7 target: skills page >= 0.5 of hello).

Run: .venv/bin/python bench/pages.py [SECONDS]   (4 s a page and round, 3 rounds, about two
minutes; loopback only, a throwaway SQLite database and embedded Redis in a temp folder; with
DATABASE_URL set, that database, migrated to head, holds the earner instead, and keeps it)

Each app runs in its own gunicorn with the production settings (``wallet.gunicorn_conf``, the
access log to /dev/null) and is driven by client *processes* on keep-alive connections, so the
client's GIL does not cap the figure. The skills page is measured as employers meet it:
anonymous, so answered after the first request by the cached-page door (``wallet.web.fastpages``)
in front of Flask: one indexed SQL lookup of the earner's fingerprint, then the page from the
process's memory or Redis. The award page has no cache (an ETag only). Both servers stay up and
are measured in alternating rounds, the best of each kept; the machine is shared: compare
ratios, not figures.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import multiprocessing
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import typing as t
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: gunicorn settings shared by every app measured: production's, but the access log and a short
#: graceful stop (the clients' kept-alive connections would hold each stop for 20 s).
GUNICORN = ["--config", "python:wallet.gunicorn_conf", "--access-logfile", os.devnull]
GUNICORN += ["--graceful-timeout", "3"]
#: Awards the earner holds (public, with skills from 5 issuers and 2 frameworks).
AWARDS = 200
CLIENTS = 4
SECONDS = 4.0
ROUNDS = 3
#: Seconds of requests before each measure, not counted.
WARM_UP = 2.0

HELLO = """
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seed(env: dict[str, str]) -> tuple[str, str]:
    """Create the schema and an earner with ``AWARDS`` public awards; return (handle, public id)."""
    from wallet import migrate
    from wallet.accounts.models import User
    from wallet.backpack.models import Award
    from wallet.backpack.models import AwardSkill
    from wallet.config import Config
    from wallet.runtime import Runtime

    runtime = Runtime.build(Config.from_env(env))
    migrate.upgrade(runtime.db)
    with runtime.db.session() as session:
        handle = f"bench-earner-{secrets.token_hex(3)}"
        user = User(handle=handle, display_name="Bench Earner", password_hash="x")  # noqa: S106 (never signs in)
        session.add(user)
        session.flush()
        for number in range(AWARDS):
            name = f"Skill {number % 25}"
            alignment = {
                "name": name,
                "url": "",
                "framework": ("ESCO", "O*NET")[number % 2],
                "code": str(number % 25),
                "description": "",
            }
            award = Award(
                user_id=user.id,
                original=b"{}",
                original_type="application/json",
                format="ob3-credential",
                credential_id=f"urn:uuid:bench-{number}",
                issuer_name=f"Issuer {number % 5}",
                achievement_name=f"Achievement {number}",
                achievement_type=("Course", "Certification")[number % 2],
                issued_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=number),
                verification_status="valid",
                verification={
                    "status": "valid",
                    "checks": [{"name": "signature", "status": "pass"}],
                },
                visibility="public",
                details={"alignments": [alignment], "evidence": []},
            )
            award.skills = [AwardSkill(name=name, normalized=name.lower())]
            session.add(award)
        session.commit()
        public_id = session.query(Award.public_id).order_by(Award.id).limit(1).scalar()
    runtime.redis.close()
    runtime.db.dispose()
    return handle, str(public_id)


@contextlib.contextmanager
def gunicorn(app: str, folder: Path, env: dict[str, str]) -> t.Iterator[int]:
    """Serve ``app`` (``module:name`` in ``folder``) with ``GUNICORN``; yield its port."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "gunicorn", *GUNICORN, "--bind", f"127.0.0.1:{port}"]
        + ["--chdir", str(folder), app],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("BENCH_LOG", os.devnull), "a"),  # noqa: SIM115
    )
    try:
        # The socket accepts as soon as the master binds; the workers answer once they have
        # imported the app, which takes seconds on a loaded machine: wait for an answer.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("GET", "/")
                connection.getresponse().read()
                break
            time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn serving {app} did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _client(port: int, path: str, seconds: float, results: t.Any) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    done, bad, first_bad = 0, 0, ""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status == 200:
            done += 1
        else:
            bad += 1
            first_bad = first_bad or f"{response.status} {response.reason}"
    results.put((done, bad, first_bad))


def rate(port: int, path: str, seconds: float = SECONDS) -> float:
    """Return successful requests per second on ``path`` from ``CLIENTS`` client processes."""
    # Warm-up from every client at once, so each gunicorn worker has served the page (templates
    # compiled, catalogues loaded, connections open) before the clock starts.
    _drive(port, path, WARM_UP)
    return _drive(port, path, seconds) / seconds


def _drive(port: int, path: str, seconds: float) -> int:
    """Return how many requests ``CLIENTS`` client processes got answered in ``seconds``."""
    results: t.Any = multiprocessing.Queue()
    clients = [
        multiprocessing.Process(target=_client, args=(port, path, seconds, results))
        for _ in range(CLIENTS)
    ]
    for process in clients:
        process.start()
    totals = [results.get() for _ in clients]
    for process in clients:
        process.join()
    if any(bad for _, bad, _ in totals):
        raise SystemExit(f"{path} answered errors: {totals}")
    return sum(done for done, _, _ in totals)


def main(seconds: float) -> None:
    """Seed, serve each app in turn, measure and print the table."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "hello.py").write_text(HELLO)
        env = {
            **os.environ,
            "WALLET_INSTANCE_PATH": str(base / "instance"),
            "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{base / 'wallet.db'}",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("REDIS_URL", None)
        handle, public_id = seed(env)
        paths = {
            "hello": "/",
            "skills": f"/@{handle}/skills",
            "award": f"/a/{public_id}",
            "skills (filtered)": f"/@{handle}/skills?issuer=Issuer+3",
        }
        figures: dict[str, float] = dict.fromkeys(paths, 0.0)
        # Both servers stay up and are measured in alternating rounds, best of each kept: a
        # shared machine's load then weighs on every figure alike.
        with (
            gunicorn("hello:app", base, env) as hello_port,
            gunicorn("wsgi:app", ROOT, env) as port,
        ):
            for _ in range(ROUNDS):
                for name, path in paths.items():
                    rate_now = rate(hello_port if name == "hello" else port, path, seconds)
                    figures[name] = max(figures[name], rate_now)

    hello = figures["hello"]
    rows = [
        ("bare Flask hello", f"{hello:,.0f}/s", "1.00", "-"),
        (
            f"skills page /@handle/skills ({AWARDS} awards)",
            f"{figures['skills']:,.0f}/s",
            f"{figures['skills'] / hello:.2f}",
            ">= 0.50",
        ),
        (
            "skills page, filtered by issuer",
            f"{figures['skills (filtered)']:,.0f}/s",
            f"{figures['skills (filtered)'] / hello:.2f}",
            "-",
        ),
        (
            "public award page /a/<public_id>",
            f"{figures['award']:,.0f}/s",
            f"{figures['award'] / hello:.2f}",
            "-",
        ),
    ]
    width = max(len(name) for name, *_ in rows)
    print(f"{'page'.ljust(width)}  {'requests':<12}  {'of hello':<8}  target")
    for name, figure, ratio, target in rows:
        print(f"{name.ljust(width)}  {figure:<12}  {ratio:<8}  {target}")
    database = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    # One line for bench/run_all.py.
    print("BENCH-JSON " + json.dumps({"database": database, "seconds": seconds} | figures))


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else SECONDS)
