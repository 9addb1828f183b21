"""Reads behind an earner's recommendations: a fixed number of statements, whatever they hold.

``facts_for`` gathers what ``recommend.recommend`` needs in six statements: the earner's awards,
their dismissals, pathways through what they hold, their platform achievements (levels and the
issuers' next-step links), skill neighbours, and co-earned pairs (top few per held achievement).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t

from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import select
from sqlalchemy import union_all
from sqlalchemy.orm import aliased
from sqlalchemy.orm import joinedload

from wallet.backpack.models import Award
from wallet.backpack.service import normalize_skill
from wallet.db import utcnow
from wallet.issuers.models import Achievement
from wallet.issuers.models import Issuer
from wallet.pathways import recommend
from wallet.pathways.models import Pathway
from wallet.pathways.models import PathwayGroup
from wallet.pathways.models import PathwayStep
from wallet.pathways.progress import GroupShape
from wallet.pathways.progress import PathwayShape
from wallet.pathways.progress import StepShape
from wallet.pathways.recommendation_models import AchievementStat
from wallet.pathways.recommendation_models import AchievementStatSkill
from wallet.pathways.recommendation_models import CoEarnedPair
from wallet.pathways.recommendation_models import RecommendationDismissal

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: Co-earned partners read per held achievement (the strongest ones).
PAIRS_PER_HELD = 10
#: The earner's most recent achievements that co-earned pairs and skill neighbours start from:
#: what they earned lately says most about what comes next, and it bounds the work for an
#: earner holding hundreds.
RECENT = 10
#: Skill neighbours read per skill the earner holds (the most held first).
SKILLS_PER_SKILL = 5


def badge_prefix(base_url: str) -> str:
    """Return how this wallet's achievement IRIs start (``documents.Urls.badge_class``)."""
    return f"{base_url.rstrip('/')}/ob/v2/badges/"


def platform_id(iri: str, base_url: str) -> str | None:
    """Return the public id of our achievement at ``iri`` (None: an achievement elsewhere)."""
    prefix = badge_prefix(base_url)
    if iri.startswith(prefix):
        public_id = iri[len(prefix) :]
        if len(public_id) == 32 and public_id.isalnum():
            return public_id
    return None


@dataclasses.dataclass(frozen=True)
class Holdings:
    """What an earner's awards say, by achievement IRI."""

    held: frozenset[str]
    expired: frozenset[str]
    pending: frozenset[str]
    #: Held achievements, most recently issued first.
    recent: tuple[str, ...] = ()


def holdings(session: Session, user_id: int, now: dt.datetime | None = None) -> Holdings:
    """Split the earner's achievement IRIs into held, expired (or revoked) and pending."""
    moment = now or utcnow()
    held: set[str] = set()
    expired: set[str] = set()
    pending: set[str] = set()
    recent: list[str] = []
    rows = session.execute(
        select(Award.achievement_iri, Award.acceptance, Award.expires_at, Award.revoked_at)
        .where(Award.user_id == user_id, Award.achievement_iri != "")
        .order_by(Award.issued_at.desc(), Award.id.desc())
    )
    for iri, acceptance, expires_at, revoked_at in rows:
        if acceptance == "pending":
            pending.add(iri)
        elif acceptance == "accepted":
            gone = revoked_at is not None or (expires_at is not None and expires_at <= moment)
            if not gone and iri not in held:
                recent.append(iri)
            (expired if gone else held).add(iri)
    return Holdings(
        held=frozenset(held),
        expired=frozenset(expired - held),
        pending=frozenset(pending - held),
        recent=tuple(recent),
    )


def dismissed(session: Session, user_id: int) -> frozenset[str]:
    """Return the targets the earner said "Not interested" to."""
    return frozenset(
        session.scalars(
            select(RecommendationDismissal.target).where(RecommendationDismissal.user_id == user_id)
        )
    )


