"""Configuration from the environment: a secret key that survives restarts, database URLs."""

from __future__ import annotations

import stat
import typing as t

import pytest

from wallet.config import Config

if t.TYPE_CHECKING:
    from pathlib import Path


def test_a_secret_key_is_generated_on_first_run_and_reused_after(tmp_path: Path) -> None:
    environ = {"WALLET_INSTANCE_PATH": str(tmp_path / "instance")}
    first = Config.from_env(environ)
    stored = tmp_path / "instance" / "secret_key"
    assert stored.read_text().strip() == first.secret_key
    assert len(first.secret_key) >= 32
    # Only the wallet's own user may read the key that signs sessions.
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600

    assert Config.from_env(environ).secret_key == first.secret_key


def test_each_instance_gets_its_own_secret_key(tmp_path: Path) -> None:
    one = Config.from_env({"WALLET_INSTANCE_PATH": str(tmp_path / "one")})
    two = Config.from_env({"WALLET_INSTANCE_PATH": str(tmp_path / "two")})
    assert one.secret_key != two.secret_key


def test_a_secret_key_from_the_environment_wins_and_nothing_is_written(tmp_path: Path) -> None:
    environ = {"WALLET_INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "from-the-operator"}
    assert Config.from_env(environ).secret_key == "from-the-operator"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u:p@db:5432/wallet", "postgresql+psycopg://u:p@db:5432/wallet"),
        ("postgresql://u@db/wallet", "postgresql+psycopg://u@db/wallet"),
        ("postgresql+psycopg://u@db/wallet", "postgresql+psycopg://u@db/wallet"),
        ("sqlite:////srv/wallet.db", "sqlite:////srv/wallet.db"),
    ],
)
def test_database_urls_are_spelled_for_psycopg_3(tmp_path: Path, given: str, used: str) -> None:
    environ = {"WALLET_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": given}
    assert Config.from_env(environ).database_url == used


def test_without_database_url_the_database_is_a_sqlite_file_in_the_instance(
    tmp_path: Path,
) -> None:
    config = Config.from_env({"WALLET_INSTANCE_PATH": str(tmp_path)})
    assert config.database_url == f"sqlite:///{tmp_path / 'wallet.db'}"
    assert config.redis_url == ""
    assert config.embedded_redis_socket == tmp_path / "redis" / "redis.sock"
