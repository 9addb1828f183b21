"""An earner on a phone makes a badge public and shares it; a visitor reads it, signed out."""

from __future__ import annotations

import typing as t
import urllib.parse
import uuid

from tests.e2e.browser import assert_page_is_usable
from tests.e2e.conftest import VIEWPORT
from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from wallet.db import Database

if t.TYPE_CHECKING:
    from playwright.sync_api import Browser
    from playwright.sync_api import Page


def test_a_public_badge_is_shared_and_read_signed_out_and_embedded(
    page: Page, browser: Browser, live_server: str, e2e_database_url: str
) -> None:
    email = f"lin-{uuid.uuid4().hex[:8]}@example.org"
    database = Database(e2e_database_url)
    with database.session() as session:
        user = make_user(session, email=email, display_name="Lin Chen")
        make_award(
            session,
            user,
            achievement_name="Network Security",
            issuer_name="Harbour Institute",
            details={
                "description": "Secured a small network.",
                "criteria": "Pass the lab.",
                "criteria_url": "",
                "image": "",
                "alignments": [{"name": "Firewalls", "url": "", "framework": "", "code": ""}],
                "evidence": [{"name": "Lab report", "url": "", "narrative": "Wrote it up."}],
                "tags": [],
                "endorsements": 0,
            },
        )
    database.dispose()

    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.get_by_role("link", name="Network Security").click()
    page.get_by_role("button", name="Make public").click()
    page.get_by_role("link", name="Share it, add it to LinkedIn or download it").click()
    assert page.get_by_role("heading", name="Share").is_visible()
    assert_page_is_usable(page)
    public_url = page.url.split("#")[0]

    visitor = browser.new_context(viewport=VIEWPORT).new_page()
    visitor.goto(public_url)
    assert visitor.get_by_role("heading", name="Network Security").is_visible()
    assert visitor.get_by_text("Earned by Lin Chen").is_visible()
    assert visitor.get_by_text("Firewalls").is_visible()
    assert visitor.get_by_text("Lab report").is_visible()
    assert visitor.locator('meta[property="og:image"]').get_attribute("content") == (
        f"{public_url}/preview.png"
    )
    assert_page_is_usable(visitor)

    # The Add to Profile button goes to LinkedIn with the fields filled in; LinkedIn itself is
    # never reached from a test, so the request is stopped and read.
    asked: list[str] = []

    def stop_at_linkedin(route: t.Any) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, body="LinkedIn (stand-in)", content_type="text/plain")

    visitor.route("https://www.linkedin.com/**", stop_at_linkedin)
    visitor.get_by_role("link", name="Add to LinkedIn profile").click()
    visitor.wait_for_url("https://www.linkedin.com/**")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(asked[0]).query))
    assert query["startTask"] == "CERTIFICATION_NAME"
    assert query["name"] == "Network Security"
    assert query["organizationName"] == "Harbour Institute"
    assert (query["issueYear"], query["issueMonth"]) == ("2026", "1")
    assert query["certUrl"] == public_url

    visitor.goto(public_url)
    visitor.get_by_role("button", name="Check again now").click()
    assert visitor.get_by_text("Checked again just now.").is_visible()
    assert_page_is_usable(visitor)

    visitor.goto(f"{public_url}/embed")
    assert visitor.get_by_role("heading", name="Network Security").is_visible()
    assert visitor.get_by_role("link", name="See the badge and its checks").is_visible()
    assert_page_is_usable(visitor)
