"""Awarding: issue, publish, deliver, claim and revoke awards, for members and API clients.

Each use case owns its transaction and raises ``wallet.errors``; a member's right is checked with
``service.require_role``, an API client's issuer was checked from its token.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import typing as t
import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from itsdangerous import BadSignature
from itsdangerous import URLSafeSerializer
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from wallet import errors
from wallet.accounts.queries import normalize_email
from wallet.accounts.queries import user_with_verified_email
from wallet.backpack import service as backpack
from wallet.backpack.models import Award
from wallet.badges.verify import verify
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import AwardCreated
from wallet.events.catalog import AwardRevoked
from wallet.events.catalog import AwardsCreated
from wallet.events.catalog import AwardUpdated
from wallet.issuers import documents
from wallet.issuers import messages
from wallet.issuers import pictures
from wallet.issuers import recipients
from wallet.issuers import signing
from wallet.issuers.batch_signing import BatchSigner
from wallet.issuers.governance import Action
from wallet.issuers.models import Achievement
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer
from wallet.issuers.models import StatusList
from wallet.issuers.service import audit
from wallet.issuers.service import issuer_for_client
from wallet.issuers.service import require_role

if t.TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.orm import Session

    from wallet.badges.checks import Fetch

#: Longest text fields of an achievement.
NAME_MAX, TEXT_MAX = 200, 10_000


#: Achievement types offered in the form (OB 3.0 ``achievementType`` values).
def award(
    session: Session,
    actor_id: int | None,
    issuer_id: int,
    achievement_id: int,
    *,
    email: str = "",
    url: str = "",
    phone: str = "",
    name: str = "",
    base_url: str,
    data_keys: tuple[str, ...],
    idempotency_key: str | None = None,
) -> IssuedAward:
    """Award an achievement to an email address, a web address or a phone number (give one):
    sign its OB 3.0 credential, publish both forms.

    ``actor_id`` is the member awarding (checked for the ``award`` right); the API passes None
    after checking its client's scope. Delivery to the earner's wallet (or a claim mail) follows
    through the outbox once this commits.
    """
    if actor_id is not None:
        issuer, _member = require_role(session, actor_id, issuer_id, "award")
    else:
        issuer = session.get_one(Issuer, issuer_id)
    achievement = session.get(Achievement, achievement_id)
    if achievement is None or achievement.issuer_id != issuer.id or achievement.archived_at:
        raise errors.NotFound(_("This achievement does not exist."))
    issued = _issue(
        session,
        actor_id,
        issuer,
        achievement,
        recipient=_one_recipient(email, url, phone),
        name=name,
        base_url=base_url,
        data_keys=data_keys,
        idempotency_key=idempotency_key,
    )
    session.commit()
    return issued


def award_automatically(
    session: Session,
    issuer_id: int,
    achievement_id: int,
    *,
    email: str,
    name: str,
    base_url: str,
    data_keys: tuple[str, ...],
) -> IssuedAward:
    """Award an achievement to an email address with no member acting (a completed pathway's
    milestone badge), in the caller's transaction: the caller commits with what earned it."""
    issuer = session.get_one(Issuer, issuer_id)
    achievement = session.get(Achievement, achievement_id)
    if achievement is None or achievement.issuer_id != issuer.id or achievement.archived_at:
        raise errors.NotFound(_("This achievement does not exist."))
    return _issue(
        session,
        None,
        issuer,
        achievement,
        recipient=recipients.normalize("email", email),
        name=name,
        base_url=base_url,
        data_keys=data_keys,
    )


def _one_recipient(email: str, url: str, phone: str) -> tuple[str, str]:
    """Return the (kind, folded identifier) of the one recipient given."""
    given = [
        (kind, value)
        for kind, value in (("email", email), ("url", url), ("phone", phone))
        if value.strip()
    ]
    if len(given) != 1:
        raise errors.Invalid(
            _("Give one of the earner's email address, web address or phone number.")
        )
    return recipients.normalize(*given[0])


