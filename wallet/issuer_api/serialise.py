"""The issuer API's JSON: issuers, achievements and awards as the API shows them."""

from __future__ import annotations

import datetime as dt
import typing as t

from pydantic import TypeAdapter

from wallet.db import utcnow
from wallet.issuer_api import schemas
from wallet.issuer_api.operations import _urls
from wallet.issuers import awarding
from wallet.issuers.batches import Awarded
from wallet.issuers.models import Achievement
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer
from wallet.web import context

if t.TYPE_CHECKING:
    from collections.abc import Sequence

#: How the API writes a moment (pydantic's JSON form, as in every ``model_dump``).
_MOMENT: TypeAdapter[dt.datetime] = TypeAdapter(dt.datetime)


def issuer_out(issuer: Issuer) -> dict[str, t.Any]:
    """Return the issuer as the API shows it."""
    urls = _urls()
    return schemas.IssuerOut(
        id=issuer.public_id,
        name=issuer.name,
        url=issuer.url,
        email=issuer.email,
        description=issuer.description,
        links=schemas.IssuerLinks(profile=urls.profile(issuer), ob2_issuer=urls.ob2_issuer(issuer)),
    ).model_dump(mode="json")


def achievement_out(achievement: Achievement) -> dict[str, t.Any]:
    """Return an achievement as the API shows it."""
    return schemas.AchievementOut(
        id=achievement.public_id,
        name=achievement.name,
        description=achievement.description,
        criteria=achievement.criteria,
        achievement_type=achievement.achievement_type,
        level=achievement.level,
        skills=[schemas.SkillOut.model_validate(skill) for skill in achievement.alignments],
        tags=achievement.tags,
        valid_days=achievement.valid_days,
        archived=achievement.archived_at is not None,
        created_at=achievement.created_at,
        updated_at=achievement.updated_at,
        links=schemas.AchievementLinks(badge_class=_urls().badge_class(achievement)),
    ).model_dump(mode="json")


def _award_model(issued: IssuedAward | Awarded) -> schemas.AwardOut:
    urls = _urls()
    state: t.Literal["active", "revoked", "expired"] = "active"
    if issued.revoked_at is not None:
        state = "revoked"
    elif issued.expires_at is not None and issued.expires_at <= utcnow():
        state = "expired"
    return schemas.AwardOut(
        id=issued.public_id,
        achievement_id=issued.achievement.public_id,
        recipient=schemas.RecipientOut.model_validate(
            {
                "type": issued.recipient_type,
                issued.recipient_type: issued.recipient_normalized,
                "name": issued.recipient_name,
            }
        ),
        status=state,
        issued_at=issued.issued_at,
        expires_at=issued.expires_at,
        revoked_at=issued.revoked_at,
        revocation_reason=issued.revocation_reason,
        replaced_by=getattr(issued, "replaced_by_public_id", None),
        claim_url=None
        if issued.recipient_type == "email"
        else awarding.claim_url(context.config().secret_key, urls.base, issued),
        links=schemas.AwardLinks(
            assertion=urls.assertion(issued),
            credential=urls.credential(issued),
            status_list=urls.status_list(issued.issuer),
        ),
    )


def award_out(issued: IssuedAward) -> dict[str, t.Any]:
    """Return an award as the API shows it."""
    return _award_model(issued).model_dump(mode="json")


def awards_out(awards: Sequence[IssuedAward | Awarded]) -> list[dict[str, t.Any]]:
    """Return many awards as the API shows them: what ``award_out`` gives for each, without a
    model per award (a batch's awards share their moments, issuer and links' shape)."""
    urls = _urls()
    secret = context.config().secret_key
    now = utcnow()
    moments: dict[dt.datetime | None, t.Any] = {}

    def moment(value: dt.datetime | None) -> t.Any:
        if value not in moments:
            moments[value] = None if value is None else _MOMENT.dump_python(value, mode="json")
        return moments[value]

    status_lists: dict[int, str] = {}
    out = []
    for issued in awards:
        issuer = issued.issuer
        if issuer.id not in status_lists:
            status_lists[issuer.id] = urls.status_list(issuer)
        state = "active"
        if issued.revoked_at is not None:
            state = "revoked"
        elif issued.expires_at is not None and issued.expires_at <= now:
            state = "expired"
        kind = issued.recipient_type
        recipient: dict[str, t.Any] = {"type": kind, "email": None, "url": None, "phone": None}
        recipient[kind] = issued.recipient_normalized
        recipient["name"] = issued.recipient_name
        out.append(
            {
                "id": issued.public_id,
                "achievement_id": issued.achievement.public_id,
                "recipient": recipient,
                "status": state,
                "issued_at": moment(issued.issued_at),
                "expires_at": moment(issued.expires_at),
                "revoked_at": moment(issued.revoked_at),
                "revocation_reason": issued.revocation_reason,
                "replaced_by": getattr(issued, "replaced_by_public_id", None),
                "claim_url": None
                if kind == "email"
                else awarding.claim_url(secret, urls.base, issued),
                "links": {
                    "assertion": urls.assertion(issued),
                    "credential": urls.credential(issued),
                    "status_list": status_lists[issuer.id],
                },
            }
        )
    return out


def _location(issued: IssuedAward) -> dict[str, str]:
    return {"Location": f"{context.config().base_url}/api/v1/awards/{issued.public_id}"}
