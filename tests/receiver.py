"""Real local webhook receivers: HTTP servers that record every request they get.

``Receiver`` is a plain threaded server for a few requests; ``FastReceiver`` (asyncio, keep-alive)
takes thousands a second for the fault test and the benchmark, and can answer errors or hang.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
import typing as t
from dataclasses import dataclass
from dataclasses import field
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer


@dataclass
class Received:
    """One request as the receiver got it."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Records requests and answers ``status`` (changeable while it runs)."""

    status: int = 200
    answer: bytes = b"ok"
    requests: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """Return the receiver's URL."""
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/hook"

    def start(self) -> Receiver:
        """Start serving on a free port of 127.0.0.1."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.requests.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                self.send_response(receiver.status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(receiver.answer)))
                self.end_headers()
                self.wfile.write(receiver.answer)

            def log_message(self, *_args: t.Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


#: The rest of every answer of the fast receiver after its status line.
_ANSWER = "Content-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


@dataclass
class Arrival:
    """One POST the fast receiver answered, with when it arrived (Unix seconds)."""

    at: float
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class FastReceiver:
    """An asyncio HTTP/1.1 receiver with keep-alive, fast enough never to be the bottleneck.

    It answers ``status`` (changeable while it runs), or holds each request without answering
    while ``hanging`` is set (a receiver that hangs), and records every request in ``arrivals``.
    """

    status: int = 204
    arrivals: list[Arrival] = field(default_factory=list)
    #: Keep only the ``webhook-id`` and time of each request (no headers or body): for benchmarks.
    light: bool = False
    hanging: threading.Event = field(default_factory=threading.Event)
    port: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _ready: threading.Event = field(default_factory=threading.Event)
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        """Return the receiver's URL."""
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> FastReceiver:
        """Serve on a free port of 127.0.0.1 from a thread of its own."""
        threading.Thread(target=self._serve, name="fast-receiver", daemon=True).start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        """Stop serving and drop every open connection."""
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)

    def _serve(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        self._server = loop.run_until_complete(
            asyncio.start_server(self._connection, "127.0.0.1", self.port, backlog=1024)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            self._server.close()
            loop.close()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = {
                    name.strip().lower(): value.strip()
                    for name, _sep, value in (line.partition(":") for line in lines[1:] if line)
                }
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                while self.hanging.is_set():
                    await asyncio.sleep(0.05)
                status = self.status
                at = time.time()
                if self.light:
                    self.arrivals.append(
                        Arrival(at, {"webhook-id": headers.get("webhook-id", "")}, b"", status)
                    )
                else:
                    self.arrivals.append(Arrival(at, headers, body, status))
                writer.write(f"HTTP/1.1 {status} X\r\n{_ANSWER}".encode())
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()


def serve_in_this_process(port_file: str, arrivals_file: str) -> None:
    """Run a light receiver until killed, appending ``<webhook-id> <unix time>`` lines to a file.

    Benchmarks run it as a process of its own (``python -m tests.receiver PORT_FILE OUT_FILE``)
    so the wallet's worker does not share an interpreter lock with it.
    """
    receiver = FastReceiver(light=True).start()
    with open(port_file, "w") as out:
        out.write(str(receiver.port))
    written = 0
    with open(arrivals_file, "a") as out:
        while True:
            time.sleep(0.1)
            fresh = receiver.arrivals[written:]
            written += len(fresh)
            out.writelines(f"{a.headers['webhook-id']} {a.at:.6f}\n" for a in fresh)
            out.flush()


if __name__ == "__main__":
    serve_in_this_process(sys.argv[1], sys.argv[2])
