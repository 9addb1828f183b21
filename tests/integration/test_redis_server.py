"""With ``REDIS_URL`` set, the app talks to that server and starts nothing of its own."""

from __future__ import annotations

import typing as t
import uuid
from dataclasses import replace

import pytest
import redis as redis_lib

from wallet.app import create_app

if t.TYPE_CHECKING:
    from pathlib import Path

    from wallet.config import Config
    from wallet.runtime import Runtime


def test_with_redis_url_the_app_uses_that_server(base_config: Config, tmp_path: Path) -> None:
    url = base_config.redis_url  # REDIS_URL of the test run
    if not url:
        pytest.skip("REDIS_URL is not set: no Redis server to talk to (CI's second pass sets it)")
    app = create_app(replace(base_config, redis_url=url, instance_path=tmp_path))
    runtime: Runtime = app.extensions["wallet"]
    outside = redis_lib.Redis.from_url(url)
    key = f"wallet-test:{uuid.uuid4().hex}"
    try:
        assert app.test_client().get("/readyz").json == {"database": "ok", "redis": "ok"}
        runtime.redis.client().set(key, "from the app", ex=60)
        assert outside.get(key) == b"from the app"
        assert not (tmp_path / "redis").exists(), "no embedded server may start with REDIS_URL"
    finally:
        outside.delete(key)
        outside.close()
        runtime.redis.close()
        runtime.db.dispose()
