"""Markdown from issuers (descriptions, criteria narratives), rendered and sanitised.

Open Badges narratives are Markdown written by people we do not know: raw HTML in them is not
rendered (markdown-it with ``html`` off), and what Markdown produces is cleaned again by nh3
(Ammonia) to a small set of tags, with links that carry ``rel="nofollow noopener noreferrer"``.
"""

from __future__ import annotations

import functools

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_TAGS = {"p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "blockquote", "h3", "h4"}


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def render(text: str | None) -> Markup:
    """Return safe HTML for Markdown ``text``."""
    if not text:
        return Markup("")
    html = _parser().render(text[:20_000])
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(cleaned)  # noqa: S704 (sanitised by nh3 just above)
