"""Keep the co-earned statistics: earners per achievement and per pair of achievements, by IRI.

Called by the backpack's use cases inside their transaction (they commit): ``award_held`` when
an award becomes accepted, ``award_released`` when an accepted award is declined or deleted. An
earner counts once per achievement however many copies they hold; ``earner_removed`` uncounts a
deleted account. ``rebuild`` recomputes all of it with a few ``GROUP BY`` statements (after a
bulk load, or to repair drift).
"""

from __future__ import annotations

import typing as t

from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite

from wallet.backpack.models import Award
from wallet.pathways.recommendation_models import AchievementStat
from wallet.pathways.recommendation_models import AchievementStatSkill
from wallet.pathways.recommendation_models import CoEarnedPair

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: An award counts toward the statistics in this acceptance state.
COUNTED = "accepted"


def _insert(session: Session, table: t.Any) -> t.Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _other_iris(session: Session, user_id: int, award_id: int | None) -> set[str]:
    """Return the distinct achievement IRIs of the earner's other accepted awards."""
    query = select(Award.achievement_iri).where(
        Award.user_id == user_id, Award.acceptance == COUNTED, Award.achievement_iri != ""
    )
    if award_id is not None:
        query = query.where(Award.id != award_id)
    return set(session.scalars(query.distinct()))


def award_held(
    session: Session,
    user_id: int,
    iri: str,
    *,
    award_id: int | None,
    title: str = "",
    skills: t.Iterable[tuple[str, str]] = (),
) -> None:
    """Count an award that became accepted: its achievement, its pairs, its skills."""
    if not iri:
        return
    others = _other_iris(session, user_id, award_id)
    wanted = {normalized: name for normalized, name in skills if normalized}
    if wanted:
        statement = _insert(session, AchievementStatSkill).values(
            [{"achievement_iri": iri, "skill": key, "name": name} for key, name in wanted.items()]
        )
        session.execute(statement.on_conflict_do_nothing())
    if iri in others:
        return
    statement = _insert(session, AchievementStat).values(
        achievement_iri=iri, title=title[:300], holders=1
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["achievement_iri"],
            set_={"holders": AchievementStat.holders + 1, "title": statement.excluded.title},
        )
    )
    if not others:
        return
    rows = [{"iri": iri, "other_iri": other, "earners": 1} for other in sorted(others)]
    rows += [{"iri": other, "other_iri": iri, "earners": 1} for other in sorted(others)]
    pairs = _insert(session, CoEarnedPair).values(rows)
    session.execute(
        pairs.on_conflict_do_update(
            index_elements=["iri", "other_iri"], set_={"earners": CoEarnedPair.earners + 1}
        )
    )


def award_released(session: Session, user_id: int, iri: str, *, award_id: int) -> None:
    """Uncount an accepted award being declined or deleted (unless another copy stays)."""
    if not iri:
        return
    others = _other_iris(session, user_id, award_id)
    if iri in others:
        return
    session.execute(
        update(AchievementStat)
        .where(AchievementStat.achievement_iri == iri, AchievementStat.holders > 0)
        .values(holders=AchievementStat.holders - 1)
    )
    if others:
        # Both directions, each looked up by the primary key.
        pairs = ((CoEarnedPair.iri == iri) & CoEarnedPair.other_iri.in_(others)) | (
            (CoEarnedPair.other_iri == iri) & CoEarnedPair.iri.in_(others)
        )
        session.execute(
            update(CoEarnedPair)
            .where(pairs, CoEarnedPair.earners > 0)
            .values(earners=CoEarnedPair.earners - 1)
        )
        session.execute(delete(CoEarnedPair).where(pairs, CoEarnedPair.earners <= 0))


def earner_removed(session: Session, user_id: int) -> None:
    """Uncount everything an earner holds (their account is being deleted)."""
    held = _other_iris(session, user_id, None)
    if not held:
        return
    session.execute(
        update(AchievementStat)
        .where(AchievementStat.achievement_iri.in_(held), AchievementStat.holders > 0)
        .values(holders=AchievementStat.holders - 1)
    )
    if len(held) > 1:
        pairs = CoEarnedPair.iri.in_(held) & CoEarnedPair.other_iri.in_(held)
        session.execute(
            update(CoEarnedPair)
            .where(pairs, CoEarnedPair.earners > 0)
            .values(earners=CoEarnedPair.earners - 1)
        )
        session.execute(delete(CoEarnedPair).where(pairs, CoEarnedPair.earners <= 0))


def rebuild(session: Session) -> None:
    """Recompute every statistic from the awards held now (the caller commits)."""
    session.execute(delete(CoEarnedPair))
    session.execute(delete(AchievementStat))
    session.execute(delete(AchievementStatSkill))
    session.execute(
        text(
            "INSERT INTO achievement_stats (achievement_iri, title, holders) "
            "SELECT achievement_iri, MAX(achievement_name), COUNT(DISTINCT user_id) FROM awards "
            "WHERE acceptance = 'accepted' AND achievement_iri <> '' GROUP BY achievement_iri"
        )
    )
    session.execute(
        text(
            # Distinct (earner, achievement) pairs of accepted awards, joined per earner.
            "WITH held AS (SELECT DISTINCT user_id, achievement_iri FROM awards "
            "WHERE acceptance = 'accepted' AND achievement_iri <> '') "
            "INSERT INTO coearned_pairs (iri, other_iri, earners) "
            "SELECT a.achievement_iri, b.achievement_iri, COUNT(*) FROM held a "
            "JOIN held b ON a.user_id = b.user_id AND a.achievement_iri <> b.achievement_iri "
            "GROUP BY a.achievement_iri, b.achievement_iri"
        )
    )
    session.execute(
        text(
            "INSERT INTO achievement_stat_skills (achievement_iri, skill, name) "
            "SELECT a.achievement_iri, s.normalized, MAX(s.name) FROM award_skills s "
            "JOIN awards a ON a.id = s.award_id "
            "WHERE a.acceptance = 'accepted' AND a.achievement_iri <> '' AND s.normalized <> '' "
            "GROUP BY a.achievement_iri, s.normalized"
        )
    )
