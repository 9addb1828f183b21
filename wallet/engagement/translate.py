"""Turn internal outbox events into the public events of the issuers they concern.

An issuer gets an event only about its own awards: the issuer is taken from the award row the
event names (an award created, revoked...), or from the earner's wallet copy traced back to the
issued award by its credential id, never from anything the earner or a viewer supplied.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from dataclasses import dataclass

from sqlalchemy import select

from wallet.accounts.models import User
from wallet.backpack.models import Award
from wallet.engagement import pseudonyms
from wallet.engagement.catalog import PUBLIC_TYPES
from wallet.engagement.models import EngagementConsent
from wallet.issuers.models import Achievement
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer
from wallet.pathways.models import Pathway

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.events.models import OutboxMessage

#: Internal types the wallet's own events use for the same public type.
_RENAMED = {"awards.created": "award.created"}
#: Internal events that concern an issuer's award.
SOURCE_TYPES = frozenset({*PUBLIC_TYPES, *_RENAMED})


@dataclass(frozen=True)
class Draft:
    """A public event before the feed numbers it."""

    issuer_id: int
    type: str
    occurred_at: dt.datetime
    data: dict[str, t.Any]
    part: int = 0
    user_id: int | None = None
    issued_award_id: int | None = None
    achievement_id: int | None = None


class Translator:
    """Translates outbox rows, given the instance's base URL and secret key."""

    def __init__(self, session: Session, *, base_url: str, secret_key: str) -> None:
        self.session = session
        self.base = base_url.rstrip("/")
        self.secret_key = secret_key
        #: Rows looked up once per relay pass (many events name the same award and issuer).
        self._cache: dict[tuple[str, t.Any], t.Any] = {}

    def _cached(self, kind: str, key: t.Any, load: t.Callable[[], t.Any]) -> t.Any:
        if (kind, key) not in self._cache:
            self._cache[(kind, key)] = load()
        return self._cache[(kind, key)]

    def drafts(self, row: OutboxMessage) -> list[Draft]:
        """Return the public events ``row`` makes (none when it concerns no issuer of ours)."""
        payload = row.payload
        kind = row.type
        if kind not in SOURCE_TYPES:
            return []
        if kind == "awards.created":
            issued_rows = self.session.execute(
                select(IssuedAward, Achievement, Issuer)
                .join(Achievement, IssuedAward.achievement_id == Achievement.id)
                .join(Issuer, IssuedAward.issuer_id == Issuer.id)
                .where(IssuedAward.public_id.in_(payload["public_ids"]))
                .order_by(IssuedAward.id)
            ).all()
            return [
                self._award_draft("award.created", row, issued, achievement, issuer, part=n)
                for n, (issued, achievement, issuer) in enumerate(issued_rows)
            ]
        if kind == "survey.completed":
            return self._survey(row)
        if kind == "recommendation.shown":
            return self._recommendations_shown(row)
        if kind == "recommendation.clicked":
            return self._recommendation(row)
        if kind in ("pathway.progressed", "pathway.completed"):
            return self._pathway(row)
        issued = self._issued(payload)
        if issued is None:
            return []
        achievement = self._cached(
            "achievement",
            issued.achievement_id,
            lambda: self.session.get_one(Achievement, issued.achievement_id),
        )
        issuer = self._cached(
            "issuer", issued.issuer_id, lambda: self.session.get_one(Issuer, issued.issuer_id)
        )
        extra: dict[str, t.Any] = {}
        if kind == "award.revoked":
            extra["reason"] = payload.get("reason", "")
        elif kind == "award.shared":
            extra["channel"] = payload["channel"]
        elif kind == "award.downloaded":
            extra["format"] = payload["format"]
        elif kind == "award.verified":
            extra["result"] = payload.get("result", "valid")
        user_id = payload.get("about_user_id")
        return [
            self._award_draft(kind, row, issued, achievement, issuer, user_id=user_id, extra=extra)
        ]

    def _issued(self, payload: dict[str, t.Any]) -> IssuedAward | None:
        """Return the issuer's award the event is about, by row id or through the wallet copy."""
        if "issued_award_id" in payload:
            number = int(payload["issued_award_id"])
            return t.cast(
                "IssuedAward | None",
                self._cached("issued", number, lambda: self.session.get(IssuedAward, number)),
            )
        award_id = int(payload.get("award_id", 0))
        return t.cast(
            "IssuedAward | None",
            self._cached("held", award_id, lambda: self._issued_of_copy(award_id)),
        )

    def _issued_of_copy(self, award_id: int) -> IssuedAward | None:
        credential_id = self.session.scalar(select(Award.credential_id).where(Award.id == award_id))
        if credential_id is None:
            return None
        for prefix in (f"{self.base}/ob/v3/credentials/", f"{self.base}/ob/v2/assertions/"):
            if credential_id.startswith(prefix):
                public_id = credential_id[len(prefix) :]
                return self.session.scalar(
                    select(IssuedAward).where(IssuedAward.public_id == public_id)
                )
        return None

    def _award_draft(
        self,
        kind: str,
        row: OutboxMessage,
        issued: IssuedAward,
        achievement: Achievement,
        issuer: Issuer,
        *,
        part: int = 0,
        user_id: int | None = None,
        extra: dict[str, t.Any] | None = None,
    ) -> Draft:
        public = _RENAMED.get(kind, kind)
        data: dict[str, t.Any] = {
            "issuer": {"id": issuer.public_id},
            "award": {"id": issued.public_id},
            "achievement": {"id": achievement.public_id, "name": achievement.name},
            "earner": self._earner(issuer.id, user_id),
            **(extra or {}),
        }
        return Draft(
            issuer_id=issuer.id,
            type=public,
            occurred_at=row.occurred_at,
            data=data,
            part=part,
            user_id=user_id,
            issued_award_id=issued.id,
            achievement_id=achievement.id,
        )

    def _earner(self, issuer_id: int, user_id: int | None) -> dict[str, str] | None:
        if user_id is None:
            return None
        earner = {"id": pseudonyms.earner_id(self.secret_key, issuer_id, user_id)}
        named = self._cached(
            "named", (issuer_id, user_id), lambda: self._identity(issuer_id, user_id)
        )
        return {**earner, **named}

    def _identity(self, issuer_id: int, user_id: int) -> dict[str, str]:
        """Return the earner's name and email if they let this issuer see them, else nothing."""
        if not self._identified(issuer_id, user_id):
            return {}
        user = self.session.get(User, user_id)
        if user is None:
            return {}
        named = {"name": user.display_name}
        primary = user.primary_email
        if primary is not None:
            named["email"] = primary.email
        return named

    def _identified(self, issuer_id: int, user_id: int) -> bool:
        return bool(
            self.session.scalar(
                select(EngagementConsent.identified).where(
                    EngagementConsent.user_id == user_id,
                    EngagementConsent.issuer_id == issuer_id,
                )
            )
        )

    def _recommendations_shown(self, row: OutboxMessage) -> list[Draft]:
        """Tell each issuer its achievement was recommended, never to whom: the earner may hold
        nothing of that issuer's, so not even a pseudonym goes out."""
        items = list(row.payload.get("items") or [])
        ids = [str(item.get("achievement_id")) for item in items]
        found = {
            achievement.public_id: (achievement, issuer)
            for achievement, issuer in self.session.execute(
                select(Achievement, Issuer)
                .join(Issuer, Achievement.issuer_id == Issuer.id)
                .where(Achievement.public_id.in_(ids))
            )
        }
        drafts = []
        for part, item in enumerate(items):
            if str(item.get("achievement_id")) not in found:
                continue
            achievement, issuer = found[str(item["achievement_id"])]
            drafts.append(
                Draft(
                    issuer_id=issuer.id,
                    type=row.type,
                    occurred_at=row.occurred_at,
                    data={
                        "issuer": {"id": issuer.public_id},
                        "achievement": {"id": achievement.public_id, "name": achievement.name},
                        "reason": str(item.get("reason") or ""),
                    },
                    part=part,
                    achievement_id=achievement.id,
                )
            )
        return drafts

    def _survey(self, row: OutboxMessage) -> list[Draft]:
        payload = row.payload
        issuer = self.session.get(Issuer, int(payload["issuer_id"]))
        if issuer is None:
            return []
        data: dict[str, t.Any] = {
            "issuer": {"id": issuer.public_id},
            "survey": {"id": payload["survey_id"], "version": payload["survey_version"]},
            "identified": bool(payload.get("identified")),
        }
        occurred = row.occurred_at
        user_id = None
        achievement_id = None
        if payload.get("identified"):
            # The earner chose to be identified to this issuer for this answer.
            user_id = payload.get("about_user_id")
            data["earner"] = self._earner(issuer.id, user_id)
            data["achievement"] = {"id": payload.get("achievement_id")}
            data["answers"] = payload.get("answers") or {}
            achievement_id = self.session.scalar(
                select(Achievement.id).where(Achievement.public_id == payload.get("achievement_id"))
            )
        else:
            # An anonymous answer carries the day only, so its time cannot be matched with the
            # same earner's other events.
            occurred = occurred.replace(hour=0, minute=0, second=0, microsecond=0)
        return [
            Draft(
                issuer_id=issuer.id,
                type="survey.completed",
                occurred_at=occurred,
                data=data,
                user_id=user_id,
                achievement_id=achievement_id,
            )
        ]

    def _pathway_of(self, pathway_id: t.Any) -> Pathway | None:
        if pathway_id is None:
            return None
        number = int(pathway_id)
        return t.cast(
            "Pathway | None",
            self._cached("pathway", number, lambda: self.session.get(Pathway, number)),
        )

    def _issuer(self, issuer_id: int) -> Issuer:
        return t.cast(
            "Issuer",
            self._cached("issuer", issuer_id, lambda: self.session.get_one(Issuer, issuer_id)),
        )

    def _recommendation(self, row: OutboxMessage) -> list[Draft]:
        """A click on a recommended achievement or pathway: the event of the issuer behind it."""
        payload = row.payload
        pathway = self._pathway_of(payload.get("pathway_id"))
        achievement = None
        if payload.get("achievement_id") is not None:
            number = int(payload["achievement_id"])
            achievement = self._cached(
                "achievement", number, lambda: self.session.get(Achievement, number)
            )
        owner = achievement or pathway
        if owner is None:
            return []
        issuer = self._issuer(owner.issuer_id)
        user_id = payload.get("about_user_id")
        data: dict[str, t.Any] = {"issuer": {"id": issuer.public_id}}
        if achievement is not None:
            data["achievement"] = {"id": achievement.public_id, "name": achievement.name}
        if pathway is not None and pathway.issuer_id == issuer.id:
            data["pathway"] = {"id": pathway.public_id, "name": pathway.name}
        if payload.get("reason"):
            data["reason"] = str(payload["reason"])
        data["earner"] = self._earner(issuer.id, user_id)
        return [
            Draft(
                issuer_id=issuer.id,
                type="recommendation.clicked",
                occurred_at=row.occurred_at,
                data=data,
                user_id=user_id,
                achievement_id=achievement.id if achievement is not None else None,
            )
        ]

    def _pathway(self, row: OutboxMessage) -> list[Draft]:
        """Progress on, or completion of, a pathway: the event of the pathway's issuer."""
        payload = row.payload
        pathway = self._pathway_of(payload.get("pathway_id"))
        if pathway is None:
            return []
        issuer = self._issuer(pathway.issuer_id)
        user_id = payload.get("about_user_id")
        data: dict[str, t.Any] = {
            "issuer": {"id": issuer.public_id},
            "pathway": {"id": pathway.public_id, "name": pathway.name},
            "earner": self._earner(issuer.id, user_id),
        }
        issued = None
        if row.type == "pathway.progressed":
            data["step"] = {"achievement_iri": payload["step_iri"]}
            data["progress"] = {"done": payload["done"], "needed": payload["needed"]}
        elif payload.get("issued_award_id"):
            issued = self.session.get(IssuedAward, int(payload["issued_award_id"]))
            if issued is not None:
                data["award"] = {"id": issued.public_id}
        return [
            Draft(
                issuer_id=issuer.id,
                type=row.type,
                occurred_at=row.occurred_at,
                data=data,
                user_id=user_id,
                issued_award_id=issued.id if issued is not None else None,
                achievement_id=issued.achievement_id if issued is not None else None,
            )
        ]
