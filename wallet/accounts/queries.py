"""Named reads of the accounts domain."""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session


def normalize_email(email: str) -> str:
    """Return the form of ``email`` used for matching: trimmed and lower-cased."""
    return email.strip().lower()


def user_with_verified_email(session: Session, email: str) -> User | None:
    """Return the earner who verified ``email``, if anyone did."""
    return session.scalar(
        select(User)
        .join(EmailAddress)
        .where(
            EmailAddress.normalized == normalize_email(email),
            EmailAddress.verified_at.is_not(None),
        )
    )


def users_claiming_email(session: Session, email: str) -> list[User]:
    """Return the earners who added ``email`` without verifying it yet."""
    return list(
        session.scalars(
            select(User)
            .join(EmailAddress)
            .where(
                EmailAddress.normalized == normalize_email(email),
                EmailAddress.verified_at.is_(None),
            )
            .order_by(User.id)
        )
    )


def handle_taken(session: Session, handle: str, *, except_user: int | None = None) -> bool:
    """Say whether another earner already has ``handle``."""
    query = select(User.id).where(User.handle == handle)
    if except_user is not None:
        query = query.where(User.id != except_user)
    return session.scalar(query) is not None


def email_of_user(session: Session, user_id: int, email_id: int) -> EmailAddress | None:
    """Return the address ``email_id`` if it belongs to ``user_id``."""
    return session.scalar(
        select(EmailAddress).where(EmailAddress.id == email_id, EmailAddress.user_id == user_id)
    )
