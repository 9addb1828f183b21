"""An award's life after issuing: revoke, expire, replace, and reading one back for a member.

Each use case owns its transaction and raises ``wallet.errors``; a member's right is checked with
``service.require_role``, an API client's issuer was checked from its token.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from flask_babel import gettext as _
from sqlalchemy import select

from wallet import errors
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import AwardRevoked
from wallet.events.catalog import AwardUpdated
from wallet.issuers import documents
from wallet.issuers.governance import Action
from wallet.issuers.issuing import issue
from wallet.issuers.issuing import one_recipient
from wallet.issuers.issuing import sign_award
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer
from wallet.issuers.models import StatusList
from wallet.issuers.service import audit
from wallet.issuers.service import require_role

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session


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
    sign_award(issued, issued.achievement, issuer, base_url, data_keys, now)
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
    new = issue(
        session,
        actor_id,
        issuer,
        achievement,
        recipient=one_recipient(email, url, phone)
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
