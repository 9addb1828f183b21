"""Demo data for ``wallet seed-demo``."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session


def seed(session: Session) -> list[str]:
    """Create the demo data unless it exists; return lines to print."""
    return ["Demo data: nothing to create yet."]
