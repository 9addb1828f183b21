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
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import load_only

from wallet.accounts.models import User
from wallet.backpack import policy
from wallet.backpack.models import Award
from wallet.backpack.models import AwardSkill
from wallet.profiles import skills
from wallet.profiles.models import ShareLink

if t.TYPE_CHECKING:
    from sqlalchemy import ColumnElement
    from sqlalchemy.engine import Dialect
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session
    from sqlalchemy.sql.compiler import SQLCompiler

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


def fingerprint_by_handle(
    engine: Engine, handle: str, connect: t.Callable[[], t.Any] | None = None
) -> tuple[int, str] | None:
    """Return the id and pages' fingerprint of the earner with ``handle``, through the driver.

    The same statement as ``owner_by_handle``, run on a pooled DBAPI connection: the cached-page
    door (``wallet.web.fastpages``) asks on every anonymous view of an earner's page, where
    SQLAlchemy's execution machinery costs several times the indexed query itself.

    :param connect: returns the DBAPI connection to use (and close): ``engine.raw_connection``
        unless given (the tests' one connection, whose transaction they roll back).
    """
    sql = _compiled_owner_statement(engine.dialect).string
    key = handle.lower()
    params: t.Any = (key,) if engine.dialect.positional else {"key": key}
    connection = (connect or engine.raw_connection)()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        finally:
            cursor.close()
    except engine.dialect.loaded_dbapi.Error as error:
        raise DBAPIError(sql, params, error) from error
    finally:
        connection.close()  # back to the pool, which rolls back what the driver began
    if row is None:
        return None
    return row[0], _fingerprint(row[5], row[6])


@functools.cache
def _compiled_owner_statement(dialect: Dialect) -> SQLCompiler:
    """Return the fingerprint query by handle, compiled for ``dialect`` once."""
    compiled = _owner_statement("handle").compile(dialect=dialect)
    # ``fingerprint_by_handle`` passes the one parameter by position or by name.
    assert list(compiled.positiontup or ["key"]) == ["key"], compiled.positiontup
    return compiled


def owner_of(session: Session, user_id: int) -> Owner:
    """Return the earner ``user_id`` (who exists) and their pages' fingerprint."""
    owner = _owner(session, "id", user_id)
    assert owner is not None
    return owner


@functools.cache
def _owner_statement(by: str) -> Select[int, str, str, str, bool, int, int]:
    """Return the fingerprint query by ``handle`` or ``id`` (built once: it runs on every view)."""
    column = User.handle if by == "handle" else User.id
    return select(
        User.id,
        User.handle,
        User.display_name,
        User.headline,
        User.listed,
        User.revision,
        User.pages_revision,
    ).where(column == bindparam("key"))


def _owner(session: Session, by: str, key: str | int) -> Owner | None:
    """Return the earner whose ``by`` is ``key`` and their pages' fingerprint.

    The fingerprint combines the account's revision (every UPDATE of the row bumps it) with its
    pages revision, which the database bumps whenever one of the earner's awards is added,
    changed or removed (triggers on ``awards``), so a change of visibility, a revocation, an
    accepted, deleted or added award all change it at once.
    """
    row = session.execute(_owner_statement(by), {"key": key}).first()
    if row is None:
        return None
    user_id, found, name, headline, listed, revision, pages_revision = row
    return Owner(
        id=user_id,
        handle=found,
        display_name=name,
        headline=headline,
        listed=listed,
        fingerprint=_fingerprint(revision, pages_revision),
    )


def _fingerprint(revision: int, pages_revision: int) -> str:
    return f"{revision}.{pages_revision}"


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
