"""Use cases of defining pathways on the issuer pages. Each owns its transaction.

A member's right is checked with ``issuers.service.require_role`` (``manage_pathways``: owners
and admins); the API's whole-pathway use cases are in ``client_service``. A draft may be
incomplete while the issuer builds it step by step; publishing asks ``rules.problems`` for a
complete pathway, and every later change to a published pathway must keep it complete.
"""

from __future__ import annotations

import typing as t

from flask_babel import gettext as _
from sqlalchemy import select

from wallet import errors
from wallet.db import utcnow
from wallet.issuers import documents
from wallet.issuers.models import Achievement
from wallet.issuers.service import audit
from wallet.issuers.service import require_role
from wallet.pathways import rules
from wallet.pathways.models import Pathway
from wallet.pathways.models import PathwayGroup
from wallet.pathways.models import PathwayStep

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.issuers.models import Issuer

#: Longest name and description of a pathway.
NAME_MAX, TEXT_MAX = 200, 10_000


def invalid(found: list[t.Any]) -> errors.Invalid:
    return errors.Invalid(found[0].render(_))


def pathway_of(session: Session, issuer_id: int, public_id: str) -> Pathway:
    pathway = session.scalar(
        select(Pathway).where(Pathway.public_id == public_id, Pathway.issuer_id == issuer_id)
    )
    if pathway is None:
        raise errors.NotFound(_("This pathway does not exist."))
    return pathway


def _specs(pathway: Pathway) -> list[rules.GroupSpec]:
    return [
        rules.GroupSpec(
            title=group.title,
            kind=group.kind,
            rule=group.rule,
            required=group.required,
            steps=tuple(
                rules.StepSpec(
                    iri=s.achievement_iri, title=s.title, achievement_id=s.achievement_id
                )
                for s in group.steps
            ),
        )
        for group in pathway.groups
    ]


def _check(pathway: Pathway) -> None:
    """Refuse a change that leaves a published pathway incomplete, or any group ill-formed."""
    published = pathway.published_at is not None and pathway.archived_at is None
    found = rules.problems(_specs(pathway), complete=published)
    if found:
        raise invalid(found)


def _completion(session: Session, issuer: Issuer, achievement_id: int | None) -> int | None:
    """Return the id of the issuer's own achievement to award on completion (None: nothing)."""
    if achievement_id is None:
        return None
    achievement = session.get(Achievement, achievement_id)
    if achievement is None or achievement.issuer_id != issuer.id or achievement.archived_at:
        raise errors.Invalid(_("Choose one of your own achievements to award on completion."))
    return achievement.id


def editable(pathway: Pathway) -> None:
    if pathway.archived_at is not None:
        raise errors.Conflict(_("This pathway is archived and can no longer change."))


# --- Members, on the issuer pages -----------------------------------------------------------


def get_pathway(session: Session, user_id: int, issuer_id: int, public_id: str) -> Pathway:
    """Return one of the issuer's pathways, for any of its members."""
    require_role(session, user_id, issuer_id, "view")
    return pathway_of(session, issuer_id, public_id)


def create_pathway(
    session: Session,
    user_id: int,
    issuer_id: int,
    *,
    name: str,
    description: str = "",
    completion_achievement_id: int | None = None,
) -> Pathway:
    """Start a draft pathway; its levels and steps are added next."""
    issuer, _member = require_role(session, user_id, issuer_id, "manage_pathways")
    pathway = Pathway(
        issuer_id=issuer.id,
        name=name.strip()[:NAME_MAX],
        description=description.strip()[:TEXT_MAX],
        completion_achievement_id=_completion(session, issuer, completion_achievement_id),
    )
    session.add(pathway)
    session.flush()
    audit(session, issuer, user_id, "pathway.created", pathway=pathway.public_id)
    session.commit()
    return pathway


def update_details(
    session: Session,
    user_id: int,
    issuer_id: int,
    public_id: str,
    *,
    name: str,
    description: str,
    completion_achievement_id: int | None,
) -> Pathway:
    """Change a pathway's name, description and completion achievement."""
    issuer, _member = require_role(session, user_id, issuer_id, "manage_pathways")
    pathway = pathway_of(session, issuer.id, public_id)
    editable(pathway)
    pathway.name = name.strip()[:NAME_MAX]
    pathway.description = description.strip()[:TEXT_MAX]
    pathway.completion_achievement_id = _completion(session, issuer, completion_achievement_id)
    audit(session, issuer, user_id, "pathway.updated", pathway=public_id, part="details")
    session.commit()
    return pathway


def add_group(
    session: Session,
    user_id: int,
    issuer_id: int,
    public_id: str,
    spec: rules.GroupSpec,
    *,
    first_achievement_id: int | None = None,
    base_url: str = "",
) -> PathwayGroup:
    """Add a level or milestone at the end of the pathway, with its first step if given (a
    published pathway needs one); more steps are added next."""
    issuer, _member = require_role(session, user_id, issuer_id, "manage_pathways")
    pathway = pathway_of(session, issuer.id, public_id)
    editable(pathway)
    group = PathwayGroup(position=len(pathway.groups), **group_fields(spec))
    if first_achievement_id is not None:
        achievement = session.get(Achievement, first_achievement_id)
        if achievement is None or achievement.archived_at is not None:
            raise errors.NotFound(_("This achievement does not exist."))
        first = platform_step(achievement, base_url)
        group.steps.append(
            PathwayStep(achievement_iri=first.iri, achievement_id=achievement.id, title=first.title)
        )
    pathway.groups.append(group)
    _check(pathway)
    audit(session, issuer, user_id, "pathway.updated", pathway=public_id, part="group added")
    session.commit()
    return group


