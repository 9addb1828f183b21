"""Batches of awards from the API: one transaction a chunk, a result per item.

A chunk's rows go in with one Core insert; each credential is signed by the ``BatchSigner`` (the
proof ``signing.sign`` makes, byte for byte); the chunk has one audit entry and one outbox event.
"""

from __future__ import annotations

import datetime as dt
import secrets
import typing as t
import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import insert
from sqlalchemy import select

from wallet import errors
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import AwardsCreated
from wallet.issuers import documents
from wallet.issuers import recipients
from wallet.issuers.batch_signing import BatchSigner
from wallet.issuers.models import Achievement
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer
from wallet.issuers.models import StatusList
from wallet.issuers.service import audit
from wallet.issuers.service import issuer_for_client

if t.TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class Awarded:
    """An award a batch just made, as it was inserted (batches do not load their rows back)."""

    public_id: str
    issuer: Issuer
    achievement: Achievement
    recipient_normalized: str
    recipient_name: str
    salt: str
    issued_at: dt.datetime
    expires_at: dt.datetime | None
    status_index: int
    recipient_type: str = "email"
    revoked_at: dt.datetime | None = None
    revocation_reason: str = ""


class BatchItem(t.NamedTuple):
    """One award of a batch: the achievement's public id and the recipient."""

    achievement_public_id: str
    #: ``email``, ``url`` or ``phone``, and the identifier as given.
    kind: str
    identifier: str
    name: str
    #: Idempotency key of this item (so a retried batch finds what it already awarded).
    key: str | None = None


def award_batch(
    session: Session,
    issuer_id: int,
    items: list[BatchItem],
    *,
    base_url: str,
    data_keys: tuple[str, ...],
    client: str,
) -> list[Awarded | errors.WalletError]:
    """Award a chunk of items in one transaction; return each item's award, or why it failed.

    A bad item (unknown achievement, bad address) fails alone and the rest are awarded; the
    caller splits big batches into chunks, so one chunk's failure loses nothing already done.
    """
    issuer = issuer_for_client(session, issuer_id)
    public_ids = {item.achievement_public_id for item in items}
    achievements = {
        a.public_id: a
        for a in session.scalars(
            select(Achievement).where(
                Achievement.issuer_id == issuer.id,
                Achievement.public_id.in_(public_ids),
                Achievement.archived_at.is_(None),
            )
        )
    }
    status = session.scalar(
        select(StatusList).where(StatusList.issuer_id == issuer.id).with_for_update()
    )
    assert status is not None
    signer = BatchSigner(issuer, documents.Urls(base_url), data_keys, utcnow())
    now = signer.created
    outcomes: list[Awarded | errors.WalletError] = []
    rows: list[dict[str, t.Any]] = []
    for item in items:
        achievement = achievements.get(item.achievement_public_id)
        if achievement is None:
            outcomes.append(errors.NotFound(_("This achievement does not exist.")))
            continue
        try:
            kind, recipient = recipients.normalize(item.kind, item.identifier)
        except errors.Invalid as error:
            outcomes.append(error)
            continue
        if status.next_index >= documents.STATUS_LIST_BITS:
            outcomes.append(errors.Conflict(_("This issuer's status list is full.")))
            continue
        made = Awarded(
            public_id=uuid.uuid4().hex,
            issuer=issuer,
            achievement=achievement,
            recipient_type=kind,
            recipient_normalized=recipient,
            recipient_name=item.name.strip()[:200],
            salt=secrets.token_hex(8),
            issued_at=now,
            expires_at=now + dt.timedelta(days=achievement.valid_days)
            if achievement.valid_days
            else None,
            status_index=status.next_index,
        )
        status.next_index += 1
        rows.append(
            {
                "public_id": made.public_id,
                "issuer_id": issuer.id,
                "achievement_id": achievement.id,
                "recipient_type": made.recipient_type,
                "recipient_normalized": made.recipient_normalized,
                "recipient_name": made.recipient_name,
                "salt": made.salt,
                "issued_at": now,
                "expires_at": made.expires_at,
                "status_index": made.status_index,
                "credential": signer.sign(made, achievement),
                "idempotency_key": item.key,
                "revocation_reason": "",
            }
        )
        outcomes.append(made)
    if rows:
        session.execute(insert(t.cast("Table", IssuedAward.__table__)), rows)
        awarded = [row["public_id"] for row in rows]
        audit(session, issuer, None, "awards.created", client=client, awards=awarded)
        outbox.record(session, AwardsCreated(public_ids=awarded, issuer_id=issuer.id))
    session.commit()
    return outcomes
