"""Named reads of the backpack."""

from __future__ import annotations

import datetime as dt
import typing as t
from dataclasses import dataclass

from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import union_all
from sqlalchemy.orm import selectinload

from wallet.backpack.models import Award
from wallet.backpack.models import AwardSkill
from wallet.backpack.models import AwardTag
from wallet.backpack.models import Collection
from wallet.backpack.models import CollectionItem
from wallet.backpack.models import DataExport
from wallet.db import utcnow

if t.TYPE_CHECKING:
    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import Session

PAGE_SIZE = 24

#: How the wallet can be sorted: key -> ORDER BY.
SORTS: dict[str, tuple[t.Any, ...]] = {
    "newest": (Award.issued_at.desc().nulls_last(), Award.id.desc()),
    "oldest": (Award.issued_at.asc().nulls_last(), Award.id),
    "name": (func.lower(Award.achievement_name), Award.id),
    "added": (Award.created_at.desc(), Award.id.desc()),
    "expiring": (Award.expires_at.asc().nulls_last(), Award.id),
}
#: The states an earner can filter by (``Award.state()``).
STATES = ("valid", "unverifiable", "invalid", "expired", "revoked")


@dataclass(frozen=True)
class Filters:
    """What the earner asked the wallet page to show."""

    q: str = ""
    issuer: str = ""
    type: str = ""
    skill: str = ""
    tag: str = ""
    state: str = ""
    #: ``accepted`` (the wallet), ``declined`` (the ones turned down).
    acceptance: str = "accepted"
    sort: str = "newest"

    @property
    def active(self) -> bool:
        """Return whether anything narrows the list."""
        return bool(self.q or self.issuer or self.type or self.skill or self.tag or self.state)


@dataclass(frozen=True)
class Facets:
    """The values the earner's awards offer to filter by."""

    issuers: list[str]
    types: list[str]
    skills: list[str]
    tags: list[str]


def _state_clause(state: str, now: dt.datetime) -> ColumnElement[bool]:
    alive = and_(
        Award.revoked_at.is_(None), or_(Award.expires_at.is_(None), Award.expires_at > now)
    )
    if state == "revoked":
        return Award.revoked_at.is_not(None)
    if state == "expired":
        return and_(Award.revoked_at.is_(None), Award.expires_at <= now)
    return and_(alive, Award.verification_status == state)


def awards_page(
    session: Session,
    user_id: int,
    page: int = 1,
    filters: Filters | None = None,
    *,
    now: dt.datetime | None = None,
) -> tuple[list[Award], int]:
    """Return one page of the earner's awards as filtered and sorted, and how many match."""
    filters = filters or Filters()
    now = now or utcnow()
    where: list[ColumnElement[bool]] = [
        Award.user_id == user_id,
        Award.acceptance == filters.acceptance,
    ]
    if filters.q:
        escaped = filters.q[:100].replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
        pattern = f"%{escaped}%"
        where.append(
            or_(
                Award.achievement_name.ilike(pattern, escape="\\"),
                Award.issuer_name.ilike(pattern, escape="\\"),
            )
        )
    if filters.issuer:
        where.append(Award.issuer_name == filters.issuer)
    if filters.type:
        where.append(Award.achievement_type == filters.type)
    if filters.skill:
        where.append(
            Award.skills.any(AwardSkill.normalized == " ".join(filters.skill.casefold().split()))
        )
    if filters.tag:
        where.append(Award.tags.any(AwardTag.tag == filters.tag))
    if filters.state in STATES:
        where.append(_state_clause(filters.state, now))
    total = session.scalar(select(func.count(Award.id)).where(*where)) or 0
    awards = session.scalars(
        select(Award)
        .where(*where)
        .options(selectinload(Award.tags))
        .order_by(*SORTS.get(filters.sort, SORTS["newest"]))
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()
    return list(awards), total


def facets(session: Session, user_id: int) -> Facets:
    """Return the issuers, types, skills and tags of the earner's accepted awards, in one query."""
    mine = and_(Award.user_id == user_id, Award.acceptance == "accepted")
    rows = session.execute(
        union_all(
            select(literal("issuer"), Award.issuer_name).where(mine, Award.issuer_name != ""),
            select(literal("type"), Award.achievement_type).where(
                mine, Award.achievement_type != ""
            ),
            select(literal("skill"), AwardSkill.name).join(Award).where(mine),
            select(literal("tag"), AwardTag.tag).join(Award).where(mine),
        )
    ).all()
    found: dict[str, set[str]] = {"issuer": set(), "type": set(), "skill": set(), "tag": set()}
    for kind, value in rows:
        found[kind].add(value)
    return Facets(
        issuers=sorted(found["issuer"], key=str.casefold),
        types=sorted(found["type"], key=str.casefold),
        skills=sorted(found["skill"], key=str.casefold),
        tags=sorted(found["tag"]),
    )


def pending_awards(session: Session, user_id: int) -> list[Award]:
    """Return the awards issuers sent that wait for the earner's answer, newest first."""
    return list(
        session.scalars(
            select(Award)
            .where(Award.user_id == user_id, Award.acceptance == "pending")
            .order_by(Award.created_at.desc())
            .limit(PAGE_SIZE)
        )
    )


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


def collections_of(session: Session, user_id: int) -> list[Collection]:
    """Return the earner's collections in their chosen order."""
    return list(
        session.scalars(
            select(Collection)
            .where(Collection.user_id == user_id)
            .order_by(Collection.position, Collection.id)
        )
    )


def collections_holding(session: Session, award_id: int) -> set[int]:
    """Return the ids of the collections an award is in."""
    return set(
        session.scalars(
            select(CollectionItem.collection_id).where(CollectionItem.award_id == award_id)
        )
    )


def collection_sizes(session: Session, user_id: int) -> dict[int, int]:
    """Return how many awards each of the earner's collections holds."""
    rows = session.execute(
        select(CollectionItem.collection_id, func.count(CollectionItem.id))
        .join(Collection)
        .where(Collection.user_id == user_id)
        .group_by(CollectionItem.collection_id)
    )
    return {collection_id: count for collection_id, count in rows}


# --- Data exports ------------------------------------------------------------------------------


def latest_export(session: Session, user_id: int) -> DataExport | None:
    """Return the earner's most recent export, whatever its state."""
    return session.scalar(
        select(DataExport)
        .where(DataExport.user_id == user_id)
        .order_by(DataExport.created_at.desc(), DataExport.id.desc())
        .limit(1)
    )
