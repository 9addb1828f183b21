"""How far an earner is along a pathway, from the achievement IRIs they hold (pure: no session).

Both the progress shown on the backpack and the recommendation engine read pathways through these
shapes, so a pathway is loaded once and reasoned about without the database.
"""

from __future__ import annotations

import dataclasses
import typing as t

if t.TYPE_CHECKING:
    from wallet.pathways.models import Pathway


@dataclasses.dataclass(frozen=True)
class StepShape:
    """An achievement on a pathway."""

    iri: str
    title: str


@dataclasses.dataclass(frozen=True)
class GroupShape:
    """A level or milestone: its steps and how many of them complete it."""

    title: str
    kind: str
    rule: str
    required: int | None
    steps: tuple[StepShape, ...]

    @property
    def needed(self) -> int:
        """Return how many steps complete the group ("any 3 of 5" needs 3)."""
        if self.rule == "all":
            return len(self.steps)
        return max(0, min(self.required or 1, len(self.steps)))


@dataclasses.dataclass(frozen=True)
class PathwayShape:
    """A pathway as plain values."""

    public_id: str
    name: str
    issuer_id: int
    groups: tuple[GroupShape, ...]
    completion_iri: str = ""

    @property
    def iris(self) -> frozenset[str]:
        """Return every step's achievement IRI."""
        return frozenset(step.iri for group in self.groups for step in group.steps)


@dataclasses.dataclass(frozen=True)
class GroupProgress:
    """One group's steps split into done and left."""

    group: GroupShape
    done: tuple[StepShape, ...]
    left: tuple[StepShape, ...]

    @property
    def counted(self) -> int:
        """Return the done steps that count toward the group (no more than it needs)."""
        return min(len(self.done), self.group.needed)

    @property
    def complete(self) -> bool:
        """Return whether the group's rule is met."""
        return len(self.done) >= self.group.needed


@dataclasses.dataclass(frozen=True)
class Progress:
    """An earner's progress along one pathway: "3 of 5 toward Cloud Architect"."""

    pathway: PathwayShape
    groups: tuple[GroupProgress, ...]

    @property
    def done(self) -> int:
        """Return the steps done that count, over all groups."""
        return sum(group.counted for group in self.groups)

    @property
    def needed(self) -> int:
        """Return the steps the whole pathway needs."""
        return sum(group.group.needed for group in self.groups)

    @property
    def complete(self) -> bool:
        """Return whether every group is complete."""
        return all(group.complete for group in self.groups)

    @property
    def started(self) -> bool:
        """Return whether the earner holds any step."""
        return any(group.done for group in self.groups)

    @property
    def current(self) -> GroupProgress | None:
        """Return the first group not yet complete (``None`` when all are)."""
        return next((group for group in self.groups if not group.complete), None)


def progress(shape: PathwayShape, held: t.Collection[str]) -> Progress:
    """Split each group of ``shape`` into the steps whose IRI is in ``held`` and the rest."""
    return Progress(
        pathway=shape,
        groups=tuple(
            GroupProgress(
                group=group,
                done=tuple(step for step in group.steps if step.iri in held),
                left=tuple(step for step in group.steps if step.iri not in held),
            )
            for group in shape.groups
        ),
    )


def shape_of(pathway: Pathway, completion_iri: str = "") -> PathwayShape:
    """Return the plain shape of a loaded pathway (its groups and steps loaded)."""
    return PathwayShape(
        public_id=pathway.public_id,
        name=pathway.name,
        issuer_id=pathway.issuer_id,
        completion_iri=completion_iri,
        groups=tuple(
            GroupShape(
                title=group.title,
                kind=group.kind,
                rule=group.rule,
                required=group.required,
                steps=tuple(StepShape(iri=s.achievement_iri, title=s.title) for s in group.steps),
            )
            for group in pathway.groups
        ),
    )