def _issue(
    session: Session,
    actor_id: int | None,
    issuer: Issuer,
    achievement: Achievement,
    *,
    recipient: tuple[str, str],
    name: str,
    base_url: str,
    data_keys: tuple[str, ...],
    idempotency_key: str | None = None,
) -> IssuedAward:
    """Make, sign and record one award in the caller's transaction (``recipient``: the kind and
    the folded identifier, from ``recipients.normalize``)."""
    kind, identifier = recipient
    status = session.scalar(
        select(StatusList).where(StatusList.issuer_id == issuer.id).with_for_update()
    )
    assert status is not None
    if status.next_index >= documents.STATUS_LIST_BITS:
        raise errors.Conflict(_("This issuer's status list is full."))
    now = utcnow()
    issued = IssuedAward(
        issuer_id=issuer.id,
        achievement_id=achievement.id,
        recipient_type=kind,
        recipient_normalized=identifier,
        recipient_name=name.strip()[:200],
        salt=secrets.token_hex(8),
        issued_at=now,
        expires_at=now + dt.timedelta(days=achievement.valid_days)
        if achievement.valid_days
        else None,
        status_index=status.next_index,
        credential={},
        idempotency_key=idempotency_key,
        awarded_by_user_id=actor_id,
    )
    status.next_index += 1
    session.add(issued)
    session.flush()
    _sign(issued, achievement, issuer, base_url, data_keys, now)
    audit(session, issuer, actor_id, "award.created", award=issued.public_id, to=identifier)
    outbox.record(session, AwardCreated(issued_award_id=issued.id, issuer_id=issuer.id))
    return issued


def _sign(
    issued: IssuedAward,
    achievement: Achievement,
    issuer: Issuer,
    base_url: str,
    data_keys: tuple[str, ...],
    created: dt.datetime,
) -> None:
    urls = documents.Urls(base_url)
    unsigned = documents.unsigned_credential(urls, issued, achievement, issuer)
    issued.credential = signing.sign(unsigned, issuer, urls, data_keys, created)


def revoke(
    session: Session,
    actor_id: int | None,
    issuer_id: int,
    public_id: str,
    *,
    reason: str,
) -> IssuedAward:
    """Revoke an award: its hosted assertion, revocation list and status list say so at once."""
    issuer, issued = _own_award(session, actor_id, issuer_id, public_id, "revoke")
    _revoke(session, actor_id, issuer, issued, reason)
    session.commit()
    return issued


def _own_award(
    session: Session, actor_id: int | None, issuer_id: int, public_id: str, right: Action
) -> tuple[Issuer, IssuedAward]:
    """Return the issuer and one of its awards, checking the member's ``right`` (or the API's)."""
    if actor_id is not None:
        issuer, _member = require_role(session, actor_id, issuer_id, right)
    else:
        issuer = session.get_one(Issuer, issuer_id)
    issued = session.scalar(
        select(IssuedAward).where(
            IssuedAward.public_id == public_id, IssuedAward.issuer_id == issuer.id
        )
    )
    if issued is None:
        raise errors.NotFound(_("This award does not exist."))
    return issuer, issued


