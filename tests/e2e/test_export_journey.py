"""An earner on a phone exports all their data: starts it, watches progress, downloads the zip."""

from __future__ import annotations

import io
import json
import re
import typing as t
import uuid
import zipfile

from tests.e2e.browser import assert_page_is_usable
from tests.e2e.browser import link_in
from tests.e2e.browser import wait_for_mail
from tests.factories import PASSWORD
from tests.factories import make_user
from tests.factories import signed_badge
from wallet import demo
from wallet.backpack import export_service
from wallet.backpack import service
from wallet.backpack.models import DataExport
from wallet.badges.verify import verify
from wallet.db import Database
from wallet.db import utcnow

if t.TYPE_CHECKING:
    from playwright.sync_api import Page

DOWNLOAD = re.compile(r"Download my data \(ZIP, .+\)")


def _sign_in(page: Page, live_server: str, email: str, password: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").last.click()


def _offline(url: str, *, accept: t.Sequence[str]) -> t.Any:
    raise AssertionError(f"the demo badges verify offline, yet {url} was fetched")


def test_the_demo_earner_exports_their_data_and_downloads_it(
    page: Page, live_server: str, e2e_database_url: str, smtp_server: tuple[str, int, t.Any]
) -> None:
    _host, _port, inbox = smtp_server
    database = Database(e2e_database_url)
    with database.session() as session:
        lines = demo.seed(session, reset_password=True)
    database.dispose()
    password = re.search(r": (demo-[\w-]+)", " ".join(lines))
    assert password, lines

    _sign_in(page, live_server, demo.DEMO_EMAIL, password.group(1))
    page.get_by_role("link", name="Settings").click()
    assert page.get_by_role("heading", name="Download my data").is_visible()
    page.get_by_role("button", name="Export my data").click()
    assert page.get_by_text("We are preparing your export.").is_visible()
    assert_page_is_usable(page)

    # The worker builds it; the page follows its progress and then offers the download.
    link = page.get_by_role("link", name=DOWNLOAD)
    link.wait_for(timeout=15_000)
    assert page.get_by_text("Your export is ready.").is_visible()
    assert_page_is_usable(page)
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    archive = zipfile.ZipFile(path)
    files = [name for name in archive.namelist() if name.startswith("credentials/")]
    assert len(files) == len(demo.ACHIEVEMENTS) + 1  # and the one waiting for an answer
    for name in files:
        report = verify(archive.read(name), fetch=_offline, recipients=[demo.DEMO_EMAIL])
        assert report.status == "valid", (name, report.to_json())

    # The mailed link gives the same zip to the signed-in earner.
    mailed = link_in(wait_for_mail(inbox, demo.DEMO_EMAIL))
    assert "/export/" in mailed
    response = page.request.get(mailed)
    assert response.status == 200
    assert zipfile.ZipFile(io.BytesIO(response.body())).namelist() == archive.namelist()


def test_the_progress_bar_follows_the_job_without_reloading(
    page: Page, live_server: str, e2e_database_url: str
) -> None:
    email = f"ada-{uuid.uuid4().hex[:8]}@example.org"
    database = Database(e2e_database_url)
    with database.session() as session:
        user = make_user(session, email=email, display_name="Ada Lovelace")
        for name in ("Looms", "Engines", "Notes"):
            badge = json.dumps(signed_badge(email, name=name))
            service.import_award(session, user.id, badge, fetch=_offline)
        # An export its job has not picked up yet (no event: this test plays the job's part).
        export = DataExport(user_id=user.id, status="queued", total=3, created_at=utcnow())
        session.add(export)
        session.commit()
        export_id = export.id

    _sign_in(page, live_server, email, PASSWORD)
    page.goto(f"{live_server}/settings")
    bar = page.get_by_label("Progress of your export")
    assert bar.get_attribute("value") == "0"
    assert page.get_by_text("Your export is waiting to start.").is_visible()
    assert_page_is_usable(page)

    with database.session() as session:
        running = session.get_one(DataExport, export_id)
        running.status, running.done = "running", 2
        session.commit()
    page.get_by_text("Preparing your export: 2 of 3 badges.").wait_for(timeout=5_000)
    assert bar.get_attribute("value") == "2"
    assert_page_is_usable(page)

    with database.session() as session:
        export_service.build_export(session, export_id, live_server)
    database.dispose()
    page.get_by_role("link", name=DOWNLOAD).wait_for(timeout=5_000)
    assert_page_is_usable(page)
