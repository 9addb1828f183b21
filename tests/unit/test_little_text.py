"""LinkedIn's "little text": reserved characters are escaped, addresses and hashtags are not."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wallet.sharing.linkedin import escape_little_text


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        ("I earned it (level 2)", r"I earned it \(level 2\)"),
        ("a|b{c}d[e]f<g>h*i_j~k\\l@m", r"a\|b\{c\}d\[e\]f\<g\>h\*i\_j\~k\\l\@m"),
        ("#welding and #robots_2", r"#welding and #robots\_2"),
        ("C# is not a tag, ## neither", r"C\# is not a tag, \#\# neither"),
        ("See https://example.org/a_(b)*c now", r"See https://example.org/a_(b)*c now"),
        ("plain words", "plain words"),
    ],
)
def test_reserved_characters_are_escaped(text: str, sent: str) -> None:
    assert escape_little_text(text) == sent


@given(st.text(max_size=200))
def test_escaping_keeps_every_character_and_leaves_none_bare(text: str) -> None:
    escaped = escape_little_text(text)
    # Removing the escapes gives the text back (outside web addresses nothing else changes).
    if "http" not in text:
        assert re.sub(r"\\(.)", r"\1", escaped, flags=re.DOTALL) == text
        # Every reserved character is either escaped or the # of a hashtag.
        assert re.search(r"(?<!\\)[|{}@\[\]()<>*_~]", re.sub(r"\\.", "", escaped)) is None
