"""Milestones: completing a published pathway writes one completion and awards its milestone badge
once, tells the issuer (``pathway.progressed``, ``pathway.completed``), however often the
evaluation runs; through the real pipeline, the badge lands in the earner's wallet."""

from __future__ import annotations

import typing as t

from sqlalchemy import func
from sqlalchemy import select

from tests.background import work
from tests.factories import make_user
from tests.pathway_helpers import BASE_URL
from tests.pathway_helpers import academy
from tests.pathway_helpers import give
from tests.pathway_helpers import holding
from tests.pathway_helpers import published_pathway
from wallet.backpack import service as backpack
from wallet.backpack.models import Award
from wallet.engagement.models import IssuerEvent
from wallet.events.models import OutboxMessage
from wallet.issuers.models import IssuedAward
from wallet.pathways import milestones
from wallet.pathways.models import PathwayCompletion

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


def _events(db: Session, kind: str, user_id: int) -> list[dict[str, t.Any]]:
    return [
        row.payload
        for row in db.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.type == kind, OutboxMessage.user_id == user_id)
            .order_by(OutboxMessage.id)
        )
    ]


def test_completing_awards_the_milestone_once_however_often_it_is_evaluated(
    db: Session, runtime: Runtime
) -> None:
    keys = runtime.config.data_keys
    school = academy(db, keys)
    pathway = published_pathway(db, school)
    earner = holding(db, school, "Networking")
    security = give(db, earner, school.iri(school.achievements[2]), "Security")

    for _ in range(3):
        milestones.evaluate(db, earner.id, award_id=security.id, base_url=BASE_URL, data_keys=keys)

    completions = db.scalars(
        select(PathwayCompletion).where(PathwayCompletion.user_id == earner.id)
    )
    (completion,) = completions.all()
    issued = db.get_one(IssuedAward, completion.issued_award_id)
    assert issued.achievement_id == school.milestone.id
    assert issued.recipient_normalized == earner.emails[0].email.lower()
    assert issued.recipient_name == earner.display_name
    assert _events(db, "pathway.completed", earner.id) == [
        {
            "pathway_id": pathway.id,
            "issuer_id": school.issuer.id,
            "issued_award_id": issued.id,
            "about_user_id": earner.id,
        }
    ]
    progressed = _events(db, "pathway.progressed", earner.id)
    assert [(p["step_iri"], p["done"], p["needed"]) for p in progressed] == [
        (school.iri(school.achievements[2]), 2, 2)
    ]


def test_nothing_happens_before_the_pathway_is_complete_or_published(
    db: Session, runtime: Runtime
) -> None:
    keys = runtime.config.data_keys
    school = academy(db, keys)
    published_pathway(db, school)
    earner = make_user(db)
    storage = give(db, earner, school.iri(school.achievements[1]), "Storage")
    assert (
        milestones.evaluate(db, earner.id, award_id=storage.id, base_url=BASE_URL, data_keys=keys)
        == []
    )
    assert (
        db.scalar(
            select(func.count())
            .select_from(PathwayCompletion)
            .where(PathwayCompletion.user_id == earner.id)
        )
        == 0
    )
    assert [p["done"] for p in _events(db, "pathway.progressed", earner.id)] == [1]

    # A pathway without a milestone badge completes without awarding anything.
    other = academy(db, keys, name="Plain School")
    plain = published_pathway(db, other, milestone=False)
    done = holding(db, other, "Networking", "Security")
    assert milestones.evaluate(db, done.id, base_url=BASE_URL, data_keys=keys) == [plain.public_id]
    assert _events(db, "pathway.completed", done.id)[0]["issued_award_id"] is None


def test_accepting_the_last_step_puts_the_milestone_badge_in_the_wallet(
    db: Session, runtime: Runtime
) -> None:
    keys = runtime.config.data_keys
    school = academy(db, keys)
    pathway = published_pathway(db, school)
    earner = holding(db, school, "Networking")
    pending = give(db, earner, school.iri(school.achievements[2]), "Security", acceptance="pending")

    backpack.accept_award(db, earner.id, pending.id)
    work(runtime)  # evaluates the pathways: completes it and awards the milestone badge
    work(runtime)  # delivers that award to the earner's wallet

    milestone = db.scalars(
        select(Award).where(Award.user_id == earner.id, Award.achievement_name == "Cloud Architect")
    ).one()
    assert milestone.acceptance == "pending"
    assert milestone.verification_status == "valid"
    assert milestone.achievement_iri == school.iri(school.milestone)
    kinds = db.scalars(
        select(IssuerEvent.type)
        .where(IssuerEvent.issuer_id == school.issuer.id, IssuerEvent.type.like("pathway.%"))
        .order_by(IssuerEvent.sequence)
    ).all()
    assert kinds == ["pathway.progressed", "pathway.completed"]
    completed = db.scalars(
        select(IssuerEvent).where(
            IssuerEvent.issuer_id == school.issuer.id, IssuerEvent.type == "pathway.completed"
        )
    ).one()
    assert completed.data["pathway"] == {"id": pathway.public_id, "name": "Cloud Architect"}
    assert completed.data["earner"]["id"].startswith("ern_")
    assert "email" not in completed.data["earner"]  # the earner did not choose to be named

    # Accepting the milestone badge itself evaluates again, and awards nothing more.
    backpack.accept_award(db, earner.id, milestone.id)
    work(runtime)
    assert (
        db.scalar(
            select(func.count())
            .select_from(IssuedAward)
            .where(IssuedAward.achievement_id == school.milestone.id)
        )
        == 1
    )


def test_the_loser_of_a_race_finds_the_completion_taken_and_awards_nothing(
    db: Session, runtime: Runtime
) -> None:
    """What the slower of two simultaneous evaluations meets on PostgreSQL (SQLite serialises
    them before it can happen): the completion it inserts breaks the unique constraint."""
    keys = runtime.config.data_keys
    school = academy(db, keys)
    pathway = published_pathway(db, school)
    earner = holding(db, school, "Networking", "Security")
    assert milestones.evaluate(db, earner.id, base_url=BASE_URL, data_keys=keys)

    late = milestones._complete(db, pathway, earner.id, base_url=BASE_URL, data_keys=keys)
    db.commit()

    assert late is False
    assert len(_events(db, "pathway.completed", earner.id)) == 1
    assert (
        db.scalar(
            select(func.count())
            .select_from(IssuedAward)
            .where(IssuedAward.achievement_id == school.milestone.id)
        )
        == 1
    )
