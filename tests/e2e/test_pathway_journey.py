"""Pathways at a phone's width: an issuer builds and publishes one from achievements found by
name; an earner sees their progress on the wallet and opens the pathway's page."""

from __future__ import annotations

import typing as t
import uuid

from tests.e2e.browser import assert_page_is_usable
from tests.factories import PASSWORD
from tests.factories import make_user
from tests.pathway_helpers import academy
from tests.pathway_helpers import give
from wallet.config import config_for_tests
from wallet.db import Database
from wallet.issuers import documents

if t.TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser
    from playwright.sync_api import Page


def _sign_in(page: Page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()


def _add_level(page: Page, title: str, *, any_of: int | None = None) -> None:
    form = page.locator("form", has=page.get_by_role("heading", name="Add a level or milestone"))
    form.get_by_label("Title").fill(title)
    if any_of is not None:
        form.get_by_label("Completed by").select_option("any")
        form.get_by_label("How many steps, for “any”").fill(str(any_of))
    form.get_by_role("button", name="Add it").click()
    page.wait_for_load_state("load")


def _add_found(page: Page, search: str, name: str, level: str) -> None:
    page.get_by_label("Find an achievement on this platform").fill(search)
    page.get_by_role("button", name="Search").click()
    page.get_by_label(f"Add “{name}” to").select_option(label=level)
    page.get_by_role("button", name=f"Add {name}").click()
    page.wait_for_load_state("load")


def test_an_issuer_publishes_a_pathway_and_an_earner_follows_it_on_a_phone(
    page: Page, browser: Browser, live_server: str, e2e_database_url: str, tmp_path: Path
) -> None:
    database = Database(e2e_database_url)
    earner_email = f"earner-{uuid.uuid4().hex[:8]}@example.org"
    with database.session() as session:
        school = academy(session, config_for_tests(tmp_path).data_keys)
        owner_email = school.owner.emails[0].email
        earner = make_user(session, email=earner_email, display_name="Nell")
        iri = documents.Urls(live_server).badge_class(school.achievements[0])
        held = give(session, earner, iri, "Networking", issuer_name="Cloud Academy").id
        issuer_id = school.issuer.id
    database.dispose()

    _sign_in(page, live_server, owner_email)
    page.goto(f"{live_server}/issuers/{issuer_id}")
    page.get_by_role("link", name="Pathways").click()
    assert_page_is_usable(page)
    page.get_by_label("Name").fill("Cloud Architect")
    page.get_by_label("What it leads to").fill("From **foundations** to architecture.")
    page.get_by_label("Badge awarded on completion").select_option(label="Cloud Architect")
    page.get_by_role("button", name="Create the pathway").click()
    page.get_by_text("is a draft: add its first level").wait_for()
    assert_page_is_usable(page)

    _add_level(page, "Foundations", any_of=1)
    _add_found(page, "network", "Networking", "Foundations")
    _add_found(page, "storage", "Storage", "Foundations")
    _add_level(page, "Professional")
    _add_found(page, "security", "Security", "Professional")
    assert_page_is_usable(page)
    editor = page.url.split("?")[0].split("#")[0]

    page.goto(f"{editor}/archive")
    page.get_by_text("This cannot be undone").wait_for()
    assert_page_is_usable(page)
    page.get_by_role("link", name="Go back").click()
    page.get_by_text("Change this level").first.click()
    page.get_by_role("link", name="Remove this level").first.click()
    assert_page_is_usable(page)
    page.get_by_role("link", name="Go back").click()

    page.get_by_role("link", name="Publish").click()
    assert_page_is_usable(page)
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("is published").wait_for()
    assert page.get_by_text("Level 1: Foundations").is_visible()
    assert page.get_by_text("any 1 of 2").is_visible()
    assert_page_is_usable(page)

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    earner_page = phone.new_page()
    try:
        _sign_in(earner_page, live_server, earner_email)
        earner_page.goto(f"{live_server}/wallet")
        progress = earner_page.get_by_role("link", name="1 of 2 toward Cloud Architect")
        assert progress.is_visible()
        assert earner_page.get_by_text("Next, in “Professional”:").is_visible()
        assert_page_is_usable(earner_page)
        earner_page.goto(f"{live_server}/wallet/awards/{held}")
        assert earner_page.get_by_text("Pathways this badge is on").is_visible()
        assert_page_is_usable(earner_page)
        earner_page.get_by_role("link", name="1 of 2 toward Cloud Architect").click()
        earner_page.get_by_text("(you hold it)").wait_for()
        assert earner_page.get_by_text("Awarded automatically by Cloud Academy").is_visible()
        assert_page_is_usable(earner_page)
    finally:
        phone.close()
