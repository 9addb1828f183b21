"""Issuers' Markdown is rendered, and nothing in it can run or reach out."""

from __future__ import annotations

from wallet.web.markdown import render


def test_markdown_is_rendered() -> None:
    html = render("Built a **robot**.\n\n- wheels\n- [spec](https://example.org/spec)")
    assert "<strong>robot</strong>" in html
    assert "<li>wheels</li>" in html
    assert 'href="https://example.org/spec"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_raw_html_and_script_links_never_survive() -> None:
    html = render(
        "<script>alert(1)</script><img src=x onerror=alert(1)>"
        "[x](javascript:alert(1)) <iframe src=https://evil.example></iframe>"
    )
    assert "<script" not in html
    assert "<img" not in html
    assert "<iframe" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as the text it is
