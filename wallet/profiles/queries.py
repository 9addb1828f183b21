"""Named reads of the employer side: whose page, which awards, who is in the directory."""

from __future__ import annotations

import datetime as dt
import functools
import typing as t
from dataclasses import dataclass

from sqlalchemy import Select
from sqlalchemy import and_
from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import load_only

from wallet.accounts.models import User
from wallet.backpack import policy
from wallet.backpack.models import Award
from wallet.backpack.models import AwardSkill
from wallet.profiles import skills
from wallet.profiles.models import ShareLink

if t.TYPE_CHECKING:
    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import Session

#: Earners shown per directory page.
DIRECTORY_PAGE = 20
#: Most awards one page aggregates (a wallet holds a few hundred at most; this bounds the work).
MAX_AWARDS = 5_000


@dataclass(frozen=True)
class Owner:
    """The earner whose public page is asked for, and the fingerprint of what it shows."""

    id: int
    handle: str
    display_name: str
    headline: str
    listed: bool
    #: Changes whenever anything the earner's public pages show may have changed.
    fingerprint: str


def owner_by_handle(session: Session, handle: str) -> Owner | None:
    """Return the earner with ``handle`` and their pages' fingerprint, in one statement."""
    return _owner(session, "handle", handle.lower())


def owner_of(session: Session, user_id: int) -> Owner:
    """Return the earner ``user_id`` (who exists) and their pages' fingerprint."""
    owner = _owner(session, "id", user_id)
    assert owner is not None
    return owner


@functools.cache
def _owner_statement(by: str) -> Select[int, str, str, str, bool, int, int, int, int]:
    """Return the fingerprint query by ``handle`` or ``id`` (built once: it runs on every view)."""
    column = User.handle if by == "handle" else User.id
    return (
        select(
            User.id,
            User.handle,
            User.display_name,
            User.headline,
            User.listed,
            User.revision,
            func.count(Award.id),
            func.coalesce(func.sum(Award.revision), 0),
            func.coalesce(func.max(Award.id), 0),
        )
        .outerjoin(Award, Award.user_id == User.id)
        .where(column == bindparam("key"))
        .group_by(User.id)
    )


def _owner(session: Session, by: str, key: str | int) -> Owner | None:
    """Return the earner whose ``by`` is ``key`` and their pages' fingerprint.

    The fingerprint combines the account's revision with the number of awards, the sum of their
    revisions (every UPDATE of an award bumps its own) and the newest id, so a change of
    visibility, a revocation, an accepted, deleted or added award all change it at once.
    """
    row = session.execute(_owner_statement(by), {"key": key}).first()
    if row is None:
        return None
    user_id, found, name, headline, listed, revision, count, total, newest = row
    return Owner(
        id=user_id,
        handle=found,
        display_name=name,
        headline=headline,
        listed=listed,
        fingerprint=f"{revision}.{count}.{total}.{newest}",
    )


def _alive(now: dt.datetime) -> ColumnElement[bool]:
    """Return "neither revoked, nor expired, nor invalid" as a WHERE clause over ``Award``."""
    return and_(
        Award.revoked_at.is_(None),
        or_(Award.expires_at.is_(None), Award.expires_at > now),
        Award.verification_status.in_(skills.COUNTED_STATES),
    )


#: The columns the public pages read (never the original, the note or the tags).
_PAGE_COLUMNS = load_only(
    Award.id,
    Award.public_id,
    Award.user_id,
    Award.issuer_name,
    Award.achievement_name,
    Award.achievement_type,
    Award.issued_at,
    Award.expires_at,
    Award.verification_status,
    Award.verification,
    Award.verified_at,
    Award.revoked_at,
    Award.visibility,
    Award.acceptance,
    Award.details,
    Award.original_type,
    Award.has_image,
)


def public_awards_of(session: Session, user_id: int, now: dt.datetime) -> list[Award]:
    """Return the earner's public, accepted, currently valid awards, newest first: one statement."""
    return list(
        session.scalars(
            select(Award)
            .options(_PAGE_COLUMNS)
            .where(Award.user_id == user_id, policy.public_awards(), _alive(now))
            .order_by(Award.issued_at.desc().nulls_last(), Award.id.desc())
            .limit(MAX_AWARDS)
        )
    )


