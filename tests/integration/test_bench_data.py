"""``wallet bench-data`` plants what the recommendation benchmark looks for."""

from __future__ import annotations

import random
import typing as t
from collections import defaultdict

from sqlalchemy import func
from sqlalchemy import select

from wallet import bench_data
from wallet.backpack.models import Award
from wallet.backpack.models import AwardSkill
from wallet.issuers.models import Achievement
from wallet.pathways.models import Pathway
from wallet.pathways.models import PathwayGroup
from wallet.pathways.models import PathwayStep
from wallet.pathways.recommendation_models import AchievementStat
from wallet.pathways.recommendation_models import CoEarnedPair

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

BASE = "http://localhost"
SIZE = bench_data.Size(earners=200, issuers=4, achievements=80, awards=1_500, events=50, seed=7)


def test_a_small_population_has_pathways_earned_in_order(db: Session) -> None:
    loaded = bench_data.generate(db, SIZE, base_url=BASE)

    assert (loaded.earners, loaded.issuers, loaded.achievements) == (200, 4, 80)
    assert loaded.awards == 1_500
    assert db.scalar(select(func.count()).select_from(Award)) == 1_500
    assert loaded.pathways == db.scalar(select(func.count()).select_from(Pathway)) == 8
    # Every award names its achievement by IRI and carries its skills.
    iris = {f"{BASE}/ob/v2/badges/{p}" for p in db.scalars(select(Achievement.public_id))}
    assert set(db.scalars(select(Award.achievement_iri).distinct())) <= iris
    assert db.scalar(select(func.count()).select_from(AwardSkill)) >= 1_500

    # Levels of each pathway: the step's level is the group's, and its skills are shared.
    level_of: dict[str, int] = {}
    track_of: dict[str, int] = {}
    for pathway_id, position, step_iri in db.execute(
        select(PathwayGroup.pathway_id, PathwayGroup.position, PathwayStep.achievement_iri).join(
            PathwayStep, PathwayStep.group_id == PathwayGroup.id
        )
    ):
        level_of[step_iri] = position + 1
        track_of[step_iri] = pathway_id
    assert set(level_of.values()) == {1, 2, 3, 4}

    # Earners go up a track's levels in order far more often than not.
    journeys: dict[tuple[int, int], list[int]] = defaultdict(list)
    for user_id, step_iri in db.execute(
        select(Award.user_id, Award.achievement_iri).order_by(Award.user_id, Award.issued_at)
    ):
        if step_iri in level_of:
            journeys[(user_id, track_of[step_iri])].append(level_of[step_iri])
    steps = [
        (a, b) for levels in journeys.values() for a, b in zip(levels, levels[1:], strict=False)
    ]
    in_order = sum(b >= a for a, b in steps)
    assert in_order / len(steps) > 0.95

    # The last step of a track points to another issuer's track: cross-issuer hops.
    hops = [
        (achievement.issuer_id, step["url"])
        for achievement in db.scalars(select(Achievement))
        for step in achievement.next_steps
    ]
    assert len(hops) == loaded.pathways
    issuer_of = {
        f"{BASE}/ob/v2/badges/{a.public_id}": a.issuer_id for a in db.scalars(select(Achievement))
    }
    assert all(issuer_of[url] != issuer for issuer, url in hops)

    # The co-earned statistics were rebuilt, with pairs supported by k earners or more.
    assert db.scalar(select(func.sum(AchievementStat.holders))) > 0
    assert db.scalar(select(func.max(CoEarnedPair.earners))) >= 5


def test_the_same_seed_plans_the_same_population() -> None:
    first = bench_data.plan(SIZE, random.Random(SIZE.seed))
    second = bench_data.plan(SIZE, random.Random(SIZE.seed))
    assert first == second
    journeys = [bench_data.journey(first, 10, random.Random(n)) for n in range(3)]
    again = [bench_data.journey(second, 10, random.Random(n)) for n in range(3)]
    assert journeys == again
