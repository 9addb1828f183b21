"""Use cases of the backpack. Each owns its transaction and raises ``wallet.errors``."""

from __future__ import annotations

import datetime as dt
import hashlib
import typing as t

from flask_babel import gettext as _
from sqlalchemy import select

from wallet import errors
from wallet.accounts.models import EmailAddress
from wallet.backpack.models import Award
from wallet.badges.verify import verify

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.badges.checks import Fetch
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
        verification=report.to_json(translatable=True),
        verified_at=report.checked_at,
    )
    session.add(award)
    session.commit()
    return award


def import_award(
    session: Session,
    user_id: int,
    data: bytes | str,
    *,
    fetch: Fetch,
) -> tuple[Award | None, Report]:
    """Verify what an earner brought and keep it; return the award (None if refused) and report.

    The earner's verified addresses are read first and that read is ended before verification
    fetches anything, so no transaction stays open across the network.
    """
    recipients = list(
        session.scalars(
            select(EmailAddress.email).where(
                EmailAddress.user_id == user_id, EmailAddress.verified_at.is_not(None)
            )
        )
    )
    session.rollback()
    report = verify(data, fetch=fetch, recipients=recipients)
    if report.status == "invalid":
        return None, report
    raw = data if isinstance(data, bytes) else data.encode()
    credential_id = report.credential.get("id")
    award = add_award(
        session,
        user_id,
        original=raw,
        original_type=_media_type(raw),
        report=report,
        credential_id=credential_id if isinstance(credential_id, str) else None,
    )
    return award, report


def _media_type(raw: bytes) -> str:
    head = raw[:512].lstrip()
    if raw.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith((b"<svg", b"<?xml")):
        return "image/svg+xml"
    if head.startswith(b"{"):
        return "application/json"
    return "text/plain"


def get_award(session: Session, user_id: int, award_id: int) -> Award:
    """Return one of the earner's awards; another earner's is "not found", never "forbidden"."""
    award = session.get(Award, award_id)
    if award is None or award.user_id != user_id:
        raise errors.NotFound(_("This badge is not in your wallet."))
    return award
