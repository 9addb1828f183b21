"""Browser journeys: a live server on a free loopback port, and Debian's Chromium via Playwright.

The live app is built apart from the session app: its own runtime, real commits (no savepoint),
so tests create data with unique emails. On SQLite it gets its own database file; on PostgreSQL
it shares the test database, already migrated by the session app.
"""

from __future__ import annotations

import threading
import typing as t
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from wallet import migrate
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User
from wallet.app import create_app
from wallet.db import utcnow
from wallet.extensions import limiter

if t.TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Browser
    from playwright.sync_api import ConsoleMessage
    from playwright.sync_api import Page

    from wallet.config import Config
    from wallet.runtime import Runtime

#: Debian's Chromium; Playwright never downloads a browser of its own here.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: A common phone: the pages are built mobile first.
VIEWPORT = {"width": 390, "height": 844}


@dataclass(frozen=True)
class LiveServer:
    """The app a browser talks to, and where it listens."""

    app: Flask
    url: str


class _Later:
    """A WSGI app that forwards to one set after the server has picked its port."""

    app: Flask | None = None

    def __call__(self, environ: dict[str, t.Any], start_response: t.Any) -> t.Any:
        assert self.app is not None
        return self.app(environ, start_response)


@pytest.fixture(scope="session")
def live_server(
    app: Flask, base_config: Config, tmp_path_factory: pytest.TempPathFactory
) -> t.Iterator[LiveServer]:
    """Serve a separately built app from a thread on a free 127.0.0.1 port."""
    database_url = base_config.database_url
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}"
    later = _Later()
    server = make_server("127.0.0.1", 0, later, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    later.app = create_app(base_config.with_overrides(database_url=database_url, base_url=url))
    runtime: Runtime = later.app.extensions["wallet"]
    migrate.upgrade(runtime.db)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(later.app, url)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        runtime.redis.close()
        runtime.db.dispose()
        # Flask-Limiter keeps one storage per Limiter object: hand it back to the session app.
        limiter.init_app(app)


@pytest.fixture(scope="session")
def browser() -> t.Iterator[Browser]:
    """Launch Debian's Chromium once for the whole run."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium package to run these")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> t.Iterator[Page]:
    """Return a fresh tab at a phone's size; relative URLs go to the live server.

    The test fails if the browser reports a Content-Security-Policy violation: an inline script
    or style that the page needs but the browser refused.
    """
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url, locale="en-US")
    tab = context.new_page()
    refused: list[str] = []

    def _on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            refused.append(message.text)

    tab.on("console", _on_console)
    try:
        yield tab
    finally:
        context.close()
    assert not refused, f"the browser refused content under our CSP: {refused}"


@pytest.fixture
def sign_in_browser(live_server: LiveServer) -> t.Callable[[Page], User]:
    """Return ``sign_in(page)``: commit a new earner and give the browser their session cookie.

    For journeys that start signed in; the sign-in pages have journeys of their own.
    """
    app = live_server.app
    runtime: Runtime = app.extensions["wallet"]

    def sign_in(tab: Page) -> User:
        token = uuid.uuid4().hex[:12]
        address = f"e2e-{token}@example.org"
        user = User(handle=f"e2e-{token}", display_name="Eve Browser", password_hash="!unusable")
        user.emails.append(
            EmailAddress(email=address, normalized=address, is_primary=True, verified_at=utcnow())
        )
        with runtime.db.session() as session, session.begin():
            session.add(user)
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        value = serializer.dumps({"_user_id": user.get_id(), "_fresh": True})
        name = app.config["SESSION_COOKIE_NAME"]
        tab.context.add_cookies([{"name": name, "value": value, "url": live_server.url}])
        return user

    return sign_in