def _revoke(
    session: Session, actor_id: int | None, issuer: Issuer, issued: IssuedAward, reason: str
) -> None:
    if issued.revoked_at is not None:
        raise errors.Conflict(_("This award is already revoked."))
    status = session.scalar(
        select(StatusList).where(StatusList.issuer_id == issuer.id).with_for_update()
    )
    assert status is not None
    bits = bytearray(status.bits)
    bits[issued.status_index // 8] |= 0x80 >> (issued.status_index % 8)
    status.bits = bytes(bits)
    status.updated_at = utcnow()
    issued.revoked_at = utcnow()
    issued.revocation_reason = reason.strip()[:500]
    audit(session, issuer, actor_id, "award.revoked", award=issued.public_id, reason=reason)
    outbox.record(
        session,
        AwardRevoked(
            issued_award_id=issued.id, issuer_id=issuer.id, reason=issued.revocation_reason
        ),
    )


def expire(
    session: Session,
    actor_id: int | None,
    issuer_id: int,
    public_id: str,
    *,
    at: dt.datetime | None = None,
    base_url: str,
    data_keys: tuple[str, ...],
) -> IssuedAward:
    """Make an award expire ``at`` (now by default): its credential is signed again with that
    ``validUntil``, its hosted assertion says so, and wallets holding it take the new version."""
    issuer, issued = _own_award(session, actor_id, issuer_id, public_id, "revoke")
    if issued.revoked_at is not None:
        raise errors.Conflict(_("This award is revoked; it cannot expire as well."))
    now = utcnow()
    when = (at or now).astimezone(dt.UTC).replace(microsecond=0)
    if when < issued.issued_at.replace(microsecond=0):
        raise errors.Invalid(_("An award cannot expire before it was issued."))
    issued.expires_at = when
    _sign(issued, issued.achievement, issuer, base_url, data_keys, now)
    audit(session, issuer, actor_id, "award.expiry_set", award=issued.public_id, at=str(when))
    outbox.record(session, AwardUpdated(issued_award_id=issued.id, issuer_id=issuer.id))
    session.commit()
    return issued


def replace(
    session: Session,
    actor_id: int | None,
    issuer_id: int,
    public_id: str,
    *,
    email: str = "",
    url: str = "",
    phone: str = "",
    name: str | None = None,
    base_url: str,
    data_keys: tuple[str, ...],
) -> IssuedAward:
    """Replace an award (a corrected name or address, or the achievement as it is now): a new
    award is made and the old one is revoked, saying which award replaces it. One transaction."""
    issuer, old = _own_award(session, actor_id, issuer_id, public_id, "award")
    if old.revoked_at is not None:
        raise errors.Conflict(_("This award is revoked; award the achievement again instead."))
    achievement = old.achievement
    if achievement.archived_at is not None:
        raise errors.Conflict(_("This achievement is archived, so it cannot be awarded again."))
    new = _issue(
        session,
        actor_id,
        issuer,
        achievement,
        recipient=_one_recipient(email, url, phone)
        if email or url or phone
        else (old.recipient_type, old.recipient_normalized),
        name=old.recipient_name if name is None else name,
        base_url=base_url,
        data_keys=data_keys,
    )
    old.replaced_by_public_id = new.public_id
    reason = _("Replaced by a new award: %(url)s", url=documents.Urls(base_url).credential(new))
    _revoke(session, actor_id, issuer, old, reason)
    session.commit()
    return new


def deliver(
    session: Session,
    issued_award_id: int,
    *,
    base_url: str,
    fetch: Fetch,
) -> Award | None:
    """Put an issued award in its recipient's wallet as pending, or mail them a claim link.

    ``fetch`` should read our own published documents first (``publishing.own_documents_first``)
    so that verifying the award costs no HTTP round trip to ourselves.

    Safe to run twice: the wallet holds a credential once, and the claim mail goes only when the
    award is delivered for the first time and nobody holds the address.
    """
    issued = session.get(IssuedAward, issued_award_id)
    if issued is None or issued.revoked_at is not None or issued.recipient_type != "email":
        return None  # a web address or phone number is reached through its claim link
    earner = user_with_verified_email(session, issued.recipient_normalized)
    urls = documents.Urls(base_url)
    if earner is None:
        if issued.claim_mailed_at is not None:
            return None
        issued.claim_mailed_at = utcnow()
        outbox.record(
            session,
            messages.claim_your_badge(
                to=issued.recipient_normalized,
                name=issued.recipient_name,
                issuer=issued.issuer.name,
                achievement=issued.achievement.name,
                link=f"{base_url}/sign-up",
            ),
        )
        session.commit()
        return None
    return _put_in_wallet(session, issued, earner.id, urls, fetch)


def _put_in_wallet(
    session: Session, issued: IssuedAward, user_id: int, urls: documents.Urls, fetch: Fetch
) -> Award:
    """Add the award to the earner's wallet as pending (once), verified for its recipient."""
    credential_id = urls.credential(issued)
    held = session.scalar(
        select(Award).where(Award.user_id == user_id, Award.credential_id == credential_id)
    )
    if held is not None:
        return held
    original = _original(issued)
    report = verify(original, fetch=fetch, recipients=[issued.recipient_normalized])
    achievement = issued.achievement
    return backpack.add_award(
        session,
        user_id,
        original=original,
        original_type="application/json",
        report=report,
        credential_id=credential_id,
        acceptance="pending",
        image=pictures.picture_of(
            achievement.name, achievement.public_id, achievement.image, achievement.image_type
        ),
    )


def _original(issued: IssuedAward) -> bytes:
    return json.dumps(issued.credential, indent=2, ensure_ascii=False).encode()


CLAIM_PATH = "/claim/"
_CLAIM_SALT = "issued-award-claim"


def claim_url(secret: str, base_url: str, issued: documents.AwardFacts) -> str | None:
    """Return the claim link of an award to a web address or phone number (None for email: an
    earner proves an address by verifying it). Signed, so nothing secret is stored."""
    if issued.recipient_type == "email":
        return None
    token = URLSafeSerializer(secret, salt=_CLAIM_SALT).dumps(issued.public_id)
    return f"{base_url.rstrip('/')}{CLAIM_PATH}{token}"


def award_by_claim(session: Session, secret: str, token: str) -> IssuedAward:
    """Return the award a claim link names, or raise ``NotFound`` (bad link, or revoked)."""
    gone = errors.NotFound(_("This claim link does not work, or its badge was revoked."))
    try:
        public_id = URLSafeSerializer(secret, salt=_CLAIM_SALT).loads(token)
    except BadSignature:
        raise gone from None
    issued = session.scalar(select(IssuedAward).where(IssuedAward.public_id == str(public_id)))
    if issued is None or issued.revoked_at is not None or issued.recipient_type == "email":
        raise gone
    return issued


def claim(
    session: Session, secret: str, token: str, user_id: int, *, base_url: str, fetch: Fetch
) -> Award:
    """Put the award a claim link names in the signed-in earner's wallet, as pending.

    Holding the link is the proof: the issuer gave it to the person at that web address or phone
    number. A link works for one wallet; opening it again from that wallet is harmless."""
    issued = award_by_claim(session, secret, token)
    urls = documents.Urls(base_url)
    holder = session.scalar(
        select(Award.user_id).where(Award.credential_id == urls.credential(issued))
    )
    if holder is not None and holder != user_id:
        raise errors.Conflict(_("Someone has already claimed this badge."))
    return _put_in_wallet(session, issued, user_id, urls, fetch)


def claim_for(session: Session, email: str, *, base_url: str, fetch: Fetch) -> int:
    """Deliver every award issued to a just-verified address; return how many reached the wallet."""
    ids = list(
        session.scalars(
            select(IssuedAward.id).where(
                IssuedAward.recipient_type == "email",
                IssuedAward.recipient_normalized == normalize_email(email),
                IssuedAward.revoked_at.is_(None),
            )
        )
    )
    delivered = 0
    for issued_id in ids:
        if deliver(session, issued_id, base_url=base_url, fetch=fetch):
            delivered += 1
    return delivered


def issued_award_ids(session: Session, public_ids: list[str]) -> list[int]:
    """Return the row ids of the issued awards with these public ids."""
    return list(
        session.scalars(select(IssuedAward.id).where(IssuedAward.public_id.in_(public_ids)))
    )


def published_original(session: Session, issued_award_id: int) -> bytes | None:
    """Return the credential of an issued award as wallets keep it (None: it is gone)."""
    issued = session.get(IssuedAward, issued_award_id)
    return None if issued is None else _original(issued)


def held_copies(session: Session, issued_award_id: int, base_url: str) -> list[int]:
    """Return the ids of the wallet awards that hold this issued award's credential."""
    issued = session.get(IssuedAward, issued_award_id)
    if issued is None:
        return []
    credential_id = documents.Urls(base_url).credential(issued)
    return list(session.scalars(select(Award.id).where(Award.credential_id == credential_id)))


def get_issued_award(session: Session, user_id: int, issuer_id: int, public_id: str) -> IssuedAward:
    """Return one of the issuer's awards, for a member who may see its data."""
    require_role(session, user_id, issuer_id, "view_data")
    issued = session.scalar(
        select(IssuedAward).where(
            IssuedAward.public_id == public_id, IssuedAward.issuer_id == issuer_id
        )
    )
    if issued is None:
        raise errors.NotFound(_("This award does not exist."))
    return issued


def issued_award_for_client(session: Session, issuer_id: int, public_id: str) -> IssuedAward:
    """Return one of the issuer's awards by public id."""
    issued = session.scalar(
        select(IssuedAward).where(
            IssuedAward.public_id == public_id, IssuedAward.issuer_id == issuer_id
        )
    )
    if issued is None:
        raise errors.NotFound(_("This award does not exist."))
    return issued


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
