"""Named reads of the backpack."""

from __future__ import annotations

import datetime as dt
import typing as t

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select

from wallet.backpack.models import Award
from wallet.backpack.models import DataExport

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

PAGE_SIZE = 24


def awards_page(session: Session, user_id: int, page: int = 1) -> tuple[list[Award], int]:
    """Return one page of the earner's awards, newest first, and how many they hold."""
    total = session.scalar(select(func.count(Award.id)).where(Award.user_id == user_id)) or 0
    awards = session.scalars(
        select(Award)
        .where(Award.user_id == user_id)
        .order_by(Award.issued_at.desc().nulls_last(), Award.id.desc())
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()
    return list(awards), total


def due_for_reverification(
    session: Session, *, checked_before: dt.datetime, now: dt.datetime, limit: int
) -> list[int]:
    """Return ids of awards to verify again: last checked too long ago, or just expired.

    Awards the earner was already told are revoked or expired are left alone.
    """
    return list(
        session.scalars(
            select(Award.id)
            .where(
                Award.notified_state == "",
                or_(Award.verified_at < checked_before, Award.expires_at <= now),
            )
            .order_by(Award.verified_at)
            .limit(limit)
        )
    )


# --- Data exports ------------------------------------------------------------------------------


def latest_export(session: Session, user_id: int) -> DataExport | None:
    """Return the earner's most recent export, whatever its state."""
    return session.scalar(
        select(DataExport)
        .where(DataExport.user_id == user_id)
        .order_by(DataExport.created_at.desc(), DataExport.id.desc())
        .limit(1)
    )
