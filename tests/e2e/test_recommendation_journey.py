"""An earner on a phone sees what to earn next and why, follows one, and sets one aside."""

from __future__ import annotations

import typing as t
import uuid

from tests.e2e.browser import assert_page_is_usable
from tests.factories import PASSWORD
from tests.factories import make_user
from tests.web.recommendation_helpers import plant
from wallet.db import Database

if t.TYPE_CHECKING:
    from playwright.sync_api import Page

    from wallet.config import Config


def test_follow_a_recommendation_and_dismiss_another(
    page: Page, live_server: str, e2e_database_url: str, base_config: Config
) -> None:
    email = f"rita-{uuid.uuid4().hex[:8]}@example.org"
    database = Database(e2e_database_url)
    with database.session() as session:
        earner = make_user(session, email=email, display_name="Rita")
        owner = make_user(session)
        plant(session, owner, earner, base_config.data_keys, live_server)
    database.dispose()

    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    section = page.get_by_role("region", name="Recommended next")
    assert section.get_by_role("link", name="Workshop Safety").is_visible()
    assert section.get_by_text("Completes level 1 of Welder track").is_visible()
    assert section.get_by_text("Recommended next by Acme Academy").is_visible()
    assert_page_is_usable(page)

    section.get_by_role("link", name="Workshop Safety").click()
    assert page.get_by_role("heading", name="Workshop Safety").is_visible()
    assert page.get_by_text("Pass the Workshop Safety assessment.").is_visible()
    assert_page_is_usable(page)

    page.get_by_role("link", name="All recommendations").click()
    page.get_by_role("button", name="Not interested Outside course").click()
    assert page.get_by_text("We will not recommend Outside course again.").is_visible()
    dismissed = page.get_by_role("region", name="Not interested")
    assert dismissed.get_by_text("Outside course").is_visible()
    assert_page_is_usable(page)

    dismissed.get_by_role("button", name="Recommend again Outside course").click()
    assert page.get_by_role("link", name="Outside course").is_visible()
