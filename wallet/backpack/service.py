"""Use cases of the backpack. Each owns its transaction and raises ``wallet.errors``."""

from __future__ import annotations

import datetime as dt
import hashlib
import typing as t

from flask_babel import gettext as _
from sqlalchemy import select

from wallet import errors
from wallet.backpack.models import Award

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.badges.report import Report


def _timestamp(value: t.Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def add_award(
    session: Session,
    user_id: int,
    *,
    original: bytes,
    original_type: str,
    report: Report,
    credential_id: str | None = None,
) -> Award:
    """Keep a verified credential in the earner's backpack (the caller verified it first)."""
    summary = report.credential
    identity = credential_id or "sha256:" + hashlib.sha256(original).hexdigest()
    duplicate = session.scalar(
        select(Award.id).where(Award.user_id == user_id, Award.credential_id == identity)
    )
    if duplicate is not None:
        raise errors.Conflict(_("This badge is already in your wallet."))
    award = Award(
        user_id=user_id,
        original=original,
        original_type=original_type,
        format=report.format,
        credential_id=identity,
        issuer_id=str((summary.get("issuer") or {}).get("id") or ""),
        issuer_name=str((summary.get("issuer") or {}).get("name") or ""),
        achievement_name=str((summary.get("achievement") or {}).get("name") or ""),
        achievement_type=str((summary.get("achievement") or {}).get("type") or ""),
        issued_at=_timestamp(summary.get("issued")),
        expires_at=_timestamp(summary.get("expires")),
        verification_status=report.status,
        verification=report.to_json(),
        verified_at=report.checked_at,
    )
    session.add(award)
    session.commit()
    return award
