"""A local issuer web site for tests: documents served from memory, 410 for withdrawn ones."""

from __future__ import annotations

import contextlib
import json
import threading
import typing as t
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer


class IssuerSite(BaseHTTPRequestHandler):
    """Serves whatever the test put in ``documents``; 410 for paths in ``gone``."""

    documents: t.ClassVar[dict[str, bytes]] = {}
    gone: t.ClassVar[set[str]] = set()

    def log_message(self, *args: object) -> None:
        return

    def do_GET(self) -> None:  # noqa: N802
        if self.path in self.gone:
            self.send_response(410)
            self.end_headers()
            return
        body = self.documents.get(self.path)
        self.send_response(200 if body is not None else 404)
        png = (body or b"").startswith(b"\x89PNG")
        kind = "image/png" if png else "text/plain" if self.path.endswith(".txt") else None
        self.send_header("Content-Type", kind or "application/ld+json")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


@contextlib.contextmanager
def serving() -> t.Iterator[str]:
    """Serve an issuer's web site on loopback; tests put documents into ``IssuerSite.documents``."""
    IssuerSite.documents, IssuerSite.gone = {}, set()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), IssuerSite)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def publish(path: str, document: dict[str, t.Any]) -> None:
    """Serve ``document`` at ``path``."""
    IssuerSite.documents[path] = json.dumps(document).encode()


def hosted_ob2(site: str, *, email: str = "ada@example.org", expires: str | None = None) -> str:
    """Publish an issuer, a BadgeClass and a hosted assertion for ``email``; return the latter."""
    publish(
        "/issuer",
        {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Issuer",
            "id": f"{site}/issuer",
            "name": "Example College",
            "url": site,
            "email": "badges@example.org",
        },
    )
    publish(
        "/badge",
        {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "BadgeClass",
            "id": f"{site}/badge",
            "name": "Robotics",
            "description": "Built a robot",
            "image": f"{site}/img.png",
            "criteria": {"narrative": "Build one"},
            "issuer": f"{site}/issuer",
        },
    )
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"{site}/a/1",
        "recipient": {"type": "email", "hashed": False, "identity": email},
        "badge": f"{site}/badge",
        "verification": {"type": "hosted"},
        "issuedOn": "2026-01-02T03:04:05Z",
    }
    if expires:
        assertion["expires"] = expires
    publish("/a/1", assertion)
    return json.dumps(assertion)
