"""The browser checks themselves fail when a page has the problems they look for."""

from __future__ import annotations

import typing as t

import pytest

from tests.e2e.browser import assert_page_is_usable

if t.TYPE_CHECKING:
    from playwright.sync_api import Page


def test_the_accessibility_check_fails_a_page_with_an_unlabelled_field(page: Page) -> None:
    page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><h1>Form</h1>'
        '<form><input type="email" name="email"></form></main></html>'
    )
    with pytest.raises(AssertionError, match="label"):
        assert_page_is_usable(page)


def test_the_phone_check_fails_a_page_wider_than_the_screen(page: Page) -> None:
    page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><h1>Wide</h1>'
        '<div style="width: 800px">a long line</div></main></html>'
    )
    with pytest.raises(AssertionError, match="scrolls sideways"):
        assert_page_is_usable(page)
