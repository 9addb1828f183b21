"""The runtime's dependencies: the secret key, the database URL, the embedded Redis server."""

from __future__ import annotations

import typing as t

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from wallet.config import Config
from wallet.redis_store import RedisStore

if t.TYPE_CHECKING:
    from pathlib import Path


def test_a_secret_key_is_generated_on_first_run_and_kept(tmp_path: Path) -> None:
    env = {"WALLET_INSTANCE_PATH": str(tmp_path)}
    first = Config.from_env(env)
    second = Config.from_env(env)
    assert len(first.secret_key) >= 40
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    other = Config.from_env({"WALLET_INSTANCE_PATH": str(tmp_path / "elsewhere")})
    assert other.secret_key != first.secret_key


def test_a_secret_key_from_the_environment_wins(tmp_path: Path) -> None:
    config = Config.from_env({"WALLET_INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "s" * 50})
    assert config.secret_key == "s" * 50
    assert not (tmp_path / "secret_key").exists()


def test_database_urls_default_to_sqlite_and_name_psycopg_for_postgres(tmp_path: Path) -> None:
    default = Config.from_env({"WALLET_INSTANCE_PATH": str(tmp_path)})
    assert default.database_url == f"sqlite:///{tmp_path / 'wallet.db'}"
    for url in ("postgres://u@h/db", "postgresql://u@h/db"):
        config = Config.from_env({"WALLET_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": url})
        assert config.database_url == "postgresql+psycopg://u@h/db"


def test_the_embedded_redis_starts_on_first_use_and_stops_at_close(tmp_path: Path) -> None:
    store = RedisStore("", tmp_path / "redis" / "redis.sock")
    assert not store.socket.exists()

    store.client().set("greeting", "hello")
    assert store.socket.exists()
    assert redis.Redis(unix_socket_path=str(store.socket)).get("greeting") == b"hello"

    store.close()
    with pytest.raises(redis.ConnectionError):
        redis.Redis(unix_socket_path=str(store.socket), retry=Retry(NoBackoff(), 0)).ping()


def test_a_second_process_reuses_a_running_embedded_redis(tmp_path: Path) -> None:
    socket = tmp_path / "redis" / "redis.sock"
    first = RedisStore("", socket)
    first.client().set("shared", "yes")
    second = RedisStore("", socket)
    try:
        assert second.client().get("shared") == b"yes"
        second.close()  # not the owner: must leave the server running for the first
        assert first.client().ping()
    finally:
        first.close()


def test_a_redis_url_is_used_as_given() -> None:
    store = RedisStore("redis://127.0.0.1:6379/15", "/nonexistent/redis.sock")  # type: ignore[arg-type]
    assert store.url == "redis://127.0.0.1:6379/15"
    assert store.limiter_uri == "redis://127.0.0.1:6379/15"
    assert not store.embedded
