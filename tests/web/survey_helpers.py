"""Survey test data: an issuer with an achievement and a survey, and answers given directly."""

from __future__ import annotations

import typing as t

from tests.factories import make_user
from wallet.db import utcnow
from wallet.issuers import service as issuers
from wallet.surveys import service
from wallet.surveys.models import SurveyInvitation
from wallet.surveys.models import SurveyResponse

if t.TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User
    from wallet.issuers.models import Achievement
    from wallet.issuers.models import Issuer
    from wallet.surveys.models import Survey

QUESTIONS = [
    {"type": "nps", "text": "Would you recommend it?", "required": True},
    {"type": "rating", "text": "How useful was it?"},
    {"type": "text", "text": "What should we change?", "max_length": 200},
]


def issuer_with_survey(
    app: Flask, db: Session, *, owner: User | None = None
) -> tuple[User, Issuer, Achievement, Survey]:
    """Return an owner, their issuer, an achievement and a survey asking its earners."""
    owner = owner or make_user(db)
    issuer = issuers.create_issuer(
        db,
        owner.id,
        name="Harbour School",
        url="https://harbour.example",
        email="h@harbour.example",
        description="",
        data_keys=app.extensions["wallet"].config.data_keys,
    )
    achievement = issuers.create_achievement(
        db, owner.id, issuer.id, {"name": "Rope Work", "description": "d", "criteria": "c"}
    )
    survey = service.create_survey(
        db,
        owner.id,
        issuer.id,
        service.Definition(
            title="Rope Work feedback",
            intro="",
            questions=[dict(q) for q in QUESTIONS],
            achievement_ids=[achievement.id],
        ),
    )
    return owner, issuer, achievement, survey


def answer_directly(
    db: Session,
    survey: Survey,
    achievement: Achievement,
    answers: dict[str, t.Any],
    *,
    name_shared: bool = False,
    earner: User | None = None,
) -> SurveyResponse:
    """Store a response of a new earner, as if they had been invited and answered."""
    earner = earner or make_user(db)
    now = utcnow()
    invitation = SurveyInvitation(
        survey_id=survey.id,
        trigger_id=survey.triggers[0].id,
        user_id=earner.id,
        achievement_id=achievement.id,
        available_at=now,
        expires_at=now.replace(year=now.year + 1),
        answered_at=now,
    )
    db.add(invitation)
    db.flush()
    response = SurveyResponse(
        invitation_id=invitation.id,
        survey_id=survey.id,
        version_id=survey.current.id,
        achievement_id=achievement.id,
        answers=answers,
        identified=name_shared,
    )
    db.add(response)
    db.commit()
    return response


def invite(
    db: Session,
    survey: Survey,
    achievement: Achievement,
    earner: User,
    *,
    award_id: int | None = None,
) -> SurveyInvitation:
    """Store an open invitation of ``earner`` to ``survey``, as the trigger would."""
    now = utcnow()
    invitation = SurveyInvitation(
        survey_id=survey.id,
        trigger_id=survey.triggers[0].id,
        user_id=earner.id,
        achievement_id=achievement.id,
        award_id=award_id,
        available_at=now,
        notified_at=now,
        expires_at=now.replace(year=now.year + 1),
    )
    db.add(invitation)
    db.commit()
    return invitation
