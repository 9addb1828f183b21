"""The runtime: configuration plus the database and Redis of one process.

``create_app`` builds one and keeps it in ``app.extensions["wallet"]``; the worker and the relay
receive it explicitly. It holds no request state, so it is safe to share between threads.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from wallet.db import Database
from wallet.fetch_cache import CachedFetcher
from wallet.http import HttpClient
from wallet.http import HttpSettings
from wallet.redis_store import RedisStore

if t.TYPE_CHECKING:
    from wallet.config import Config


@dataclass
class Runtime:
    """What every process of the wallet needs: config, database, Redis, outbound HTTP."""

    config: Config
    db: Database
    redis: RedisStore
    #: The one outbound HTTP client (SSRF-guarded); see ``wallet.http``.
    http: HttpClient

    @classmethod
    def build(cls, config: Config) -> Runtime:
        """Create the database engine and the Redis holder (neither connects yet)."""
        return cls(
            config=config,
            db=Database(config.database_url),
            redis=RedisStore(config.redis_url, config.embedded_redis_socket),
            http=HttpClient(HttpSettings(allow_loopback=config.http_allow_loopback)),
        )

    def fetcher(self) -> CachedFetcher:
        """Return a fetcher that keeps issuer documents, keys and status lists in Redis."""
        return CachedFetcher(self.http, self.redis.client())
