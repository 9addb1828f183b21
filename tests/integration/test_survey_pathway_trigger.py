"""A survey set to ask "when they complete a pathway" invites, once, the earners who complete one
of the issuer's pathways that includes an achievement the survey is about."""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from tests.factories import mails_to
from tests.pathway_helpers import BASE_URL
from tests.pathway_helpers import academy
from tests.pathway_helpers import give
from tests.pathway_helpers import holding
from tests.pathway_helpers import published_pathway
from wallet.events import jobs
from wallet.pathways import milestones
from wallet.surveys import service
from wallet.surveys.models import SurveyInvitation

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


def _survey(db: Session, school: t.Any, achievement_id: int, *, on_pathway: bool) -> t.Any:
    return service.create_survey(
        db,
        school.owner.id,
        school.issuer.id,
        service.Definition(
            title="How was the Cloud Architect pathway?",
            intro="",
            questions=[{"type": "nps", "text": "Recommend it?", "required": True}],
            achievement_ids=[achievement_id],
            on_accept=not on_pathway,
            on_pathway=on_pathway,
            expires_after_days=30,
        ),
    )


def test_completing_a_pathway_invites_to_its_surveys_once(db: Session, runtime: Runtime) -> None:
    keys = runtime.config.data_keys
    school = academy(db, keys)
    pathway = published_pathway(db, school)
    asked = _survey(db, school, school.achievements[2].id, on_pathway=True)
    not_on_completion = _survey(db, school, school.achievements[0].id, on_pathway=False)
    earner = holding(db, school, "Networking")
    security = give(db, earner, school.iri(school.achievements[2]), "Security")
    milestones.evaluate(db, earner.id, award_id=security.id, base_url=BASE_URL, data_keys=keys)

    for _ in range(2):  # the job runs twice: still one invitation
        jobs.invite_to_pathway_surveys(
            runtime, "event-1", {"pathway_id": pathway.id, "about_user_id": earner.id}
        )

    invitations = db.scalars(
        select(SurveyInvitation).where(SurveyInvitation.user_id == earner.id)
    ).all()
    assert [(i.survey_id, i.achievement_id) for i in invitations] == [
        (asked.id, school.achievements[2].id)
    ]
    assert invitations[0].notified_at is not None
    assert not_on_completion.id not in {i.survey_id for i in invitations}
    invited = [m for m in mails_to(db, earner.emails[0].email) if "/wallet/surveys/" in str(m)]
    assert len(invited) == 1


def test_an_earner_still_on_the_way_is_not_asked(db: Session, runtime: Runtime) -> None:
    keys = runtime.config.data_keys
    school = academy(db, keys)
    pathway = published_pathway(db, school)
    _survey(db, school, school.achievements[2].id, on_pathway=True)
    earner = holding(db, school, "Networking")

    jobs.invite_to_pathway_surveys(
        runtime, "event-2", {"pathway_id": pathway.id, "about_user_id": earner.id}
    )

    assert (
        db.scalars(select(SurveyInvitation).where(SurveyInvitation.user_id == earner.id)).all()
        == []
    )
