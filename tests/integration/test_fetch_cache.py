"""Fetched documents are kept in Redis as long as their headers allow, within bounds."""

from __future__ import annotations

import threading
import typing as t
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import pytest

from wallet.fetch_cache import CachedFetcher
from wallet.fetch_cache import cache_seconds
from wallet.http import HttpClient
from wallet.http import HttpSettings

if t.TYPE_CHECKING:
    import redis as redis_lib


class _Counting(BaseHTTPRequestHandler):
    hits: t.ClassVar[dict[str, int]] = {}

    def log_message(self, *args: object) -> None:
        return

    def do_GET(self) -> None:  # noqa: N802
        _Counting.hits[self.path] = _Counting.hits.get(self.path, 0) + 1
        control = {"/store": "max-age=600", "/no-store": "no-store"}.get(self.path, "")
        body = b'{"n": %d}' % _Counting.hits[self.path]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if control:
            self.send_header("Cache-Control", control)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def base_url() -> t.Iterator[str]:
    """A local server that counts how often each path is fetched."""
    _Counting.hits = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_cacheable_document_is_fetched_once(redis: redis_lib.Redis, base_url: str) -> None:
    fetcher = CachedFetcher(HttpClient(HttpSettings(allow_loopback=True)), redis)
    first = fetcher.get(f"{base_url}/store", accept=("application/json",))
    second = fetcher.get(f"{base_url}/store", accept=("application/json",))
    assert first.content == second.content == b'{"n": 1}'
    assert _Counting.hits["/store"] == 1
    assert 0 < redis.ttl(next(iter(redis.scan_iter("fetch:*")))) <= 600


def test_no_store_is_never_cached(redis: redis_lib.Redis, base_url: str) -> None:
    fetcher = CachedFetcher(HttpClient(HttpSettings(allow_loopback=True)), redis)
    fetcher.get(f"{base_url}/no-store", accept=("application/json",))
    again = fetcher.get(f"{base_url}/no-store", accept=("application/json",))
    assert again.content == b'{"n": 2}'


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Cache-Control": "no-store"}, 0),
        ({"Cache-Control": "max-age=0"}, 300),
        ({"Cache-Control": "public, max-age=3600"}, 3600),
        ({"cache-control": "max-age=31536000"}, 86_400),
        ({"Cache-Control": "no-cache"}, 300),
        ({}, 300),
        ({"Expires": "Thu, 01 Jan 1970 00:00:00 GMT"}, 300),
    ],
)
def test_cache_lifetimes_follow_the_headers_within_bounds(
    headers: dict[str, str], expected: int
) -> None:
    assert cache_seconds(headers, floor=300, ceiling=86_400) == expected
