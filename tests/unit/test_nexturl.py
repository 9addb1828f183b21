"""``next`` redirects never leave the site."""

from __future__ import annotations

from urllib.parse import urljoin
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wallet.web.nexturl import safe_next


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/settings",
        "javascript:alert(1)",
        "/settings\r\nLocation: https://evil.example",
        "",
        None,
    ],
)
def test_targets_off_the_site_fall_back_to_the_default(target: str | None) -> None:
    assert safe_next(target, "/") == "/"


@pytest.mark.parametrize("target", ["/settings", "/settings?tab=emails", "/@ada/skills#top"])
def test_local_paths_are_kept(target: str) -> None:
    assert safe_next(target, "/") == target


@given(st.text(max_size=80))
def test_no_input_leads_to_another_host(target: str) -> None:
    result = safe_next(target, "/")
    resolved = urlsplit(urljoin("https://wallet.test/here", result))
    assert resolved.netloc == "wallet.test"
    assert resolved.scheme == "https"
    assert "\\" not in result