def pathways_through(session: Session, held: t.Collection[str]) -> tuple[PathwayShape, ...]:
    """Return the shapes of published pathways with a step among ``held``."""
    if not held:
        return ()
    touching = (
        select(PathwayGroup.pathway_id)
        .join(PathwayStep, PathwayStep.group_id == PathwayGroup.id)
        .where(PathwayStep.achievement_iri.in_(held))
    )
    rows: t.Iterable[t.Any] = session.execute(
        select(
            Pathway.id,
            Pathway.public_id,
            Pathway.name,
            Pathway.issuer_id,
            PathwayGroup.id,
            PathwayGroup.title,
            PathwayGroup.kind,
            PathwayGroup.rule,
            PathwayGroup.required,
            PathwayStep.achievement_iri,
            PathwayStep.title,
        )
        .join(PathwayGroup, PathwayGroup.pathway_id == Pathway.id)
        .join(PathwayStep, PathwayStep.group_id == PathwayGroup.id)
        .where(
            Pathway.id.in_(touching),
            Pathway.published_at.is_not(None),
            Pathway.archived_at.is_(None),
        )
        .order_by(Pathway.id, PathwayGroup.position, PathwayGroup.id, PathwayStep.position)
    )
    pathways: dict[int, tuple[tuple[str, str, int], dict[int, list[t.Any]]]] = {}
    for pid, public_id, name, issuer_id, gid, title, kind, rule, required, iri, step in rows:
        entry = pathways.setdefault(pid, ((public_id, name, issuer_id), {}))
        group = entry[1].setdefault(gid, [title, kind, rule, required, []])
        group[4].append(StepShape(iri=iri, title=step))
    return tuple(
        PathwayShape(
            public_id=head[0],
            name=head[1],
            issuer_id=head[2],
            groups=tuple(
                GroupShape(title=g[0], kind=g[1], rule=g[2], required=g[3], steps=tuple(g[4]))
                for g in groups.values()
            ),
        )
        for head, groups in pathways.values()
    )


@dataclasses.dataclass(frozen=True)
class HeldAchievement:
    """One of our achievements the earner holds: its level and the issuer's next steps."""

    iri: str
    level: str
    issuer: str
    next_steps: tuple[tuple[str, str], ...]
    #: The skills it aligns to, folded (``backpack.service.normalize_skill``).
    skills: tuple[str, ...] = ()


def held_achievements(
    session: Session, held: t.Collection[str], base_url: str
) -> list[HeldAchievement]:
    """Return the earner's achievements issued on this platform."""
    ids = {platform_id(iri, base_url) for iri in held} - {None}
    if not ids:
        return []
    prefix = badge_prefix(base_url)
    rows = session.execute(
        select(
            Achievement.public_id,
            Achievement.level,
            Achievement.next_steps,
            Achievement.alignments,
            Issuer.name,
        )
        .join(Issuer, Issuer.id == Achievement.issuer_id)
        .where(Achievement.public_id.in_(ids))
    )
    return [
        HeldAchievement(
            iri=prefix + public_id,
            level=level or "",
            issuer=issuer,
            next_steps=tuple(
                (str(step.get("title") or ""), str(step.get("url") or ""))
                for step in (steps or [])
                if isinstance(step, dict)
            ),
            skills=tuple(
                normalize_skill(str(skill.get("name") or skill.get("code") or ""))
                for skill in (alignments or [])
                if isinstance(skill, dict)
            ),
        )
        for public_id, level, steps, alignments, issuer in rows
    ]


def skill_links(
    session: Session,
    held: t.Collection[str],
    levels: t.Mapping[str, int],
    base_url: str,
    *,
    exclude: t.Collection[str] = (),
) -> tuple[recommend.SkillLink, ...]:
    """Return achievements (held by at least k earners, none in ``exclude``) sharing a skill
    with ``held``.

    ``levels`` maps a skill to the highest level the earner holds it at; a neighbour one level
    above is "the next level". Each skill brings its ``SKILLS_PER_SKILL`` most held neighbours.
    """
    if not held:
        return ()
    mine = (
        select(
            AchievementStatSkill.skill.label("skill"),
            func.min(AchievementStatSkill.achievement_iri).label("via"),
        )
        .where(AchievementStatSkill.achievement_iri.in_(held))
        .group_by(AchievementStatSkill.skill)
        .subquery()
    )
    theirs = aliased(AchievementStatSkill)
    ranked = (
        select(
            theirs.achievement_iri.label("iri"),
            AchievementStat.title.label("title"),
            theirs.name.label("name"),
            theirs.skill.label("skill"),
            mine.c.via,
            func.row_number()
            .over(
                partition_by=theirs.skill,
                order_by=(AchievementStat.holders.desc(), theirs.achievement_iri),
            )
            .label("place"),
        )
        .join(theirs, theirs.skill == mine.c.skill)
        .join(AchievementStat, AchievementStat.achievement_iri == theirs.achievement_iri)
        .where(
            theirs.achievement_iri.not_in({*held, *exclude}),
            AchievementStat.holders >= recommend.K_ANONYMITY,
        )
        .subquery()
    )
    prefix = badge_prefix(base_url)
    # Looked up per row (by the unique index), not joined: a handful of rows come out.
    level = (
        select(Achievement.level)
        .where(Achievement.public_id == func.substr(ranked.c.iri, literal(len(prefix) + 1)))
        .scalar_subquery()
    )
    rows: t.Iterable[t.Any] = session.execute(
        select(
            ranked.c.iri,
            ranked.c.title,
            ranked.c.name,
            ranked.c.skill,
            ranked.c.via,
            case((ranked.c.iri.startswith(prefix, autoescape=True), level), else_=None),
        ).where(ranked.c.place <= SKILLS_PER_SKILL)
    )
    links = []
    for iri, title, name, skill, via, level in rows:
        rank = recommend.level_rank(level or "")
        below = levels.get(skill)
        links.append(
            recommend.SkillLink(
                iri=iri,
                title=title,
                skill=name,
                via=via,
                next_level=rank is not None and below is not None and rank == below + 1,
            )
        )
    return tuple(links)


