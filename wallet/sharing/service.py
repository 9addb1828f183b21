"""Use cases of sharing a public award. Each owns its transaction and raises ``wallet.errors``.

Who may see an award is decided by ``backpack.policy`` through ``backpack.service.public_award``:
every route here (page, preview, QR code, embed, downloads, share links) starts with it, so a
private award is "not found" on all of them at once.
"""

from __future__ import annotations

import hashlib
import typing as t
from dataclasses import dataclass

from wallet.accounts.models import User
from wallet.backpack import service as backpack
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import AwardDownloaded
from wallet.events.catalog import AwardShared
from wallet.events.catalog import AwardViewed
from wallet.issuers import queries as issuer_queries
from wallet.sharing import baked
from wallet.sharing import counting
from wallet.sharing import links
from wallet.sharing import preview

if t.TYPE_CHECKING:
    import redis
    from sqlalchemy.orm import Session

    from wallet.backpack.models import Award
    from wallet.issuers.models import Issuer

#: Channels an earner shares through, as recorded in ``award.shared``.
SHARE_CHANNELS = (*links.CHANNELS, "linkedin-profile", "copy")
#: How long a rendered preview stays in Redis (it is rebuilt when what it shows changes).
PREVIEW_TTL = 7 * 24 * 3600


@dataclass(frozen=True)
class SharedAward:
    """A public award with what its page shows beside it."""

    award: Award
    earner_name: str
    #: The issuing organisation when it issues through this wallet (its LinkedIn page id).
    issuer: Issuer | None

    @property
    def issuer_name(self) -> str:
        """Return the issuer's name as the award states it."""
        return self.award.issuer_name or self.award.issuer_id

    def certification(self, page_url: str) -> links.Certification:
        """Return the award as a LinkedIn certification entry."""
        award = self.award
        return links.Certification(
            name=award.achievement_name,
            organization_id=self.issuer.linkedin_organization_id if self.issuer else "",
            organization_name=self.issuer_name,
            issued=award.issued_at,
            expires=award.expires_at,
            url=page_url,
            cert_id=links.cert_id(award.credential_id, award.public_id),
        )


def shared_award(
    session: Session, public_id: str, viewer_id: int | None, *, base_url: str
) -> SharedAward:
    """Return a public award (or the owner's own) with its earner's name and our issuer, if any."""
    award = backpack.public_award(session, public_id, viewer_id)
    earner = session.get_one(User, award.user_id)
    issuer = issuer_queries.issuer_by_document_url(session, award.issuer_id, base_url)
    return SharedAward(award=award, earner_name=earner.display_name, issuer=issuer)


def record_view(
    session: Session, client: redis.Redis, shared: SharedAward, viewer: str, *, is_owner: bool
) -> bool:
    """Record ``award.viewed`` once per viewer per day (never for the earner); True if recorded."""
    award = shared.award
    if is_owner or not counting.first_today(client, "viewed", award.id, viewer, utcnow().date()):
        return False
    outbox.record(
        session,
        AwardViewed(award_id=award.id, issuer_id=_issuer_id(shared), about_user_id=award.user_id),
    )
    session.commit()
    return True


def record_share(
    session: Session, shared: SharedAward, channel: str, viewer_id: int | None
) -> bool:
    """Record ``award.shared`` when the earner shares their award; True if recorded."""
    award = shared.award
    if channel not in SHARE_CHANNELS or viewer_id != award.user_id:
        return False
    outbox.record(
        session,
        AwardShared(
            award_id=award.id,
            channel=channel,
            issuer_id=_issuer_id(shared),
            about_user_id=award.user_id,
        ),
    )
    session.commit()
    return True


def baked_image(
    session: Session, client: redis.Redis, shared: SharedAward, kind: baked.Kind, viewer: str
) -> bytes:
    """Return the award's picture with its credential baked in; record ``award.downloaded``."""
    award = shared.award
    data = baked.bake(
        kind,
        original=award.original,
        original_type=award.original_type,
        format=award.format,
        picture=backpack.award_picture(session, award),
        title=award.achievement_name,
        seed=award.public_id,
    )
    if counting.first_today(client, f"downloaded-{kind}", award.id, viewer, utcnow().date()):
        outbox.record(
            session,
            AwardDownloaded(
                award_id=award.id,
                format=kind,
                issuer_id=_issuer_id(shared),
                about_user_id=award.user_id,
            ),
        )
        session.commit()
    return data


def preview_image(
    session: Session, client: redis.Redis, shared: SharedAward, card: preview.Card
) -> bytes:
    """Return the 1200 x 627 share picture, drawn once and kept while what it shows is unchanged."""
    award = shared.award
    digest = hashlib.sha256(repr((card, award.has_picture)).encode()).hexdigest()[:24]
    key = f"sharing:preview:{award.public_id}:{digest}"
    cached = client.get(key)
    if isinstance(cached, bytes):
        return cached
    data = preview.render(card, backpack.award_picture(session, award))
    client.set(key, data, ex=PREVIEW_TTL)
    return data


def _issuer_id(shared: SharedAward) -> int | None:
    return shared.issuer.id if shared.issuer is not None else None
