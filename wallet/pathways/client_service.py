"""Use cases of pathways for an issuer's API client: a whole pathway at once. Each owns its
transaction and raises ``wallet.errors``.

The client's issuer was checked from its token; every lookup is limited to that issuer ("not
found" otherwise). A step may name any issuer's achievement on the platform. The same rules as on
the issuer pages hold (``rules.problems``), refusing a draft whole.
"""

from __future__ import annotations

import dataclasses
import typing as t

from flask_babel import gettext as _
from sqlalchemy import select

from wallet import errors
from wallet.db import utcnow
from wallet.issuers.models import Achievement
from wallet.issuers.service import audit
from wallet.issuers.service import issuer_for_client
from wallet.pathways import rules
from wallet.pathways.models import Pathway
from wallet.pathways.models import PathwayGroup
from wallet.pathways.models import PathwayStep
from wallet.pathways.service import NAME_MAX
from wallet.pathways.service import TEXT_MAX
from wallet.pathways.service import editable
from wallet.pathways.service import group_fields
from wallet.pathways.service import invalid
from wallet.pathways.service import outside_step
from wallet.pathways.service import pathway_of
from wallet.pathways.service import platform_step

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.issuers.models import Issuer


@dataclasses.dataclass(frozen=True)
class StepDraft:
    """A step as the API names it: a platform achievement's public id, or an outside IRI."""

    achievement_id: str | None = None
    iri: str = ""
    title: str = ""


@dataclasses.dataclass(frozen=True)
class GroupDraft:
    """A group as the API sends it."""

    title: str
    kind: str = "level"
    rule: str = "all"
    required: int | None = None
    steps: tuple[StepDraft, ...] = ()


@dataclasses.dataclass(frozen=True)
class Draft:
    """A whole pathway as the API sends it (an update replaces every group)."""

    name: str
    description: str = ""
    #: Public id of one of the issuer's own achievements, awarded on completion.
    completion_achievement_id: str | None = None
    groups: tuple[GroupDraft, ...] = ()
    publish: bool = False


def pathway_for_client(session: Session, issuer_id: int, public_id: str) -> Pathway:
    """Return one of the issuer's pathways (archived ones too), for its API client."""
    return pathway_of(session, issuer_id, public_id)


def create_for_client(
    session: Session, issuer_id: int, draft: Draft, *, base_url: str, client: str
) -> Pathway:
    """Create a pathway with all its groups, published at once if the draft says so."""
    issuer = issuer_for_client(session, issuer_id)
    pathway = Pathway(issuer_id=issuer.id)
    _apply(session, issuer, pathway, draft, base_url)
    session.add(pathway)
    session.flush()
    audit(session, issuer, None, "pathway.created", pathway=pathway.public_id, client=client)
    session.commit()
    return pathway


def replace_for_client(
    session: Session, issuer_id: int, public_id: str, draft: Draft, *, base_url: str, client: str
) -> Pathway:
    """Replace a pathway's name, description, completion achievement and every group."""
    issuer = issuer_for_client(session, issuer_id)
    pathway = pathway_of(session, issuer.id, public_id)
    editable(pathway)
    pathway.groups.clear()
    session.flush()  # the old steps go before the new ones take their (group, IRI) places
    _apply(session, issuer, pathway, draft, base_url)
    audit(session, issuer, None, "pathway.updated", pathway=public_id, client=client)
    session.commit()
    return pathway


def archive_for_client(session: Session, issuer_id: int, public_id: str, *, client: str) -> Pathway:
    """Archive a pathway, for the issuer's API client."""
    issuer = issuer_for_client(session, issuer_id)
    pathway = pathway_of(session, issuer.id, public_id)
    if pathway.archived_at is None:
        pathway.archived_at = utcnow()
        audit(session, issuer, None, "pathway.archived", pathway=public_id, client=client)
    session.commit()
    return pathway


def _apply(session: Session, issuer: Issuer, pathway: Pathway, draft: Draft, base_url: str) -> None:
    """Give ``pathway`` what ``draft`` describes, refusing it whole if anything is wrong."""
    specs = _resolve(session, draft, base_url)
    found = rules.problems(specs, complete=draft.publish or pathway.published_at is not None)
    if found:
        raise invalid(found)
    completion = None
    if draft.completion_achievement_id is not None:
        completion = session.scalar(
            select(Achievement.id).where(
                Achievement.public_id == draft.completion_achievement_id,
                Achievement.issuer_id == issuer.id,
                Achievement.archived_at.is_(None),
            )
        )
        if completion is None:
            raise errors.Invalid(
                _("Choose one of your own achievements to award on completion."),
                field="completion_achievement_id",
            )
    pathway.name = draft.name.strip()[:NAME_MAX]
    pathway.description = draft.description.strip()[:TEXT_MAX]
    pathway.completion_achievement_id = completion
    pathway.groups = [
        PathwayGroup(
            position=position,
            steps=[
                PathwayStep(
                    position=number,
                    achievement_iri=step.iri,
                    achievement_id=step.achievement_id,
                    title=step.title,
                )
                for number, step in enumerate(spec.steps)
            ],
            **group_fields(spec),
        )
        for position, spec in enumerate(specs)
    ]
    if draft.publish and pathway.published_at is None:
        pathway.published_at = utcnow()


def _resolve(session: Session, draft: Draft, base_url: str) -> list[rules.GroupSpec]:
    """Turn the draft's steps into IRIs and titles, reading platform achievements in one query."""
    wanted = {s.achievement_id for g in draft.groups for s in g.steps if s.achievement_id}
    found = {
        a.public_id: a
        for a in session.scalars(
            select(Achievement).where(
                Achievement.public_id.in_(wanted), Achievement.archived_at.is_(None)
            )
        )
    }
    specs = []
    for group in draft.groups:
        steps = []
        for step in group.steps:
            if step.achievement_id is not None:
                achievement = found.get(step.achievement_id)
                if achievement is None:
                    raise errors.Invalid(
                        _(
                            "No achievement on this platform has the id %(id)s.",
                            id=step.achievement_id,
                        ),
                        field="groups",
                    )
                platform = platform_step(achievement, base_url)
                if step.title.strip():
                    platform = dataclasses.replace(
                        platform, title=step.title.strip()[: rules.TITLE_MAX]
                    )
                steps.append(platform)
            else:
                steps.append(outside_step(step.iri, step.title))
        specs.append(
            rules.GroupSpec(
                title=group.title,
                kind=group.kind,
                rule=group.rule,
                required=group.required,
                steps=tuple(steps),
            )
        )
    return specs
