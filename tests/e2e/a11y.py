"""Accessibility checks with axe-core, run inside the page."""

from __future__ import annotations

import typing as t

from axe_playwright_python.sync_playwright import Axe

if t.TYPE_CHECKING:
    from playwright.sync_api import Page

#: Impacts that fail a test; minor and moderate ones are printed.
BLOCKING = frozenset({"serious", "critical"})


def _describe(violation: dict[str, t.Any]) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"


def assert_accessible(page: Page) -> None:
    """Fail on any serious or critical axe-core violation on the page as it is now."""
    violations: list[dict[str, t.Any]] = Axe().run(page).response["violations"]
    for violation in violations:
        print(f"axe on {page.url}: {_describe(violation)}")
    blocking = [_describe(v) for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "accessibility violations:\n" + "\n".join(blocking)
