"""Issuing one award: sign its OB 3.0 credential and record it, for members and API clients.

Each use case owns its transaction and raises ``wallet.errors``; a member's right is checked with
``service.require_role``, an API client's issuer was checked from its token.
"""

from __future__ import annotations

import datetime as dt
import secrets
import typing as t

from flask_babel import gettext as _
from sqlalchemy import select

from wallet import errors
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import AwardCreated
from wallet.issuers import documents
from wallet.issuers import recipients
from wallet.issuers import signing
from wallet.issuers.models import Achievement
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer
from wallet.issuers.models import StatusList
from wallet.issuers.service import audit
from wallet.issuers.service import require_role

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session


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
    issued = issue(
        session,
        actor_id,
        issuer,
        achievement,
        recipient=one_recipient(email, url, phone),
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
    return issue(
        session,
        None,
        issuer,
        achievement,
        recipient=recipients.normalize("email", email),
        name=name,
        base_url=base_url,
        data_keys=data_keys,
    )


def one_recipient(email: str, url: str, phone: str) -> tuple[str, str]:
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


def issue(
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
    sign_award(issued, achievement, issuer, base_url, data_keys, now)
    audit(session, issuer, actor_id, "award.created", award=issued.public_id, to=identifier)
    outbox.record(session, AwardCreated(issued_award_id=issued.id, issuer_id=issuer.id))
    return issued


def sign_award(
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
