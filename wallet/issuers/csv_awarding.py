"""Awarding from a CSV: one achievement to many people, worked through by a job with progress.

The file is read at once (so a bad file is refused before anything is awarded) into rows; the
job awards each waiting row in its own transaction with the uploader's rights, so a crash or a
second run resumes with the rows left and never awards a row twice.
"""

from __future__ import annotations

import csv
import io
import typing as t
from dataclasses import dataclass

from email_validator import EmailNotValidError
from email_validator import validate_email
from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import select

from wallet import errors
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import AwardUploadRequested
from wallet.issuers import awarding
from wallet.issuers.models import Achievement
from wallet.issuers.models import AwardUpload
from wallet.issuers.models import AwardUploadRow
from wallet.issuers.models import IssuedAward
from wallet.issuers.service import require_role

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: Most recipients in one file, and the largest file.
MAX_ROWS, MAX_BYTES = 10_000, 2 * 1024 * 1024


def read_rows(data: bytes) -> list[tuple[int, str, str, str]]:
    """Return (line, email, name, problem) for each recipient in a CSV with an ``email`` column."""
    if len(data) > MAX_BYTES:
        raise errors.Invalid(_("The file is larger than 2 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise errors.Invalid(_("Save the file as CSV in UTF-8.")) from error
    reader = csv.DictReader(io.StringIO(text))
    fields = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    if "email" not in fields:
        raise errors.Invalid(_("The first line must name the columns, with one called email."))
    rows: list[tuple[int, str, str, str]] = []
    try:
        for record in reader:
            if len(rows) >= MAX_ROWS:
                raise errors.Invalid(
                    _("The file holds more than %(count)d people.", count=MAX_ROWS)
                )
            email = (record.get(fields["email"]) or "").strip()
            name = (record.get(fields["name"]) or "").strip() if "name" in fields else ""
            if not email and not name:
                continue
            problem = ""
            try:
                validate_email(email, check_deliverability=False)
            except EmailNotValidError:
                problem = _("This is not an email address.")
            rows.append((reader.line_num, email[:320], name[:200], problem))
    except csv.Error as error:
        raise errors.Invalid(_("The file is not a CSV we can read.")) from error
    if not rows:
        raise errors.Invalid(_("The file names nobody to award."))
    return rows


def start_upload(
    session: Session,
    user_id: int,
    issuer_id: int,
    achievement_id: int,
    data: bytes,
    file_name: str,
) -> AwardUpload:
    """Check the file and the uploader's right, store the rows, and start the job."""
    issuer, _member = require_role(session, user_id, issuer_id, "award")
    achievement = session.get(Achievement, achievement_id)
    if achievement is None or achievement.issuer_id != issuer.id or achievement.archived_at:
        raise errors.NotFound(_("This achievement does not exist."))
    upload = AwardUpload(
        issuer_id=issuer.id,
        achievement_id=achievement.id,
        user_id=user_id,
        file_name=file_name[:200],
    )
    upload.rows = [
        AwardUploadRow(
            position=line,
            email=email,
            name=name,
            status="failed" if problem else "waiting",
            message=problem,
        )
        for line, email, name, problem in read_rows(data)
    ]
    session.add(upload)
    session.flush()
    outbox.record(session, AwardUploadRequested(upload_id=upload.id, issuer_id=issuer.id))
    session.commit()
    return upload


def run_upload(
    session: Session,
    upload_id: int,
    *,
    base_url: str,
    data_keys: tuple[str, ...],
    limit: int | None = None,
) -> None:
    """Award the rows still waiting, one transaction each (safe to run twice)."""
    upload = session.get(AwardUpload, upload_id)
    if upload is None:
        return
    user_id, issuer_id, achievement_id = upload.user_id, upload.issuer_id, upload.achievement_id
    waiting = list(
        session.scalars(
            select(AwardUploadRow.id)
            .where(AwardUploadRow.upload_id == upload_id, AwardUploadRow.status == "waiting")
            .order_by(AwardUploadRow.position)
            .limit(limit)
        )
    )
    session.commit()
    for row_id in waiting:
        row = session.get_one(AwardUploadRow, row_id)
        key = f"upload:{upload_id}:{row.position}"
        # Awarded by a run that died before it could mark the row: mark it, do not award again.
        done = session.scalar(
            select(IssuedAward.id).where(
                IssuedAward.issuer_id == issuer_id, IssuedAward.idempotency_key == key
            )
        )
        if done is not None:
            row.status, row.issued_award_id = "awarded", done
            session.commit()
            continue
        try:
            issued = awarding.award(
                session,
                user_id,
                issuer_id,
                achievement_id,
                email=row.email,
                name=row.name,
                base_url=base_url,
                data_keys=data_keys,
                idempotency_key=key,
            )
        except errors.WalletError as error:
            session.rollback()
            row = session.get_one(AwardUploadRow, row_id)
            row.status, row.message = "failed", str(error.message)[:500]
        else:
            row = session.get_one(AwardUploadRow, row_id)
            row.status, row.issued_award_id = "awarded", issued.id
        session.commit()
    left = session.scalar(
        select(func.count(AwardUploadRow.id)).where(
            AwardUploadRow.upload_id == upload_id, AwardUploadRow.status == "waiting"
        )
    )
    if not left:
        upload = session.get_one(AwardUpload, upload_id)
        upload.finished_at = upload.finished_at or utcnow()
        session.commit()


@dataclass(frozen=True)
class Progress:
    """How far an upload has come."""

    done: int
    total: int
    awarded: int
    failed: int

    @property
    def finished(self) -> bool:
        """Return whether no row waits any more."""
        return self.done >= self.total

    def to_json(self) -> dict[str, t.Any]:
        """Return what the page's script polls."""
        return {"done": self.done, "total": self.total, "finished": self.finished}


def upload_for_member(
    session: Session, user_id: int, issuer_id: int, upload_id: int
) -> tuple[AwardUpload, Progress]:
    """Return an upload of the issuer, for a member who may see its data, and its progress."""
    require_role(session, user_id, issuer_id, "view_data")
    upload = session.get(AwardUpload, upload_id)
    if upload is None or upload.issuer_id != issuer_id:
        raise errors.NotFound(_("This upload does not exist."))
    counts = {
        status: count
        for status, count in session.execute(
            select(AwardUploadRow.status, func.count(AwardUploadRow.id))
            .where(AwardUploadRow.upload_id == upload_id)
            .group_by(AwardUploadRow.status)
        )
    }
    awarded, failed = counts.get("awarded", 0), counts.get("failed", 0)
    total = awarded + failed + counts.get("waiting", 0)
    return upload, Progress(done=awarded + failed, total=total, awarded=awarded, failed=failed)
