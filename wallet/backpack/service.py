"""Use cases of the backpack. Each owns its transaction and raises ``wallet.errors``."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import typing as t

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from wallet import errors
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User
from wallet.backpack import export as export_zip
from wallet.backpack import messages
from wallet.backpack.models import UNFINISHED
from wallet.backpack.models import Award
from wallet.backpack.models import DataExport
from wallet.badges.verify import verify
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import ExportRequested

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
        verification=report.to_json(),
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
    award.verification = report.to_json()
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


# --- Data exports (issue 4: "Export all my data") --------------------------------------------

#: How long the download of a finished export works.
EXPORT_KEEP = dt.timedelta(days=7)
#: An export still queued or running after this long died with its job; a new one may start.
EXPORT_STALE_AFTER = dt.timedelta(hours=1)
#: Awards written between two progress commits.
EXPORT_PROGRESS_EVERY = 10
#: Path of the emailed link; the view serves the same path.
EXPORT_LINK_PATH = "/export/"


def request_export(session: Session, user_id: int) -> DataExport:
    """Ask for a zip of all the earner's data; an export already in the making is returned."""
    now = utcnow()
    current = session.scalar(
        select(DataExport).where(DataExport.user_id == user_id, DataExport.status.in_(UNFINISHED))
    )
    if current is not None:
        if current.state(now, EXPORT_STALE_AFTER) != "failed":
            return current
        # Its job died (or its retries ran out): let the earner start again.
        current.status = "failed"
    total = session.scalar(select(func.count(Award.id)).where(Award.user_id == user_id)) or 0
    export = DataExport(user_id=user_id, status="queued", total=total, created_at=now)
    session.add(export)
    try:
        session.flush()
    except IntegrityError:
        # Another request of the same earner created one a moment ago: join it.
        session.rollback()
        return session.scalars(
            select(DataExport).where(
                DataExport.user_id == user_id, DataExport.status.in_(UNFINISHED)
            )
        ).one()
    outbox.record(session, ExportRequested(export_id=export.id, about_user_id=user_id))
    session.commit()
    return export


def build_export(
    session: Session,
    export_id: int,
    base_url: str,
    *,
    every: int = EXPORT_PROGRESS_EVERY,
) -> None:
    """Build a requested export, committing progress as it goes, then mail the earner a link.

    A job: it may run twice, so a finished export is left alone, and an export found running
    (its job died half-way) is built again from the start.
    """
    export = session.get(DataExport, export_id)
    if export is None or export.status not in UNFINISHED:
        session.rollback()
        return
    user = session.get_one(User, export.user_id)
    started = utcnow()
    profile = _export_profile(user)
    award_ids = list(
        session.scalars(select(Award.id).where(Award.user_id == user.id).order_by(Award.id))
    )
    export.status, export.started_at = "running", started
    export.done, export.total = 0, len(award_ids)
    session.commit()

    builder = export_zip.Builder(profile, generated_at=started, wallet=base_url)
    for start in range(0, len(award_ids), every):
        chunk = award_ids[start : start + every]
        awards = session.scalars(select(Award).where(Award.id.in_(chunk)).order_by(Award.id))
        for award in awards:
            builder.add(_export_item(award, started))
        # An award deleted meanwhile is simply not in the zip; progress still moves on.
        export.done = min(start + len(chunk), export.total)
        session.commit()
    content = builder.finish()

    token = secrets.token_urlsafe(32)
    finished = utcnow()
    export.content, export.size = content, len(content)
    export.token_hash = export_token_hash(token)
    export.status, export.ready_at = "ready", finished
    export.expires_at = finished + EXPORT_KEEP
    address = user.primary_email
    if address is not None:
        outbox.record(
            session,
            messages.export_ready(
                to=address.email,
                name=user.display_name,
                locale=user.locale,
                link=f"{base_url}{EXPORT_LINK_PATH}{token}",
                expires_at=export.expires_at,
                size=export.size,
                count=builder.count,
                user_id=user.id,
            ),
        )
    session.commit()


def _export_profile(user: User) -> export_zip.Profile:
    return export_zip.Profile(
        handle=user.handle,
        display_name=user.display_name,
        locale=user.locale,
        created_at=user.created_at,
        last_sign_in_at=user.last_sign_in_at,
        emails=[
            export_zip.Email(
                email=address.email,
                verified_at=address.verified_at,
                primary=address.is_primary,
                added_at=address.created_at,
            )
            for address in user.emails
        ],
    )


def _export_item(award: Award, now: dt.datetime) -> export_zip.Item:
    return export_zip.Item(
        original=award.original,
        original_type=award.original_type,
        format=award.format,
        credential_id=award.credential_id,
        issuer_id=award.issuer_id,
        issuer_name=award.issuer_name,
        achievement_name=award.achievement_name,
        achievement_type=award.achievement_type,
        issued_at=award.issued_at,
        expires_at=award.expires_at,
        state=award.state(now),
        verification=award.verification,
        verified_at=award.verified_at,
        revoked_at=award.revoked_at,
        visibility=award.visibility,
        added_at=award.created_at,
    )


def export_token_hash(token: str) -> str:
    """Return how the token of an emailed export link is stored: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def get_export(session: Session, user_id: int, export_id: int) -> DataExport:
    """Return one of the earner's exports; another earner's is "not found"."""
    export = session.get(DataExport, export_id)
    if export is None or export.user_id != user_id:
        raise errors.NotFound(_("This export is not yours or no longer exists."))
    return export


def export_for_download(session: Session, user_id: int, export_id: int) -> DataExport:
    """Return the earner's finished export with its zip; refuse one not ready or expired."""
    return _downloadable(get_export(session, user_id, export_id))


def export_by_token(session: Session, user_id: int, token: str) -> DataExport:
    """Return the export an emailed link names, for its owner only; refuse it once expired."""
    export = session.scalar(
        select(DataExport).where(DataExport.token_hash == export_token_hash(token))
    )
    if export is None or export.user_id != user_id:
        raise errors.NotFound(
            _("This download link is not right, or it belongs to another account.")
        )
    return _downloadable(export)


def _downloadable(export: DataExport) -> DataExport:
    state = export.state(utcnow(), EXPORT_STALE_AFTER)
    if state == "expired" or (state == "ready" and export.content is None):
        raise errors.Gone(
            _(
                "This export expired: its download worked for %(days)d days and was then "
                "deleted. Make a new one from your settings page.",
                days=EXPORT_KEEP.days,
            )
        )
    if state != "ready" or export.content is None:
        raise errors.NotFound(_("This export is not ready yet."))
    return export


def purge_expired_exports(session: Session, *, now: dt.datetime | None = None) -> int:
    """Drop the zips of expired exports (the rows stay, so their links can say "expired")."""
    result = session.execute(
        update(DataExport)
        .where(DataExport.expires_at <= (now or utcnow()), DataExport.content.is_not(None))
        .values(content=None)
    )
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
