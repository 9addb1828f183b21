"""Use cases of bulk import: many badge files, or a zip of them, imported by a background job.

The request only stores the files (``start_batch``); the job (``run_batch``) imports them one by
one with ``service.import_award``, each file in its own transaction and none open while a badge is
verified over the network. Progress is kept per file, so a job that dies resumes with the files
still waiting, and a job that runs twice for one batch does no file twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import typing as t
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import selectinload

from wallet import errors
from wallet.backpack import archive
from wallet.backpack import service
from wallet.backpack.models import Award
from wallet.backpack.models import ImportBatch
from wallet.backpack.models import ImportItem
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import ImportRequested
from wallet.messages import N_
from wallet.messages import Message

if t.TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from wallet.backpack.images import ImageFetch
    from wallet.badges.checks import Fetch

log = logging.getLogger(__name__)

#: How long a run of the job holds a batch after its last file; a run that died is taken over
#: after this (longer than the slowest verification of one file, timeouts included).
LEASE = dt.timedelta(minutes=5)
#: Item statuses once processed.
OUTCOMES = ("added", "duplicate", "refused", "failed")


class TooLarge(errors.Invalid):
    """A file of the upload is larger than one badge may be."""


class BatchBusy(errors.Conflict):
    """Another run of the job is importing this batch right now; try again later."""


def start_batch(
    session: Session, user_id: int, uploads: Sequence[tuple[str, bytes]]
) -> ImportBatch:
    """Keep the uploaded files (zips unpacked) as a batch to import, and ask for the job.

    Each upload is (file name, bytes). Nothing is stored when any file or zip is refused: the
    earner fixes the upload and sends it again.
    """
    files: list[tuple[str, bytes]] = []
    for filename, data in uploads:
        room = archive.MAX_FILES - len(files)
        if archive.looks_like_zip(filename, data[:4]):
            files.extend((entry.name, entry.data) for entry in archive.read_zip(data, room=room))
            continue
        name = archive.display_name(filename)
        if len(data) > archive.MAX_FILE_BYTES:
            raise TooLarge(Message(N_("“%(name)s” is larger than 5 MB."), name=name))
        if room < 1:
            raise errors.Invalid(
                _("Choose at most %(count)d files at once.", count=archive.MAX_FILES)
            )
        files.append((name, data))
    if not files:
        raise errors.Invalid(_("Choose a file, or paste a badge or its link."))
    batch = ImportBatch(user_id=user_id, status="queued")
    batch.items = [
        ImportItem(position=position, name=name, data=data, status="waiting")
        for position, (name, data) in enumerate(files)
    ]
    session.add(batch)
    session.flush()
    outbox.record(session, ImportRequested(batch_id=batch.id, about_user_id=user_id))
    session.commit()
    return batch


def batch_for_owner(session: Session, user_id: int, batch_id: int) -> ImportBatch:
    """Return one of the earner's batches; another earner's is "not found", never "forbidden"."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None or batch.user_id != user_id:
        raise errors.NotFound(_("This import is not in your wallet."))
    return batch


@dataclass(frozen=True)
class Progress:
    """How far a batch has come."""

    status: str
    total: int
    #: Files processed so far, whatever their outcome.
    done: int
    #: Processed files by outcome (``added``, ``duplicate``, ``refused``, ``failed``).
    outcomes: dict[str, int]

    @property
    def finished(self) -> bool:
        """Return whether no file waits any more."""
        return self.status == "done"

    def to_json(self) -> dict[str, t.Any]:
        """Return the progress as JSON for the batch page's script."""
        return {
            "status": self.status,
            "total": self.total,
            "done": self.done,
            "finished": self.finished,
            "outcomes": self.outcomes,
        }


def progress(session: Session, batch: ImportBatch) -> Progress:
    """Return how many of the batch's files are processed, by outcome."""
    counts: dict[str, int] = {
        status: count
        for status, count in session.execute(
            select(ImportItem.status, func.count())
            .where(ImportItem.batch_id == batch.id)
            .group_by(ImportItem.status)
        )
    }
    outcomes = {status: counts.get(status, 0) for status in OUTCOMES}
    return Progress(
        status=batch.status,
        total=sum(counts.values()),
        done=sum(outcomes.values()),
        outcomes=outcomes,
    )


def items_of(session: Session, batch: ImportBatch) -> list[ImportItem]:
    """Return the batch's files in upload order, with their awards (never their bytes)."""
    return list(
        session.scalars(
            select(ImportItem)
            .where(ImportItem.batch_id == batch.id)
            .order_by(ImportItem.position)
            .options(selectinload(ImportItem.award))
        )
    )


