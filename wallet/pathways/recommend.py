"""Rank what an earner could earn next, each with its reason (pure: no Flask, no session).

The facts come in as plain values (``Facts``): what the earner holds, what they turned down,
pathways through what they hold, achievements that share a skill with theirs, achievements often
earned together with theirs, and their issuers' own "recommended next" links. Every kind of fact
adds to a candidate's score; the strongest one gives the reason the earner reads.

Rules that hold whatever the facts say: nothing the earner holds, dismissed, or held and let
expire is recommended, and a co-earned pair counts only when at least ``K_ANONYMITY`` earners
support it, so no recommendation reveals what one other person holds.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t

from wallet.pathways.progress import PathwayShape
from wallet.pathways.progress import progress

#: Fewest distinct earners behind a co-earned pair (or an achievement known only from holders)
#: before the engine may use it.
K_ANONYMITY = 5

#: Reason kinds, strongest first when two facts tie.
PATHWAY_LEVEL = "pathway_level"
PATHWAY_NEXT = "pathway_next"
ISSUER_NEXT = "issuer_next"
SKILL_NEXT_LEVEL = "skill_next_level"
SKILL_SHARED = "skill_shared"
CO_EARNED = "co_earned"

#: Weight of each kind of fact in the score.
WEIGHTS = {
    PATHWAY_LEVEL: 4.0,
    PATHWAY_NEXT: 3.0,
    ISSUER_NEXT: 2.5,
    SKILL_NEXT_LEVEL: 1.5,
    SKILL_SHARED: 0.5,
    CO_EARNED: 3.0,
}


@dataclasses.dataclass(frozen=True)
class SkillLink:
    """Achievement ``iri`` aligns to ``skill``, which held achievement ``via`` also aligns to."""

    iri: str
    title: str
    skill: str
    via: str
    #: Whether ``iri`` is at the next level of ``via``.
    next_level: bool = False


@dataclasses.dataclass(frozen=True)
class CoEarned:
    """Of ``holders`` earners of ``held``, ``support`` also earned ``iri``."""

    held: str
    held_title: str
    iri: str
    title: str
    support: int
    holders: int


@dataclasses.dataclass(frozen=True)
class NextStep:
    """An issuer's "recommended next" link on an achievement the earner holds."""

    held: str
    issuer: str
    title: str
    #: Where it leads: an achievement's IRI, or any web page.
    url: str


@dataclasses.dataclass(frozen=True)
class Facts:
    """Everything the engine knows about one earner."""

    held: frozenset[str]
    dismissed: frozenset[str] = frozenset()
    #: Achievements the earner held until they expired (or were revoked): not recommended again.
    expired: frozenset[str] = frozenset()
    #: Achievements waiting for the earner's answer: offered already, so not recommended.
    pending: frozenset[str] = frozenset()
    pathways: tuple[PathwayShape, ...] = ()
    skills: tuple[SkillLink, ...] = ()
    coearned: tuple[CoEarned, ...] = ()
    next_steps: tuple[NextStep, ...] = ()


@dataclasses.dataclass(frozen=True)
class Recommendation:
    """One thing to earn next, why, and how strongly."""

    #: The achievement's IRI, or the web page of an issuer's next-step link.
    target: str
    title: str
    #: One of the reason kinds; ``params`` fill its sentence (see ``reason_text`` in the views).
    reason: str
    params: tuple[tuple[str, str], ...]
    score: float

    @property
    def reason_params(self) -> dict[str, str]:
        """Return the reason's parameters as a dict."""
        return dict(self.params)


@dataclasses.dataclass
class _Candidate:
    title: str
    score: float = 0.0
    best: tuple[float, int, str, tuple[tuple[str, str], ...]] | None = None

    def add(self, kind: str, strength: float, params: dict[str, str]) -> None:
        gain = WEIGHTS[kind] * strength
        self.score += gain
        rank = (gain, -list(WEIGHTS).index(kind), kind, tuple(sorted(params.items())))
        if self.best is None or rank[:2] > self.best[:2]:
            self.best = rank


