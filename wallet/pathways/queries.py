"""Named reads of pathways: the issuer's list, the public page, and earners' progress.

Earners' progress costs the same few statements however many awards and pathways there are: the
earner's held IRIs, the published pathways naming any of them, their groups and their steps.
"""

from __future__ import annotations

import dataclasses
import typing as t

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wallet import errors
from wallet.backpack.models import Award
from wallet.issuers.models import Achievement
from wallet.issuers.models import Issuer
from wallet.issuers.models import Membership
from wallet.pathways import progress as progress_of
from wallet.pathways.models import Pathway
from wallet.pathways.models import PathwayGroup
from wallet.pathways.models import PathwayStep

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: Most achievements a search of the platform lists.
SEARCH_LIMIT = 20
#: Most pathways one page of the API lists.
MAX_PAGE = 100


def _loaded() -> t.Any:
    return selectinload(Pathway.groups).selectinload(PathwayGroup.steps)


def pathways_of(session: Session, issuer_id: int) -> list[Pathway]:
    """Return the issuer's pathways, archived ones last, then by name."""
    return list(
        session.scalars(
            select(Pathway)
            .options(_loaded())
            .where(Pathway.issuer_id == issuer_id)
            .order_by(Pathway.archived_at.is_not(None), Pathway.name, Pathway.id)
        )
    )


def page_for_client(
    session: Session, issuer_id: int, *, after: int, limit: int
) -> tuple[list[Pathway], int | None]:
    """Return the issuer's pathways with row ids above ``after``, oldest first, and the cursor
    of the next page (None on the last)."""
    limit = max(1, min(limit, MAX_PAGE))
    rows = list(
        session.scalars(
            select(Pathway)
            .options(_loaded())
            .where(Pathway.issuer_id == issuer_id, Pathway.id > after)
            .order_by(Pathway.id)
            .limit(limit + 1)
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more and rows else None)


def achievements_matching(session: Session, text: str) -> list[tuple[Achievement, str]]:
    """Return achievements on the platform (any issuer's, not archived) whose name or issuer's
    name holds ``text``, with their issuer's name."""
    words = text.strip()[:100]
    if not words:
        return []
    pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = session.execute(
        select(Achievement, Issuer.name)
        .join(Issuer, Achievement.issuer_id == Issuer.id)
        .where(
            Achievement.archived_at.is_(None),
            or_(
                func.lower(Achievement.name).like(pattern.lower(), escape="\\"),
                func.lower(Issuer.name).like(pattern.lower(), escape="\\"),
            ),
        )
        .order_by(Achievement.name, Achievement.id)
        .limit(SEARCH_LIMIT)
    )
    return [(achievement, name) for achievement, name in rows]


@dataclasses.dataclass(frozen=True)
class PublicPathway:
    """Everything the public page of a pathway shows."""

    pathway: Pathway
    issuer: Issuer
    #: Platform achievements of the steps (and the completion achievement), by row id.
    achievements: dict[int, Achievement]
    #: Issuer names of those achievements, by achievement row id.
    issuer_names: dict[int, str]
    completion: Achievement | None

    @property
    def skills(self) -> list[str]:
        """Return the skills the pathway's platform achievements align to, in pathway order."""
        seen: dict[str, str] = {}
        for group in self.pathway.groups:
            for step in group.steps:
                achievement = self.achievements.get(step.achievement_id or 0)
                for skill in achievement.alignments if achievement else []:
                    name = str(skill.get("name") or "").strip()
                    seen.setdefault(name.casefold(), name)
        return [name for name in seen.values() if name]


def public_pathway(session: Session, public_id: str, viewer_id: int | None) -> PublicPathway:
    """Return a published pathway (a member of its issuer also sees a draft or archived one)."""
    pathway = session.scalar(
        select(Pathway).options(_loaded()).where(Pathway.public_id == public_id)
    )
    gone = errors.NotFound(_("This pathway does not exist."))
    if pathway is None:
        raise gone
    if pathway.published_at is None or pathway.archived_at is not None:
        member = viewer_id is not None and session.scalar(
            select(Membership.id).where(
                Membership.issuer_id == pathway.issuer_id, Membership.user_id == viewer_id
            )
        )
        if not member:
            raise gone
    ids = {s.achievement_id for g in pathway.groups for s in g.steps if s.achievement_id}
    if pathway.completion_achievement_id is not None:
        ids.add(pathway.completion_achievement_id)
    rows = session.execute(
        select(Achievement, Issuer.name)
        .join(Issuer, Achievement.issuer_id == Issuer.id)
        .where(Achievement.id.in_(ids))
    ).all()
    achievements = {a.id: a for a, _name in rows}
    return PublicPathway(
        pathway=pathway,
        issuer=session.get_one(Issuer, pathway.issuer_id),
        achievements=achievements,
        issuer_names={a.id: name for a, name in rows},
        completion=achievements.get(pathway.completion_achievement_id or 0),
    )


def held_iris(session: Session, user_id: int) -> set[str]:
    """Return the achievement IRIs of the earner's accepted, valid awards (the steps they hold)."""
    return set(
        session.scalars(
            select(Award.achievement_iri)
            .where(
                Award.user_id == user_id,
                Award.acceptance == "accepted",
                Award.verification_status == "valid",
                Award.achievement_iri != "",
            )
            .distinct()
        )
    )


@dataclasses.dataclass(frozen=True)
class EarnerPathway:
    """A published pathway an earner is on, and how far along it they are."""

    public_id: str
    name: str
    issuer_name: str
    progress: progress_of.Progress


def pathways_holding(session: Session, iris: t.Collection[str]) -> list[tuple[Pathway, str]]:
    """Return the published pathways with a step among ``iris``, with their issuer's name."""
    if not iris:
        return []
    named = (
        select(PathwayGroup.pathway_id)
        .join(PathwayStep, PathwayStep.group_id == PathwayGroup.id)
        .where(PathwayStep.achievement_iri.in_(list(iris)))
    )
    rows = session.execute(
        select(Pathway, Issuer.name)
        .join(Issuer, Pathway.issuer_id == Issuer.id)
        .options(_loaded())
        .where(
            Pathway.id.in_(named),
            Pathway.published_at.is_not(None),
            Pathway.archived_at.is_(None),
        )
        .order_by(Pathway.name, Pathway.id)
    )
    return [(pathway, name) for pathway, name in rows]


def earner_pathways(
    session: Session, user_id: int, *, iri: str | None = None
) -> list[EarnerPathway]:
    """Return the published pathways the earner is on (those naming ``iri`` only, if given),
    least finished last."""
    held = held_iris(session, user_id)
    wanted = held if iri is None else ({iri} if iri else set())
    found = [
        EarnerPathway(
            public_id=pathway.public_id,
            name=pathway.name,
            issuer_name=issuer_name,
            progress=progress_of.progress(progress_of.shape_of(pathway), held),
        )
        for pathway, issuer_name in pathways_holding(session, wanted)
    ]
    return sorted(
        found,
        key=lambda item: (
            item.progress.complete,
            -item.progress.done / max(1, item.progress.needed),
        ),
    )
