"""Use cases of recommendations: what to earn next, dismissing one, showing and following them.

Reads take a fixed number of statements (``recommendation_queries.facts_for``) and rank in the
pure engine (``recommend``); writes own their transaction and record their events to the outbox.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import typing as t

from flask_babel import gettext as _
from sqlalchemy import select

from wallet import errors
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import RecommendationClicked
from wallet.events.catalog import RecommendationsShown
from wallet.issuers.models import Achievement
from wallet.pathways import coearned
from wallet.pathways import recommend
from wallet.pathways import recommendation_queries as queries
from wallet.pathways.recommendation_models import TARGET_MAX
from wallet.pathways.recommendation_models import RecommendationDismissal

if t.TYPE_CHECKING:
    import redis
    from sqlalchemy.orm import Session

#: How long the mark "this list was shown today" stays in Redis: past midnight everywhere.
SHOWN_KEEP = int(dt.timedelta(days=2).total_seconds())


@dataclasses.dataclass(frozen=True)
class Recommended:
    """A recommendation with where following it leads."""

    item: recommend.Recommendation
    #: The public id of our achievement it names (``None``: an achievement or page elsewhere).
    achievement_id: str | None


def recommendations_for(
    session: Session, user_id: int, limit: int = 5, *, base_url: str
) -> list[Recommended]:
    """Return up to ``limit`` things for the earner to earn next, best first, with reasons."""
    facts = queries.facts_for(session, user_id, base_url)
    return [
        Recommended(item=item, achievement_id=queries.platform_id(item.target, base_url))
        for item in recommend.recommend(facts, limit)
    ]


def show(
    session: Session, client: redis.Redis, user_id: int, limit: int = 5, *, base_url: str
) -> list[Recommended]:
    """Return the earner's recommendations and record that they were shown."""
    shown = recommendations_for(session, user_id, limit, base_url=base_url)
    record_shown(session, client, user_id, shown)
    return shown


def record_shown(
    session: Session,
    client: redis.Redis,
    user_id: int,
    shown: t.Sequence[Recommended],
    *,
    today: dt.date | None = None,
) -> bool:
    """Record ``recommendation.shown`` for our achievements in the list, once a day per list.

    One outbox row per page view at most; a list seen again the same day records nothing.
    """
    items = [
        {"achievement_id": entry.achievement_id, "reason": entry.item.reason}
        for entry in shown
        if entry.achievement_id is not None
    ]
    if not items:
        return False
    listed = "|".join(item["achievement_id"] or "" for item in items)
    digest = hashlib.sha256(listed.encode()).hexdigest()[:16]
    key = f"recommendations:shown:{(today or utcnow().date()).isoformat()}:{user_id}:{digest}"
    if not client.set(key, 1, nx=True, ex=SHOWN_KEEP):
        return False
    outbox.record(session, RecommendationsShown(items=items, about_user_id=user_id))
    session.commit()
    return True


def record_click(session: Session, user_id: int, target: str, reason: str, base_url: str) -> None:
    """Record that the earner followed a recommendation (an event only for our achievements)."""
    public_id = queries.platform_id(target, base_url)
    achievement_id = None
    if public_id is not None:
        achievement_id = session.scalar(
            select(Achievement.id).where(Achievement.public_id == public_id)
        )
    if achievement_id is None:
        return
    outbox.record(
        session,
        RecommendationClicked(achievement_id=achievement_id, reason=reason, about_user_id=user_id),
    )
    session.commit()


def dismiss(session: Session, user_id: int, target: str, title: str) -> RecommendationDismissal:
    """Stop recommending ``target`` to the earner (dismissing twice changes nothing)."""
    if not target or len(target) > TARGET_MAX:
        raise errors.Invalid(_("This recommendation cannot be dismissed."))
    found = session.scalar(
        select(RecommendationDismissal).where(
            RecommendationDismissal.user_id == user_id, RecommendationDismissal.target == target
        )
    )
    if found is None:
        found = RecommendationDismissal(user_id=user_id, target=target, title=title[:300])
        session.add(found)
    session.commit()
    return found


def undo_dismissal(session: Session, user_id: int, dismissal_id: int) -> RecommendationDismissal:
    """Recommend a dismissed target again; another earner's dismissal is "not found"."""
    found = session.get(RecommendationDismissal, dismissal_id)
    if found is None or found.user_id != user_id:
        raise errors.NotFound(_("This dismissed recommendation does not exist."))
    session.delete(found)
    session.commit()
    return found


def rebuild_stats(session: Session) -> None:
    """Recompute the co-earned statistics from every award held now."""
    coearned.rebuild(session)
    session.commit()
