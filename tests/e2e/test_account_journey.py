"""An earner's first visit on a phone: create a wallet, verify, sign in, add an address, leave."""

from __future__ import annotations

import typing as t
import uuid

from tests.e2e.browser import assert_page_is_usable
from tests.e2e.browser import link_in
from tests.e2e.browser import wait_for_mail

if t.TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "maple lantern orbit 73"


def _verify_from_mail(page: Page, inbox: t.Any, address: str) -> None:
    page.goto(link_in(wait_for_mail(inbox, address)))
    assert_page_is_usable(page)
    page.get_by_role("button", name="Confirm my address").click()


def test_sign_up_verify_sign_in_add_an_address_and_sign_out(
    page: Page, live_server: str, smtp_server: tuple[str, int, t.Any]
) -> None:
    inbox = smtp_server[2]
    first = f"ada-{uuid.uuid4().hex[:8]}@example.org"
    second = f"ada-work-{uuid.uuid4().hex[:8]}@example.org"

    page.goto(live_server)
    assert_page_is_usable(page)
    page.get_by_role("link", name="Create your wallet").first.click()
    assert_page_is_usable(page)
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Email").fill(first)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your inbox").is_visible()
    assert_page_is_usable(page)

    _verify_from_mail(page, inbox, first)
    assert page.get_by_text(f"{first} is verified").is_visible()
    assert_page_is_usable(page)

    page.get_by_label("Email").fill(first)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    assert page.get_by_role("heading", name="Your wallet").is_visible()
    assert page.get_by_text("No badges yet").is_visible()
    assert_page_is_usable(page)

    page.get_by_role("link", name="Add a badge").click()
    assert_page_is_usable(page)
    page.get_by_label("Or paste the badge or its link").fill("not a badge at all")
    page.get_by_role("button", name="Check and add").click()
    assert page.get_by_text("neither an image, a link, nor badge text").is_visible()
    assert_page_is_usable(page)

    page.get_by_role("link", name="Settings").click()
    assert page.get_by_role("heading", name="Settings").is_visible()
    assert_page_is_usable(page)

    page.get_by_label("Email", exact=True).fill(second)
    page.get_by_role("button", name="Add address").click()
    assert page.get_by_text("not verified yet").is_visible()
    _verify_from_mail(page, inbox, second)
    assert page.get_by_text(f"{second} is verified").is_visible()
    assert page.get_by_role("button", name="Make main address").is_visible()
    assert_page_is_usable(page)

    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_text("You are signed out.").is_visible()
    page.goto(f"{live_server}/settings")
    assert page.get_by_role("heading", name="Sign in").is_visible()


def test_error_pages_and_forms_are_usable(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/no-such-page")
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert_page_is_usable(page)

    page.goto(f"{live_server}/sign-in")
    page.get_by_role("button", name="Sign in").last.click()
    assert_page_is_usable(page)

    page.goto(f"{live_server}/reset-password")
    assert_page_is_usable(page)


def test_the_skip_link_appears_on_keyboard_focus(page: Page, live_server: str) -> None:
    page.goto(live_server)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.is_visible()
    box = skip.bounding_box()
    assert box is not None
    assert box["x"] >= 0
