"""The outbound client refuses what it must and fetches what it may, from a real local server."""

from __future__ import annotations

import socket
import threading
import time
import typing as t
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wallet import http

JSON = ("application/json", "application/ld+json")


class _Handler(BaseHTTPRequestHandler):
    """Answers by path: /json, /big, /chunked, /drip, /html, /gone, /to/<path>, /loop, /private."""

    def log_message(self, *args: object) -> None:
        return

    def _send(self, status: int, body: bytes, kind: str = "application/json", **extra: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        path = self.path
        if path == "/json":
            self._send(200, b'{"ok": true}', "application/ld+json; charset=utf-8")
        elif path == "/big":
            self._send(200, b"x" * 5000)
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(10):
                self.wfile.write(b"3e8\r\n" + b"y" * 1000 + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(0.05)
        elif path == "/html":
            self._send(200, b"<html></html>", "text/html")
        elif path == "/gone":
            self._send(410, b"{}")
        elif path.startswith("/to/"):
            self._send(302, b"", Location=path[3:])
        elif path == "/loop":
            self._send(302, b"", Location="/loop")
        elif path == "/private":
            self._send(302, b"", Location="http://10.1.2.3/json")
        else:
            self._send(404, b"{}")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.path == "/hook":
            self._send(200, b'{"received": %d}' % len(body))
        else:
            self._send(307, b"", Location="/hook")


@pytest.fixture(scope="module")
def server() -> t.Iterator[str]:
    """Serve the handler on a free loopback port; yield its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def local() -> http.HttpClient:
    """A client allowed to reach loopback (as tests configure it), with short deadlines."""
    return http.HttpClient(http.HttpSettings(allow_loopback=True, total_timeout=1.0))


@pytest.fixture
def strict() -> http.HttpClient:
    """A client as production builds it."""
    return http.HttpClient()


@pytest.fixture(autouse=True)
def _no_traffic_beyond_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """A safety net, not the thing under test: no test here may connect beyond loopback."""
    original = socket.socket.connect

    def connect(self: socket.socket, address: t.Any) -> t.Any:
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1"):
            raise AssertionError(f"a test tried to connect to {address}")
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def test_a_json_document_is_fetched(local: http.HttpClient, server: str) -> None:
    fetched = local.get(f"{server}/json", accept=JSON)
    assert fetched.status == 200
    assert fetched.content == b'{"ok": true}'
    assert fetched.content_type == "application/ld+json"


def test_a_declared_size_over_the_cap_is_refused(local: http.HttpClient, server: str) -> None:
    with pytest.raises(http.TooLarge):
        local.get(f"{server}/big", accept=JSON, max_bytes=1000)


def test_a_streamed_body_over_the_cap_is_cut_off(local: http.HttpClient, server: str) -> None:
    with pytest.raises(http.TooLarge):
        local.get(f"{server}/chunked", accept=JSON, max_bytes=5000)
    assert len(local.get(f"{server}/chunked", accept=JSON, max_bytes=20000).content) == 10000


def test_a_slow_drip_is_stopped_by_the_total_deadline(local: http.HttpClient, server: str) -> None:
    started = time.monotonic()
    with pytest.raises(http.FetchTimeout):
        local.get(f"{server}/drip", accept=JSON)
    assert time.monotonic() - started < 3


def test_the_wrong_content_type_is_refused(local: http.HttpClient, server: str) -> None:
    with pytest.raises(http.BadContentType):
        local.get(f"{server}/html", accept=JSON)


def test_an_error_status_says_which(local: http.HttpClient, server: str) -> None:
    with pytest.raises(http.HTTPStatusError) as caught:
        local.get(f"{server}/gone", accept=JSON)
    assert caught.value.status == 410


def test_redirects_are_followed_within_the_limit(local: http.HttpClient, server: str) -> None:
    fetched = local.get(f"{server}/to/json", accept=JSON)
    assert fetched.url == f"{server}/json"
    with pytest.raises(http.TooManyRedirects):
        local.get(f"{server}/loop", accept=JSON)
    with pytest.raises(http.TooManyRedirects):
        local.get(f"{server}/to/json", accept=JSON, follow_redirects=False)


def test_a_redirect_into_a_private_network_is_refused(local: http.HttpClient, server: str) -> None:
    with pytest.raises(http.BlockedURL):
        local.get(f"{server}/private", accept=JSON)


def test_a_post_is_delivered_and_never_redirected(local: http.HttpClient, server: str) -> None:
    answer = local.post(f"{server}/hook", body=b"12345", headers={"Content-Type": "text/plain"})
    assert answer.content == b'{"received": 5}'
    with pytest.raises(http.TooManyRedirects):
        local.post(f"{server}/elsewhere", body=b"1", headers={})


HOSTILE = [
    "http://127.0.0.1/",
    "http://localhost/",
    "http://[::ffff:127.0.0.1]/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://127.1/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://[::1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://[fd00::1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://100.64.0.1/",
    "file:///etc/passwd",
    "ftp://example.org/badge.json",
    "http://user:pass@example.org/badge.json",
    "https://example.org:8443/badge.json",
    "https://example.org/" + "a" * 3000,
    "gopher://127.0.0.1:6379/_FLUSHALL",
    "http:///nohost",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_addresses_are_refused_before_any_connection(
    strict: http.HttpClient, url: str
) -> None:
    with pytest.raises(http.BlockedURL):
        strict.get(url, accept=JSON)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.text(max_size=60),
        st.builds(
            lambda scheme, host, path: f"{scheme}://{host}/{path}",
            st.sampled_from(["http", "https", "ftp", "file", "javascript", ""]),
            st.sampled_from(
                ["127.0.0.1", "localhost", "[::1]", "10.0.0.8", "0", "127.0.0.1:99999", ""]
            ),
            st.text(max_size=20),
        ),
    )
)
def test_any_input_is_fetched_or_refused_with_a_fetch_error(
    strict: http.HttpClient, url: str
) -> None:
    with pytest.raises(http.FetchError):
        strict.get(url, accept=JSON)
