"""On a phone, an earner connects LinkedIn, writes a post about a public badge, previews and posts
it, and sees it posted; LinkedIn is a local double, the worker is the live server's own."""

from __future__ import annotations

import typing as t
import uuid

import pytest

from tests import linkedin_double
from tests.e2e.browser import assert_page_is_usable
from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from wallet.config import LinkedInSettings
from wallet.db import Database

if t.TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture
def double() -> t.Iterator[linkedin_double.LinkedInDouble]:
    with linkedin_double.serving() as fake:
        yield fake


@pytest.fixture
def live_overrides(double: linkedin_double.LinkedInDouble) -> dict[str, t.Any]:
    return {
        "linkedin": LinkedInSettings(
            client_id=double.client_id,
            client_secret=double.client_secret,
            auth_base=double.url,
            api_base=double.url,
        )
    }


def test_an_earner_connects_linkedin_and_posts_a_badge(
    page: Page, live_server: str, e2e_database_url: str, double: linkedin_double.LinkedInDouble
) -> None:
    email = f"li-{uuid.uuid4().hex[:8]}@example.org"
    database = Database(e2e_database_url)
    with database.session() as session:
        user = make_user(session, email=email, display_name="Lin Chen")
        make_award(
            session,
            user,
            visibility="public",
            achievement_name="Network Security",
            issuer_name="Harbour Institute",
        )
    database.dispose()

    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.get_by_role("link", name="Network Security").click()
    page.get_by_role("link", name="Post it on LinkedIn").click()
    assert page.get_by_role("heading", name="Connect LinkedIn").is_visible()
    assert_page_is_usable(page)

    # LinkedIn's consent screen is the double's: it agrees at once and sends the browser back.
    page.get_by_role("link", name="Connect LinkedIn").click()
    assert page.get_by_text("LinkedIn is connected").is_visible()
    text = page.get_by_label("What you want to say")
    assert text.input_value() == "I earned Network Security from Harbour Institute."
    text.fill("Proud of this one (level 2) #security")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".linkedin-preview")
    assert preview.get_by_text("Proud of this one (level 2) #security").is_visible()
    assert preview.get_by_text("Network Security").is_visible()
    assert_page_is_usable(page)

    page.get_by_role("button", name="Post to LinkedIn").click()
    assert page.get_by_text("Your post is on its way to LinkedIn.").is_visible()
    link = page.get_by_role("link", name="See it on LinkedIn")
    for _attempt in range(40):
        if link.count():
            break
        page.wait_for_timeout(250)
        page.reload()
    assert link.get_attribute("href") == (
        "https://www.linkedin.com/feed/update/urn:li:share:7000000000000000001/"
    )
    assert_page_is_usable(page)
    (post,) = double.posts
    assert post["commentary"] == r"Proud of this one \(level 2\) #security"

    page.goto(f"{live_server}/settings")
    assert page.get_by_text("Connected as Ada Lovelace.").is_visible()
    assert_page_is_usable(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Disconnect LinkedIn").click()
    assert page.get_by_text("We deleted our permission to post").is_visible()