def group_fields(spec: rules.GroupSpec) -> dict[str, t.Any]:
    return {
        "title": spec.title.strip()[: rules.TITLE_MAX],
        "kind": spec.kind,
        "rule": spec.rule,
        "required": spec.required if spec.rule == "any" else None,
    }


def _group(pathway: Pathway, group_id: int) -> PathwayGroup:
    group = next((g for g in pathway.groups if g.id == group_id), None)
    if group is None:
        raise errors.NotFound(_("This level or milestone does not exist."))
    return group


def update_group(
    session: Session,
    user_id: int,
    issuer_id: int,
    public_id: str,
    group_id: int,
    spec: rules.GroupSpec,
) -> PathwayGroup:
    """Change a group's title, kind and rule."""
    issuer, _member = require_role(session, user_id, issuer_id, "manage_pathways")
    pathway = pathway_of(session, issuer.id, public_id)
    editable(pathway)
    group = _group(pathway, group_id)
    for name, value in group_fields(spec).items():
        setattr(group, name, value)
    _check(pathway)
    audit(session, issuer, user_id, "pathway.updated", pathway=public_id, part="group changed")
    session.commit()
    return group


def remove_group(
    session: Session, user_id: int, issuer_id: int, public_id: str, group_id: int
) -> Pathway:
    """Remove a group and its steps; the groups after it move up."""
    issuer, _member = require_role(session, user_id, issuer_id, "manage_pathways")
    pathway = pathway_of(session, issuer.id, public_id)
    editable(pathway)
    pathway.groups.remove(_group(pathway, group_id))
    for position, group in enumerate(pathway.groups):
        group.position = position
    _check(pathway)
    audit(session, issuer, user_id, "pathway.updated", pathway=public_id, part="group removed")
    session.commit()
    return pathway


def add_step(
    session: Session,
    user_id: int,
    issuer_id: int,
    public_id: str,
    group_id: int,
    *,
    achievement_id: int | None = None,
    iri: str = "",
    title: str = "",
    base_url: str,
) -> PathwayStep:
    """Add an achievement to a group: one on this platform (any issuer's) or one issued elsewhere,
    named by its IRI and a title."""
    issuer, _member = require_role(session, user_id, issuer_id, "manage_pathways")
    pathway = pathway_of(session, issuer.id, public_id)
    editable(pathway)
    group = _group(pathway, group_id)
    if achievement_id is not None:
        achievement = session.get(Achievement, achievement_id)
        if achievement is None or achievement.archived_at is not None:
            raise errors.NotFound(_("This achievement does not exist."))
        spec = platform_step(achievement, base_url)
    else:
        spec = outside_step(iri, title)
    if any(step.achievement_iri == spec.iri for step in group.steps):
        raise errors.Invalid(_("“%(group)s” already lists this achievement.", group=group.title))
    step = PathwayStep(
        position=len(group.steps),
        achievement_iri=spec.iri,
        achievement_id=spec.achievement_id,
        title=spec.title,
    )
    group.steps.append(step)
    _check(pathway)
    audit(session, issuer, user_id, "pathway.updated", pathway=public_id, part="step added")
    session.commit()
    return step


def platform_step(achievement: Achievement, base_url: str) -> rules.StepSpec:
    return rules.StepSpec(
        iri=documents.Urls(base_url).badge_class(achievement),
        title=achievement.name[: rules.TITLE_MAX],
        achievement_id=achievement.id,
    )


def outside_step(iri: str, title: str) -> rules.StepSpec:
    iri = iri.strip()
    problem = rules.iri_problem(iri)
    if problem is not None:
        raise errors.Invalid(problem.render(_), field="iri")
    if not title.strip():
        raise errors.Invalid(_("Give the achievement's name."), field="title")
    return rules.StepSpec(iri=iri, title=title.strip()[: rules.TITLE_MAX])


def remove_step(
    session: Session, user_id: int, issuer_id: int, public_id: str, step_id: int
) -> Pathway:
    """Remove a step from its group."""
    issuer, _member = require_role(session, user_id, issuer_id, "manage_pathways")
    pathway = pathway_of(session, issuer.id, public_id)
    editable(pathway)
    for group in pathway.groups:
        step = next((s for s in group.steps if s.id == step_id), None)
        if step is not None:
            group.steps.remove(step)
            for position, kept in enumerate(group.steps):
                kept.position = position
            break
    else:
        raise errors.NotFound(_("This step does not exist."))
    _check(pathway)
    audit(session, issuer, user_id, "pathway.updated", pathway=public_id, part="step removed")
    session.commit()
    return pathway


def publish(session: Session, user_id: int, issuer_id: int, public_id: str) -> Pathway:
    """Publish a complete pathway: earners see it and their progress along it."""
    issuer, _member = require_role(session, user_id, issuer_id, "manage_pathways")
    pathway = pathway_of(session, issuer.id, public_id)
    editable(pathway)
    found = rules.problems(_specs(pathway), complete=True)
    if found:
        raise invalid(found)
    if pathway.published_at is None:
        pathway.published_at = utcnow()
        audit(session, issuer, user_id, "pathway.published", pathway=public_id)
    session.commit()
    return pathway


def archive(session: Session, user_id: int, issuer_id: int, public_id: str) -> Pathway:
    """Archive a pathway: earners no longer see it; completions already made stay."""
    issuer, _member = require_role(session, user_id, issuer_id, "manage_pathways")
    pathway = pathway_of(session, issuer.id, public_id)
    if pathway.archived_at is None:
        pathway.archived_at = utcnow()
        audit(session, issuer, user_id, "pathway.archived", pathway=public_id)
    session.commit()
    return pathway


def problems_of(pathway: Pathway) -> list[str]:
    """Return what keeps a pathway from being published, as sentences (none: it can be)."""
    return [found.render(_) for found in rules.problems(_specs(pathway), complete=True)]