def run_batch(
    session: Session,
    batch_id: int,
    *,
    fetch: Fetch,
    fetch_image: ImageFetch | None = None,
    limit: int | None = None,
) -> int:
    """Import the batch's waiting files in order; return how many this run processed.

    ``limit`` stops after that many files (the batch stays running, a later run goes on). A
    batch that is done, or gone, is no error: jobs run at least once, sometimes twice.
    Raises ``BatchBusy`` while another run holds the batch, so the queue retries later.
    """
    if not _claim(session, batch_id):
        if session.scalar(select(ImportBatch.status).where(ImportBatch.id == batch_id)) in (
            None,
            "done",
        ):
            session.rollback()
            return 0
        session.rollback()
        raise BatchBusy(_("This import is already running."))
    processed = 0
    try:
        while limit is None or processed < limit:
            if not _import_next(session, batch_id, fetch=fetch, fetch_image=fetch_image):
                _finish(session, batch_id)
                break
            processed += 1
    finally:
        _release(session, batch_id)
    return processed


def _claim(session: Session, batch_id: int) -> bool:
    """Take the batch for this run, unless another run holds it (atomic on every database)."""
    now = utcnow()
    claimed = session.execute(
        update(ImportBatch)
        .where(
            ImportBatch.id == batch_id,
            ImportBatch.status != "done",
            or_(ImportBatch.claimed_until.is_(None), ImportBatch.claimed_until < now),
        )
        .values(status="running", claimed_until=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(t.cast("t.Any", claimed).rowcount == 1)


def _release(session: Session, batch_id: int) -> None:
    """Let the next run take the batch at once (a run stopped by ``limit`` or by an error)."""
    session.rollback()
    session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch_id)
        .values(claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _finish(session: Session, batch_id: int) -> None:
    batch = session.get(ImportBatch, batch_id)
    if batch is not None:
        batch.status = "done"
        batch.finished_at = utcnow()
    session.commit()


def _import_next(
    session: Session, batch_id: int, *, fetch: Fetch, fetch_image: ImageFetch | None
) -> bool:
    """Import the first waiting file of the batch; return False when none waits."""
    row = session.execute(
        select(ImportItem.id, ImportItem.data, ImportBatch.user_id, ImportBatch.created_at)
        .join(ImportBatch, ImportBatch.id == ImportItem.batch_id)
        .where(ImportItem.batch_id == batch_id, ImportItem.status == "waiting")
        .order_by(ImportItem.position)
        .limit(1)
    ).first()
    # End the read: verification fetches from the network, with no transaction open.
    session.rollback()
    if row is None:
        return False
    item_id, data, user_id, started = row
    award_id: int | None = None
    report: dict[str, t.Any] | None = None
    message: Message | None = None
    try:
        if data is None:
            raise errors.Invalid(Message(N_("This file was lost before it could be checked.")))
        award, found = service.import_award(
            session, user_id, data, fetch=fetch, fetch_image=fetch_image
        )
    except errors.Conflict:
        session.rollback()
        award_id = _added_by_an_earlier_run(session, batch_id, user_id, data or b"", started)
        status = "added" if award_id is not None else "duplicate"
    except errors.WalletError as error:
        session.rollback()
        status, message = "failed", error.message
    except Exception:  # one bad file must neither stop the others nor be retried forever
        log.exception("bulk import %s: file %s could not be imported", batch_id, item_id)
        session.rollback()
        status = "failed"
        message = Message(N_("We could not check this file. Try adding it on its own."))
    else:
        if award is None:
            status, report = "refused", found.to_json(translatable=True)
        else:
            status, award_id = "added", award.id
    item = session.get(ImportItem, item_id)
    if item is None:  # the earner deleted their account meanwhile
        session.rollback()
        return False
    item.status = status
    item.award_id = award_id
    item.report = report
    item.message = message.to_json() if message is not None else None
    item.data = None
    item.processed_at = utcnow()
    session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch_id)
        .values(claimed_until=utcnow() + LEASE)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return True


def _added_by_an_earlier_run(
    session: Session, batch_id: int, user_id: int, data: bytes, started: dt.datetime
) -> int | None:
    """Return the award a run that died added from these very bytes, if there is one.

    The award is committed before its file is marked done; a run that died in between left the
    file waiting, and importing it again finds "a duplicate" of itself. An award with the same
    original, added since the batch began and not claimed by another file, is that one.
    """
    claimed = select(ImportItem.award_id).where(
        ImportItem.batch_id == batch_id, ImportItem.award_id.is_not(None)
    )
    found = session.scalar(
        select(Award.id)
        .where(
            Award.user_id == user_id,
            Award.created_at >= started,
            Award.original == data,
            Award.id.not_in(claimed),
        )
        .limit(1)
    )
    session.rollback()
    return found
