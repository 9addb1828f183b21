"""An employer's journey on a phone: the earner's profile and skills, a share link made, opened
and withdrawn, the directory and the verify tool; every page fits 390 px and passes axe."""

from __future__ import annotations

import json
import typing as t
import uuid

from tests.e2e.browser import assert_page_is_usable
from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from tests.factories import signed_badge
from wallet.db import Database

if t.TYPE_CHECKING:
    from playwright.sync_api import Browser
    from playwright.sync_api import Page


def _details(*names: str) -> dict[str, t.Any]:
    return {
        "alignments": [
            {"name": n, "url": "", "framework": "ESCO", "code": n[:3].upper(), "description": ""}
            for n in names
        ],
        "evidence": [{"name": "Portfolio", "url": "https://me.example/work", "narrative": ""}],
    }


def test_an_employer_sees_verified_skills_and_a_share_link_on_a_phone(
    page: Page, browser: Browser, live_server: str, e2e_database_url: str
) -> None:
    email = f"olga-{uuid.uuid4().hex[:8]}@example.org"
    database = Database(e2e_database_url)
    with database.session() as session:
        owner = make_user(session, email=email, display_name="Olga Berg")
        owner.headline = "Welder, Rotterdam"
        owner.listed = True
        make_award(
            session,
            owner,
            visibility="public",
            achievement_name="Underwater Welding",
            issuer_name="Port School",
            details=_details("Underwater welding", "Rigging"),
            skills=["Underwater welding", "Rigging"],
        )
        private = make_award(
            session,
            owner,
            achievement_name="Private Diving Licence",
            issuer_name="Sea Academy",
            achievement_type="License",
            details=_details("Diving"),
        )
        handle, private_id = owner.handle, private.id
        session.commit()
    database.dispose()

    # An employer, not signed in, reads the profile and the skills page.
    page.goto(f"{live_server}/@{handle}")
    assert page.get_by_role("heading", name="Olga Berg").is_visible()
    assert page.get_by_text("Welder, Rotterdam").first.is_visible()
    assert page.get_by_text("Private Diving Licence").count() == 0
    assert_page_is_usable(page)

    page.get_by_role("link", name="See verified skills").click()
    assert page.get_by_role("heading", name="Underwater welding").is_visible()
    assert page.get_by_text("Verified: every check passed").first.is_visible()
    assert page.get_by_text("Diving").count() == 0
    page.get_by_text("Awards and evidence").first.click()
    assert page.get_by_role("link", name="Portfolio").first.is_visible()
    assert_page_is_usable(page)

    page.goto(f"{live_server}/directory?skill=underwater")
    assert page.get_by_role("link", name="Olga Berg").is_visible()
    assert_page_is_usable(page)

    page.goto(f"{live_server}/verify")
    page.get_by_label("Or paste the credential or its web address").fill(
        json.dumps(signed_badge("someone@example.org"))
    )
    page.get_by_role("button", name="Verify").click()
    assert page.get_by_role("heading", name="Every check passed").is_visible()
    assert_page_is_usable(page)

    # The earner makes a link showing the private licence to one employer.
    earner = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    earner.goto(f"{live_server}/sign-in")
    earner.get_by_label("Email").fill(email)
    earner.get_by_label("Password").fill(PASSWORD)
    earner.get_by_role("button", name="Sign in").last.click()
    earner.goto(f"{live_server}/wallet/share-links")
    assert_page_is_usable(earner)
    earner.get_by_label("Name of the link").fill("Acme application")
    earner.locator(f"input[name=awards][value='{private_id}']").check()
    earner.get_by_label("7 days").check()
    earner.get_by_role("button", name="Make the link").click()
    link = earner.get_by_label("Copy this link and send it to the employer:").input_value()
    assert_page_is_usable(earner)

    page.goto(link)
    assert page.get_by_role("heading", name="Private Diving Licence").is_visible()
    assert page.get_by_text("Underwater Welding").count() == 0
    assert_page_is_usable(page)

    earner.goto(f"{live_server}/wallet/share-links")
    assert earner.get_by_text("Opened once").is_visible()
    earner.get_by_role("link", name="Withdraw “Acme application”").click()
    assert_page_is_usable(earner)
    earner.get_by_role("button", name="Withdraw the link").click()
    assert earner.get_by_text("no longer works").first.is_visible()

    response = page.goto(link)
    assert response is not None
    assert response.status == 410
    assert page.get_by_role("heading", name="This link no longer works").is_visible()
    assert_page_is_usable(page)
    earner.context.close()
