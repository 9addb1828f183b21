"""Use cases of the earner's consent: what each issuer they hold awards from may learn.

Lifecycle events (created, accepted, declined, revoked, updated) always reach the issuer;
engagement events (views, shares, downloads) reach it under a pseudonymous id. The earner can let
an issuer see their name and email beside that id, and take it back; it applies to events from
then on.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import select

from wallet import errors
from wallet.backpack.models import Award
from wallet.engagement.models import EngagementConsent
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class IssuerSharing:
    """One issuer the earner holds awards from, and whether it may see who they are."""

    issuer: Issuer
    awards: int
    identified: bool


def sharing_of(session: Session, user_id: int, *, base_url: str) -> list[IssuerSharing]:
    """Return each issuer of ours the earner holds awards from, by name."""
    credential = literal(base_url.rstrip("/") + "/ob/v3/credentials/") + IssuedAward.public_id
    rows = session.execute(
        select(Issuer, func.count(Award.id))
        .join(IssuedAward, IssuedAward.issuer_id == Issuer.id)
        .join(Award, Award.credential_id == credential)
        .where(Award.user_id == user_id)
        .group_by(Issuer.id)
        .order_by(Issuer.name)
    ).all()
    consents = dict(
        session.execute(
            select(EngagementConsent.issuer_id, EngagementConsent.identified).where(
                EngagementConsent.user_id == user_id
            )
        ).all()
    )
    return [
        IssuerSharing(issuer=issuer, awards=count, identified=bool(consents.get(issuer.id)))
        for issuer, count in rows
    ]


def set_identified(
    session: Session, user_id: int, issuer_public_id: str, *, identified: bool, base_url: str
) -> IssuerSharing:
    """Let an issuer the earner holds awards from see their name and email, or stop it."""
    found = next(
        (
            entry
            for entry in sharing_of(session, user_id, base_url=base_url)
            if entry.issuer.public_id == issuer_public_id
        ),
        None,
    )
    if found is None:
        raise errors.NotFound(_("You hold no award from this issuer."))
    consent = session.scalar(
        select(EngagementConsent).where(
            EngagementConsent.user_id == user_id,
            EngagementConsent.issuer_id == found.issuer.id,
        )
    )
    if consent is None:
        consent = EngagementConsent(user_id=user_id, issuer_id=found.issuer.id)
        session.add(consent)
    consent.identified = identified
    session.commit()
    return IssuerSharing(issuer=found.issuer, awards=found.awards, identified=identified)
