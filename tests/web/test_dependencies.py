"""The app's two dependencies, the database and Redis: readiness, and where Redis comes from."""

from __future__ import annotations

import os
import socket
import time
import typing as t
import uuid

import pytest
import redis as redis_lib

from wallet import config as wallet_config

if t.TYPE_CHECKING:
    from pathlib import Path

    from tests.web.conftest import BuildApp
    from wallet.runtime import Runtime


def _closed_port() -> int:
    """Return a loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_readyz_says_503_when_the_database_is_down(
    build_app: BuildApp, tmp_path: Path, kind: str
) -> None:
    url = {
        "postgresql": f"postgresql+psycopg://wallet@127.0.0.1:{_closed_port()}/wallet",
        # A database file inside a folder that does not exist cannot be opened.
        "sqlite": f"sqlite:///{tmp_path / 'missing' / 'wallet.db'}",
    }[kind]
    response = build_app(database_url=url).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"database": "unavailable", "redis": "ok"}


def test_readyz_says_503_when_redis_is_down(build_app: BuildApp) -> None:
    other = build_app(redis_url=f"redis://127.0.0.1:{_closed_port()}/0")
    response = other.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"database": "ok", "redis": "unavailable"}


def test_without_redis_url_the_app_starts_and_stops_its_own_redis(
    build_app: BuildApp, tmp_path: Path
) -> None:
    other = build_app(redis_url="", instance_path=tmp_path)
    runtime: Runtime = other.extensions["wallet"]
    sock = tmp_path / "redis" / "redis.sock"
    assert not sock.exists(), "the embedded server must wait for the first request"

    assert other.test_client().get("/readyz").json == {"database": "ok", "redis": "ok"}
    assert sock.exists()
    probe = redis_lib.Redis(unix_socket_path=str(sock))
    assert probe.ping()
    pid = int(probe.info("server")["process_id"])
    probe.close()

    runtime.redis.close()
    deadline = time.monotonic() + 10
    while _process_exists(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _process_exists(pid), "the embedded Redis server is still running"
    with pytest.raises(redis_lib.ConnectionError):
        redis_lib.Redis(unix_socket_path=str(sock), socket_connect_timeout=1).ping()


def test_with_redis_url_the_app_uses_that_server(build_app: BuildApp, tmp_path: Path) -> None:
    url = wallet_config.testing_environment()["redis_url"]
    if not url:
        pytest.skip("REDIS_URL is not set: no Redis server to talk to (CI's second pass sets it)")
    other = build_app(redis_url=url, instance_path=tmp_path)
    runtime: Runtime = other.extensions["wallet"]

    assert other.test_client().get("/readyz").status_code == 200
    key = f"wallet-test:{uuid.uuid4().hex}"
    runtime.redis.client().set(key, "from the app", ex=60)
    outside = redis_lib.Redis.from_url(url)
    try:
        assert outside.get(key) == b"from the app"
    finally:
        outside.delete(key)
        outside.close()
    assert not (tmp_path / "redis").exists(), "no embedded server may start when REDIS_URL is set"
