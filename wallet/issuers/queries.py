"""Named reads of the issuer side (callers check membership first, through the service)."""

from __future__ import annotations

import typing as t

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from wallet.accounts.models import User
from wallet.db import utcnow
from wallet.issuers.models import Achievement
from wallet.issuers.models import Invitation
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer
from wallet.issuers.models import Membership

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session


def achievements_of(session: Session, issuer_id: int) -> list[Achievement]:
    """Return the issuer's achievements that are not archived, by name."""
    return list(
        session.scalars(
            select(Achievement)
            .where(Achievement.issuer_id == issuer_id, Achievement.archived_at.is_(None))
            .order_by(Achievement.name)
        )
    )


def recent_awards(
    session: Session, issuer_id: int, *, achievement_id: int | None = None, limit: int = 50
) -> list[IssuedAward]:
    """Return the issuer's latest awards (of one achievement, if given), newest first."""
    query = (
        select(IssuedAward)
        .options(joinedload(IssuedAward.achievement))
        .where(IssuedAward.issuer_id == issuer_id)
        .order_by(IssuedAward.id.desc())
        .limit(limit)
    )
    if achievement_id is not None:
        query = query.where(IssuedAward.achievement_id == achievement_id)
    return list(session.scalars(query))


def members_of(session: Session, issuer_id: int) -> list[tuple[User, str]]:
    """Return the issuer's members with their roles."""
    rows = session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.issuer_id == issuer_id)
        .order_by(User.display_name)
    )
    return [(user, role) for user, role in rows]


def open_invitations(session: Session, issuer_id: int) -> list[Invitation]:
    """Return invitations not yet accepted and not expired, newest first."""
    return list(
        session.scalars(
            select(Invitation)
            .where(
                Invitation.issuer_id == issuer_id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.id.desc())
        )
    )


def issuer_by_document_url(session: Session, url: str, base_url: str) -> Issuer | None:
    """Return our issuer whose published profile (OB 3.0 or 2.0) is at ``url``, if any.

    An award names its issuer by that URL; awards from issuers elsewhere give None.
    """
    base = base_url.rstrip("/")
    for prefix in (f"{base}/ob/v3/issuers/", f"{base}/ob/v2/issuers/"):
        if url.startswith(prefix):
            public_id = url[len(prefix) :]
            if len(public_id) == 32 and public_id.isalnum():
                return session.scalar(select(Issuer).where(Issuer.public_id == public_id))
    return None


def issued_award_by_key(session: Session, issuer_id: int, key: str) -> IssuedAward | None:
    """Return the award an API request with idempotency ``key`` created, if any."""
    return session.scalar(
        select(IssuedAward).where(
            IssuedAward.issuer_id == issuer_id, IssuedAward.idempotency_key == key
        )
    )


def issued_awards_page(
    session: Session, issuer_id: int, *, before_id: int | None, limit: int
) -> list[IssuedAward]:
    """Return up to ``limit`` of the issuer's awards, newest first, older than ``before_id``."""
    query = (
        select(IssuedAward)
        .options(joinedload(IssuedAward.achievement))
        .where(IssuedAward.issuer_id == issuer_id)
        .order_by(IssuedAward.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        query = query.where(IssuedAward.id < before_id)
    return list(session.scalars(query))


def issued_awards_by_keys(
    session: Session, issuer_id: int, keys: list[str]
) -> dict[str, IssuedAward]:
    """Return the issuer's awards created with these idempotency keys, by key."""
    found: dict[str, IssuedAward] = {}
    for start in range(0, len(keys), 500):
        rows = session.scalars(
            select(IssuedAward).where(
                IssuedAward.issuer_id == issuer_id,
                IssuedAward.idempotency_key.in_(keys[start : start + 500]),
            )
        )
        found.update({row.idempotency_key or "": row for row in rows})
    return found
