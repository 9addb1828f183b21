"""Browser journeys: a live server with its worker, Debian's Chromium through Playwright, axe-core.

Without ``/usr/bin/chromium`` these tests skip and say why (``.ci/run`` installs it).
"""

from __future__ import annotations

import shutil
import socket
import threading
import typing as t
from dataclasses import replace

import pytest
from sqlalchemy import text
from werkzeug.serving import make_server

from wallet import migrate
from wallet.app import create_app
from wallet.config import MailConfig
from wallet.db import Database
from wallet.events.worker import start_in_background

if t.TYPE_CHECKING:
    from playwright.sync_api import Browser
    from playwright.sync_api import Page

    from wallet.config import Config

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 390, "height": 844}
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder as an e2e test."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> t.Iterator[Browser]:
    """Start headless Chromium once for the run."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); e2e tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> t.Iterator[Page]:
    """Return a fresh page at a phone's viewport (390x844), with its own cookies.

    The test fails if the browser refused anything under our Content-Security-Policy (an inline
    script or style a page relies on), which would otherwise go unnoticed.
    """
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not refused, f"the browser refused content under our CSP: {refused}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def e2e_database_url(base_config: Config, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return a database of the browser tests' own, migrated: their commits are real.

    SQLite gets its own file; PostgreSQL its own schema in the test database.
    """
    if base_config.database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    else:
        with Database(base_config.database_url).engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS e2e CASCADE"))
            conn.execute(text("CREATE SCHEMA e2e"))
        separator = "&" if "?" in base_config.database_url else "?"
        url = f"{base_config.database_url}{separator}options=-csearch_path%3De2e"
    database = Database(url)
    migrate.upgrade(database)
    database.dispose()
    return url


@pytest.fixture
def live_overrides() -> dict[str, t.Any]:
    """Return settings a test changes in its live server (override this fixture to do so)."""
    return {}


@pytest.fixture
def live_server(
    base_config: Config,
    e2e_database_url: str,
    smtp_server: tuple[str, int, t.Any],
    live_overrides: dict[str, t.Any],
) -> t.Iterator[str]:
    """Serve a separately built app (real commits, its own relay and worker); yield its URL.

    Its mail goes to the ``smtp_server`` fixture, where tests read it like an inbox.
    """
    host, smtp_port, _inbox = smtp_server
    port = _free_port()
    config = replace(
        base_config,
        database_url=e2e_database_url,
        base_url=f"http://127.0.0.1:{port}",
        mail=MailConfig(smtp_host=host, smtp_port=smtp_port),
        **live_overrides,
    )
    live = create_app(config)
    runtime = live.extensions["wallet"]
    background = start_in_background(runtime)
    server = make_server("127.0.0.1", port, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield config.base_url
    finally:
        server.shutdown()
        thread.join(timeout=5)
        background.stop()
        runtime.db.dispose()
