"""Delivering issued awards: into the recipient's wallet as pending, or by a claim mail or link.

Each use case owns its transaction and raises ``wallet.errors``. Runs from jobs after the award's
transaction committed (``award.created``), and when an earner verifies an address.
"""

from __future__ import annotations

import json
import typing as t

from flask_babel import gettext as _
from itsdangerous import BadSignature
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from wallet import errors
from wallet.accounts.queries import normalize_email
from wallet.accounts.queries import user_with_verified_email
from wallet.backpack import service as backpack
from wallet.backpack.models import Award
from wallet.badges.verify import verify
from wallet.db import utcnow
from wallet.events import outbox
from wallet.issuers import documents
from wallet.issuers import messages
from wallet.issuers import pictures
from wallet.issuers.models import IssuedAward

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.badges.checks import Fetch


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
