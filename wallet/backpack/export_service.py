"""Use cases of data exports: an earner's whole wallet as a zip, built by a job, sent by link."""

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
from wallet.accounts.models import User
from wallet.backpack import export as export_zip
from wallet.backpack import messages
from wallet.backpack.models import UNFINISHED
from wallet.backpack.models import Award
from wallet.backpack.models import DataExport
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import ExportRequested

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session


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
