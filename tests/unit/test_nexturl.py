"""The ``next`` parameter after sign-in leads back into the wallet, never to another host."""

from __future__ import annotations

from urllib.parse import urljoin
from urllib.parse import urlsplit

import pytest
from hypothesis import example
from hypothesis import given
from hypothesis import strategies as st

from wallet.web.nexturl import safe_next

DEFAULT = "/settings"
SITE = "https://wallet.test/sign-in"

#: Characters that matter to URL parsing, so generated targets look like attacks, not noise.
URL_ALPHABET = st.sampled_from(
    ["/", "\\", ":", ".", "@", "?", "#", "%", "[", "]", " ", "\t", "\n", "\r", "\x00", "\x7f"]
    + ["evil.com", "http", "https", "javascript", "a", "é", "\u3000", "\u2044", "2F", "5C"]
)
TARGETS = st.one_of(
    st.text(),
    st.lists(URL_ALPHABET, max_size=12).map("".join),
    st.builds(lambda a, b: a + b, st.sampled_from(["/", "//", "/\\", "\\", ""]), st.text()),
)


def _stays_on_site(result: str) -> bool:
    """Say whether a browser following ``result`` from our page stays on our host."""
    if result.startswith("//") or "\\" in result:
        return False
    if any(ord(char) < 32 or ord(char) == 127 for char in result):
        return False
    parts = urlsplit(result)
    return (
        parts.netloc == ""
        and parts.scheme == ""
        and urlsplit(urljoin(SITE, result)).netloc == "wallet.test"
    )


@given(TARGETS)
@example("//[")
@example("/\t/evil.com")
@example("/\\/evil.com")
def test_safe_next_never_leads_to_another_host(target: str) -> None:
    result = safe_next(target, DEFAULT)
    assert result in (target, DEFAULT)
    assert _stays_on_site(result), result


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "///evil.com",
        "/\\evil.com",
        "\\\\evil.com",
        "https://evil.com",
        "http:evil.com",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        " //evil.com",
        "/\t/evil.com",
        "/\n/evil.com",
        "evil.com",
        "settings",
        "",
        None,
    ],
)
def test_safe_next_refuses_targets_off_the_site(target: str | None) -> None:
    assert safe_next(target, DEFAULT) == DEFAULT


@pytest.mark.parametrize(
    "target", ["/settings?x=1", "/", "/@ada/skills#top", "/a//b", "/awards/12?tab=checks"]
)
def test_safe_next_keeps_local_paths(target: str) -> None:
    assert safe_next(target, "/elsewhere") == target
