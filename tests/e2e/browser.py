"""What a person checks on every page: it fits a phone and axe finds nothing serious."""

from __future__ import annotations

import re
import time
import typing as t

from axe_playwright_python.sync_playwright import Axe

if t.TYPE_CHECKING:
    from playwright.sync_api import Page

_axe = Axe()


def assert_page_is_usable(page: Page) -> None:
    """Fail on horizontal scrolling at 390 px or on a serious or critical axe violation."""
    # A click that navigates returns once the new page commits, maybe before its stylesheet
    # applies: measure the page as a person sees it, fully loaded.
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} scrolls sideways on a phone ({width}px wide)"
    results = _axe.run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == [], f"{page.url} has accessibility violations:\n" + "\n".join(serious)


def wait_for_mail(inbox: t.Any, to: str, timeout: float = 15) -> str:
    """Wait until the SMTP server received a mail to ``to``; return its text."""
    deadline = time.monotonic() + timeout
    seen = 0
    while time.monotonic() < deadline:
        for message in inbox.messages[seen:]:
            if message["To"] == to:
                inbox.messages.remove(message)
                return str(message.get_content())
        time.sleep(0.1)
    raise AssertionError(f"no mail to {to} arrived within {timeout} s")


def link_in(text: str) -> str:
    """Return the first web link in a mail's text."""
    match = re.search(r"https?://\S+", text)
    assert match, f"no link in mail: {text}"
    return match.group(0)