def coearned(session: Session, held: t.Collection[str]) -> tuple[recommend.CoEarned, ...]:
    """Return the strongest co-earned partners of each held achievement (k-anonymous only)."""
    if not held:
        return ()
    # The strongest partners of each held achievement, each read backwards from the index on
    # (iri, earners): a few rows each, however many partners an achievement has.
    parts = [
        select(CoEarnedPair.iri, CoEarnedPair.other_iri, CoEarnedPair.earners)
        .where(CoEarnedPair.iri == iri, CoEarnedPair.earners >= recommend.K_ANONYMITY)
        .order_by(CoEarnedPair.earners.desc())
        .limit(PAIRS_PER_HELD)
        .subquery()
        for iri in sorted(held)
    ]
    ranked = union_all(*(select(part) for part in parts)).subquery()

    def stat(column: t.Any, iri: t.Any) -> t.Any:
        # Looked up per row (by the primary key), not joined: a few hundred rows come out.
        return select(column).where(AchievementStat.achievement_iri == iri).scalar_subquery()

    rows: t.Iterable[t.Any] = session.execute(
        select(
            ranked.c.iri,
            stat(AchievementStat.title, ranked.c.iri),
            ranked.c.other_iri,
            stat(AchievementStat.title, ranked.c.other_iri),
            ranked.c.earners,
            stat(AchievementStat.holders, ranked.c.iri),
        )
    )
    return tuple(
        recommend.CoEarned(
            held=iri,
            held_title=held_title or "",
            iri=other,
            title=title or "",
            support=earners,
            holders=holders or 0,
        )
        for iri, held_title, other, title, earners, holders in rows
    )


def facts_for(session: Session, user_id: int, base_url: str) -> recommend.Facts:
    """Return everything the engine needs about one earner (six statements)."""
    mine = holdings(session, user_id)
    held = mine.held
    ours = held_achievements(session, held, base_url)
    levels: dict[str, int] = {}
    for achievement in ours:
        rank = recommend.level_rank(achievement.level)
        if rank is None:
            continue
        for skill in achievement.skills:
            levels[skill] = max(rank, levels.get(skill, rank))
    return recommend.Facts(
        held=held,
        dismissed=dismissed(session, user_id),
        expired=mine.expired,
        pending=mine.pending,
        pathways=pathways_through(session, held),
        skills=skill_links(session, mine.recent[:RECENT], levels, base_url, exclude=held),
        coearned=coearned(session, mine.recent[:RECENT]),
        next_steps=tuple(
            recommend.NextStep(held=a.iri, issuer=a.issuer, title=title, url=url)
            for a in ours
            for title, url in a.next_steps
            if url.startswith(("https://", "http://"))
        ),
    )


def platform_achievements(
    session: Session, iris: t.Collection[str], base_url: str
) -> dict[str, Achievement]:
    """Return our achievements among ``iris``, by IRI."""
    ids = {platform_id(iri, base_url) for iri in iris} - {None}
    if not ids:
        return {}
    prefix = badge_prefix(base_url)
    return {
        prefix + achievement.public_id: achievement
        for achievement in session.scalars(
            select(Achievement).where(Achievement.public_id.in_(ids))
        )
    }


def dismissals(session: Session, user_id: int) -> list[RecommendationDismissal]:
    """Return the earner's dismissed recommendations, newest first."""
    return list(
        session.scalars(
            select(RecommendationDismissal)
            .where(RecommendationDismissal.user_id == user_id)
            .order_by(RecommendationDismissal.dismissed_at.desc(), RecommendationDismissal.id)
        )
    )


def achievement(session: Session, public_id: str) -> Achievement | None:
    """Return our achievement with ``public_id`` unless archived, its issuer loaded."""
    found = session.scalar(
        select(Achievement)
        .options(joinedload(Achievement.issuer))
        .where(Achievement.public_id == public_id, Achievement.archived_at.is_(None))
    )
    return found
