"""Use cases of the backpack. Each owns its transaction and raises ``wallet.errors``."""

from __future__ import annotations

import hashlib
import typing as t

from flask_babel import gettext as _
from sqlalchemy import select

from wallet import errors
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User
from wallet.backpack import messages
from wallet.backpack.models import Award
from wallet.badges.verify import verify
from wallet.events import outbox

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.badges.checks import Fetch
    from wallet.badges.report import Report


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
        issued_at=report.issued_at,
        expires_at=report.expires_at,
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
    recipients = _verified_addresses(session, user_id)
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


def _verified_addresses(session: Session, user_id: int) -> list[str]:
    """Return the earner's verified addresses, ending the read before the network is used."""
    addresses = list(
        session.scalars(
            select(EmailAddress.email).where(
                EmailAddress.user_id == user_id, EmailAddress.verified_at.is_not(None)
            )
        )
    )
    session.rollback()
    return addresses


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


def recheck_award(
    session: Session, user_id: int, award_id: int, *, fetch: Fetch, base_url: str
) -> Award:
    """Verify one of the earner's awards again now, at their request."""
    get_award(session, user_id, award_id)
    return _reverify(session, award_id, fetch=fetch, base_url=base_url)


def reverify_award(session: Session, award_id: int, *, fetch: Fetch, base_url: str) -> None:
    """Verify an award again on schedule; a job, so an award deleted meanwhile is no error."""
    if session.get(Award, award_id) is not None:
        _reverify(session, award_id, fetch=fetch, base_url=base_url)


def _reverify(session: Session, award_id: int, *, fetch: Fetch, base_url: str) -> Award:
    award = session.get_one(Award, award_id)
    original, user_id = award.original, award.user_id
    report = verify(original, fetch=fetch, recipients=_verified_addresses(session, user_id))
    award = session.get_one(Award, award_id)
    award.verification = report.to_json(translatable=True)
    award.verification_status = report.status
    award.verified_at = report.checked_at
    if report.expires_at is not None:
        award.expires_at = report.expires_at
    if report.revoked:
        award.revoked_at = award.revoked_at or report.checked_at
    elif report.status == "valid":
        # A suspension the issuer lifted: the award is good again.
        award.revoked_at = None
    state = award.state(report.checked_at)
    if state in ("revoked", "expired") and award.notified_state != state:
        award.notified_state = state
        _tell_earner(session, award, state, base_url)
    session.commit()
    return award


def _tell_earner(session: Session, award: Award, state: str, base_url: str) -> None:
    user = session.get_one(User, award.user_id)
    address = user.primary_email
    if address is None:
        return
    outbox.record(
        session,
        messages.award_went_bad(
            to=address.email,
            name=user.display_name,
            locale=user.locale,
            state=state,
            achievement=award.achievement_name,
            issuer=award.issuer_name or award.issuer_id,
            link=f"{base_url}/wallet/awards/{award.id}",
            user_id=user.id,
        ),
    )
