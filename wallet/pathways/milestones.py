"""Milestones: when an earner's held awards change, see how far they are along each published
pathway, tell its issuer, and award a completed pathway's milestone badge exactly once.

Runs in a background job (``award.accepted``, ``award.imported``), which may run twice or at the
same time as another for the same earner (two awards arriving together). Exactly once holds in
the database, not in memory: a completion is a row under a unique (pathway, earner) constraint,
inserted in a savepoint, and the milestone award is made in the same transaction, so the loser of
a race gets an ``IntegrityError`` and does nothing. A ``pathway.progressed`` event has an id
derived from (pathway, earner, step), so repeating the job records it once too.
"""

from __future__ import annotations

import typing as t
import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wallet import errors
from wallet.accounts.models import User
from wallet.backpack.models import Award
from wallet.events import outbox
from wallet.events.catalog import PathwayCompleted
from wallet.events.catalog import PathwayProgressed
from wallet.issuers import awarding
from wallet.pathways import progress as progress_of
from wallet.pathways import queries
from wallet.pathways.models import Pathway
from wallet.pathways.models import PathwayCompletion

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: Namespace of the ids of ``pathway.progressed`` events.
_PROGRESS_IDS = uuid.UUID("5b0d9a3e-8f1c-4f5e-9a52-6a2f3c1d7e40")


def evaluate(
    session: Session,
    user_id: int,
    *,
    award_id: int | None = None,
    base_url: str,
    data_keys: tuple[str, ...],
) -> list[str]:
    """Record progress and completions of the earner's published pathways, after ``award_id``
    (the award just accepted or imported) changed what they hold; return the public ids of the
    pathways completed now."""
    held = queries.held_iris(session, user_id)
    new_iri = _iri_of(session, user_id, award_id, held)
    done_before = set(
        session.scalars(
            select(PathwayCompletion.pathway_id).where(PathwayCompletion.user_id == user_id)
        )
    )
    completed = []
    for pathway, _issuer_name in queries.pathways_holding(session, held):
        shape = progress_of.shape_of(pathway)
        now = progress_of.progress(shape, held)
        if new_iri and new_iri in shape.iris:
            _progressed(session, pathway, user_id, new_iri, now)
        if (
            now.complete
            and pathway.id not in done_before
            and _complete(session, pathway, user_id, base_url=base_url, data_keys=data_keys)
        ):
            completed.append(pathway.public_id)
    session.commit()
    return completed


def _iri_of(session: Session, user_id: int, award_id: int | None, held: set[str]) -> str:
    """Return the IRI the award carries if the earner holds it now, else ``""``."""
    if award_id is None:
        return ""
    iri = session.scalar(
        select(Award.achievement_iri).where(Award.id == award_id, Award.user_id == user_id)
    )
    return iri if iri and iri in held else ""


def _progressed(
    session: Session, pathway: Pathway, user_id: int, iri: str, now: progress_of.Progress
) -> None:
    """Record ``pathway.progressed`` for the step ``iri``, unless it was recorded before."""
    event_id = uuid.uuid5(_PROGRESS_IDS, f"{pathway.id}/{user_id}/{iri}")
    try:
        with session.begin_nested():
            message = outbox.record(
                session,
                PathwayProgressed(
                    pathway_id=pathway.id,
                    issuer_id=pathway.issuer_id,
                    step_iri=iri,
                    done=now.done,
                    needed=now.needed,
                    about_user_id=user_id,
                ),
            )
            message.event_id = str(event_id)
            session.flush()
    except IntegrityError:
        return  # this step was told before (the job ran again)


def _complete(
    session: Session,
    pathway: Pathway,
    user_id: int,
    *,
    base_url: str,
    data_keys: tuple[str, ...],
) -> bool:
    """Write the completion and award the milestone badge; False if another run already did."""
    completion = PathwayCompletion(pathway_id=pathway.id, user_id=user_id)
    try:
        with session.begin_nested():
            session.add(completion)
            session.flush()
    except IntegrityError:
        return False  # another evaluation completed it first, and awarded it
    if pathway.completion_achievement_id is not None:
        earner = session.get_one(User, user_id)
        address = next((e for e in earner.emails if e.is_primary and e.verified_at), None)
        address = address or next((e for e in earner.emails if e.verified_at), None)
        if address is not None:
            try:
                issued = awarding.award_automatically(
                    session,
                    pathway.issuer_id,
                    pathway.completion_achievement_id,
                    email=address.email,
                    name=earner.display_name,
                    base_url=base_url,
                    data_keys=data_keys,
                )
            except errors.NotFound:
                pass  # the issuer archived the milestone achievement: the completion stands
            else:
                completion.issued_award_id = issued.id
    outbox.record(
        session,
        PathwayCompleted(
            pathway_id=pathway.id,
            issuer_id=pathway.issuer_id,
            issued_award_id=completion.issued_award_id,
            about_user_id=user_id,
        ),
    )
    return True
