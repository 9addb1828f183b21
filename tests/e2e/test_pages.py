"""The pages that exist so far, in a real browser at a phone's size."""

from __future__ import annotations

import typing as t

import pytest

from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import VIEWPORT

if t.TYPE_CHECKING:
    from playwright.sync_api import Page

    from wallet.accounts.models import User

pytestmark = pytest.mark.e2e


def test_home_page_fits_a_phone_and_passes_axe(page: Page) -> None:
    response = page.goto("/")
    assert response is not None
    assert response.status == 200
    assert page.title() == "Welcome · The Wallet"
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    assert page.get_by_role("link", name="Create your wallet").is_visible()
    assert_accessible(page)


def test_not_found_page_passes_axe(page: Page) -> None:
    response = page.goto("/no-such-page")
    assert response is not None
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    assert_accessible(page)


def test_the_signed_in_header_fits_a_phone_and_passes_axe(
    page: Page, sign_in_browser: t.Callable[[Page], User]
) -> None:
    sign_in_browser(page)
    response = page.goto("/settings")
    assert response is not None
    assert response.status == 200
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    assert_accessible(page)


def test_the_first_tab_shows_a_skip_link_that_jumps_to_the_content(page: Page) -> None:
    page.goto("/")
    skip = page.get_by_role("link", name="Skip to content")
    hidden = skip.bounding_box()
    assert hidden is not None
    assert hidden["x"] + hidden["width"] <= 0, "the skip link shows before anyone needs it"

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    shown = skip.bounding_box()
    assert shown is not None
    assert shown["x"] >= 0
    assert shown["y"] >= 0
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("none", ""), "keyboard focus must be visible"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_accessibility_check_fails_a_page_with_an_unlabelled_field(page: Page) -> None:
    page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><h1>Form</h1>'
        '<form><input type="email" name="email"></form></main></html>'
    )
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)