def recommend(facts: Facts, k: int = 5) -> list[Recommendation]:
    """Return at most ``k`` recommendations, best first, never one the rules exclude."""
    excluded = facts.held | facts.dismissed | facts.expired | facts.pending
    found: dict[str, _Candidate] = {}

    def candidate(target: str, title: str) -> _Candidate | None:
        if not target or target in excluded:
            return None
        if target not in found:
            found[target] = _Candidate(title=title)
        elif not found[target].title:
            found[target].title = title
        return found[target]

    _pathway_facts(facts, candidate)
    for step in facts.next_steps:
        if (entry := candidate(step.url, step.title)) is not None:
            entry.add(ISSUER_NEXT, 1.0, {"issuer": step.issuer})
    _skill_facts(facts, candidate)
    for pair in facts.coearned:
        if pair.support < K_ANONYMITY or pair.held not in facts.held or pair.holders <= 0:
            continue
        if (entry := candidate(pair.iri, pair.title)) is not None:
            entry.add(CO_EARNED, min(1.0, pair.support / pair.holders), {"held": pair.held_title})
    ranked = sorted(
        ((target, entry) for target, entry in found.items() if entry.best is not None),
        key=lambda item: (-item[1].score, item[1].title, item[0]),
    )
    results = []
    for target, entry in ranked[: max(0, k)]:
        assert entry.best is not None
        _gain, _order, kind, params = entry.best
        results.append(
            Recommendation(
                target=target,
                title=entry.title or target,
                reason=kind,
                params=params,
                score=round(entry.score, 4),
            )
        )
    return results


def _pathway_facts(facts: Facts, candidate: t.Callable[[str, str], _Candidate | None]) -> None:
    """Score the steps left in the first unfinished level of each pathway the earner is on."""
    for shape in facts.pathways:
        done = progress(shape, facts.held)
        current = done.current
        if not done.started or current is None:
            continue
        level = done.groups.index(current) + 1
        missing = current.group.needed - len(current.done)
        for step in current.left:
            entry = candidate(step.iri, step.title)
            if entry is None:
                continue
            if missing == 1:
                entry.add(PATHWAY_LEVEL, 1.0, {"pathway": shape.name, "level": str(level)})
            else:
                share = len(current.done) / max(1, current.group.needed)
                entry.add(PATHWAY_NEXT, 0.5 + share / 2, {"pathway": shape.name})


def _skill_facts(facts: Facts, candidate: t.Callable[[str, str], _Candidate | None]) -> None:
    """Score achievements sharing a skill with what the earner holds (more for the next level)."""
    for link in facts.skills:
        if link.via not in facts.held:
            continue
        entry = candidate(link.iri, link.title)
        if entry is None:
            continue
        kind = SKILL_NEXT_LEVEL if link.next_level else SKILL_SHARED
        entry.add(kind, 1.0, {"skill": link.skill})


_WORD_LEVELS = {
    "beginner": 1,
    "foundation": 1,
    "foundational": 1,
    "introductory": 1,
    "basic": 1,
    "intermediate": 2,
    "associate": 2,
    "advanced": 3,
    "professional": 3,
    "expert": 4,
    "master": 5,
}


def level_rank(level: str) -> int | None:
    """Return a level's place as a number ("2", "Level 2", "Intermediate" -> 2; None: unknown)."""
    text = level.strip().casefold()
    if not text:
        return None
    digits = re.search(r"\d+", text)
    if digits:
        return int(digits.group())
    for word, rank in _WORD_LEVELS.items():
        if word in text:
            return rank
    return None


def is_next_level(held_level: str, level: str) -> bool:
    """Return whether ``level`` comes right after ``held_level``."""
    held, other = level_rank(held_level), level_rank(level)
    return held is not None and other is not None and other == held + 1