def chosen_awards(session: Session, user_id: int, award_ids: list[int]) -> list[Award]:
    """Return the earner's accepted awards among ``award_ids`` (a share link's choice)."""
    if not award_ids:
        return []
    return list(
        session.scalars(
            select(Award)
            .options(_PAGE_COLUMNS)
            .where(
                Award.user_id == user_id,
                Award.id.in_(award_ids),
                Award.acceptance == "accepted",
            )
            .order_by(Award.issued_at.desc().nulls_last(), Award.id.desc())
        )
    )


def accepted_awards_of(session: Session, user_id: int) -> list[Award]:
    """Return all the earner's accepted awards (what they can pick for a share link)."""
    return list(
        session.scalars(
            select(Award)
            .options(_PAGE_COLUMNS)
            .where(Award.user_id == user_id, Award.acceptance == "accepted")
            .order_by(func.lower(Award.achievement_name), Award.id)
            .limit(MAX_AWARDS)
        )
    )


def originals(session: Session, award_ids: list[int]) -> list[Award]:
    """Return the awards with their original credentials loaded, in id order."""
    if not award_ids:
        return []
    return list(
        session.scalars(
            select(Award)
            .options(load_only(Award.id, Award.original, Award.original_type, Award.format))
            .where(Award.id.in_(award_ids))
            .order_by(Award.id)
        )
    )


def share_links_of(session: Session, user_id: int) -> list[ShareLink]:
    """Return the earner's share links, newest first."""
    return list(
        session.scalars(
            select(ShareLink)
            .where(ShareLink.user_id == user_id)
            .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
        )
    )


@dataclass(frozen=True)
class Listed:
    """An earner in the directory and the skills that matched."""

    handle: str
    display_name: str
    headline: str
    skills: list[str]
    issuers: list[str]


def directory(
    session: Session, *, skill: str, issuer: str, now: dt.datetime, page: int = 1
) -> tuple[list[Listed], bool]:
    """Return one page of opted-in earners whose public, valid awards match; and if more follow.

    Only earners who chose to be listed, and only their public, accepted, currently valid
    awards, are ever read: nothing about anyone else can appear.
    """
    where: list[ColumnElement[bool]] = [
        User.listed.is_(True),
        policy.public_awards(),
        _alive(now),
    ]
    folded = skills.fold(skill)[:100]
    if folded:
        escaped = folded.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
        where.append(AwardSkill.normalized.like(f"%{escaped}%", escape="\\"))
    if issuer.strip():
        escaped = issuer.strip()[:100].replace("\\", "\\\\").replace("%", r"\%")
        escaped = escaped.replace("_", r"\_")
        where.append(Award.issuer_name.ilike(f"%{escaped}%", escape="\\"))
    base = (
        select(User.id)
        .join(Award, Award.user_id == User.id)
        .join(AwardSkill, AwardSkill.award_id == Award.id)
        .where(*where)
        .group_by(User.id)
        .order_by(func.count(func.distinct(AwardSkill.normalized)).desc(), User.id)
    )
    ids = list(session.scalars(base.limit(DIRECTORY_PAGE + 1).offset((page - 1) * DIRECTORY_PAGE)))
    more = len(ids) > DIRECTORY_PAGE
    ids = ids[:DIRECTORY_PAGE]
    if not ids:
        return [], False
    rows = session.execute(
        select(
            User.id,
            User.handle,
            User.display_name,
            User.headline,
            AwardSkill.name,
            Award.issuer_name,
        )
        .join(Award, Award.user_id == User.id)
        .join(AwardSkill, AwardSkill.award_id == Award.id)
        .where(User.id.in_(ids), *where)
    ).all()
    found: dict[int, Listed] = {}
    for user_id, handle, name, headline, skill_name, issuer_name in rows:
        entry = found.setdefault(user_id, Listed(handle, name, headline, [], []))
        if skill_name not in entry.skills:
            entry.skills.append(skill_name)
        if issuer_name and issuer_name not in entry.issuers:
            entry.issuers.append(issuer_name)
    return [found[user_id] for user_id in ids if user_id in found], more
