"""Named reads of surveys (callers checked who may read them, through the services)."""

from __future__ import annotations

import typing as t

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wallet.accounts.models import User
from wallet.db import utcnow
from wallet.issuers.models import Issuer
from wallet.surveys import results
from wallet.surveys.models import Survey
from wallet.surveys.models import SurveyInvitation
from wallet.surveys.models import SurveyResponse

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session


def surveys_of(session: Session, issuer_id: int) -> list[Survey]:
    """Return the issuer's surveys, newest first."""
    return list(
        session.scalars(
            select(Survey)
            .options(selectinload(Survey.versions), selectinload(Survey.triggers))
            .where(Survey.issuer_id == issuer_id)
            .order_by(Survey.id.desc())
        )
    )


def responses_to(
    session: Session, version_id: int, *, achievement_id: int | None = None
) -> list[results.Response]:
    """Return the responses to a version (of one achievement's earners), names only if opted in."""
    query = (
        select(SurveyResponse.answers, SurveyResponse.identified, User.display_name)
        .join(SurveyInvitation, SurveyInvitation.id == SurveyResponse.invitation_id)
        .join(User, User.id == SurveyInvitation.user_id)
        .where(SurveyResponse.version_id == version_id)
    )
    if achievement_id is not None:
        query = query.where(SurveyResponse.achievement_id == achievement_id)
    return [
        results.Response(answers=row.answers, name=row.display_name if row.identified else None)
        for row in session.execute(query)
    ]


def responses_by_version(session: Session, survey_id: int) -> dict[int, int]:
    """Return how many responses each version of a survey has, by version id."""
    rows = session.execute(
        select(SurveyResponse.version_id, func.count())
        .where(SurveyResponse.survey_id == survey_id)
        .group_by(SurveyResponse.version_id)
    )
    return {version_id: count for version_id, count in rows}


class Prompt(t.NamedTuple):
    """An open invitation about an award, with its survey's title and the issuer asking."""

    invitation_id: int
    title: str
    issuer_name: str


def open_invitation_for_award(session: Session, user_id: int, award_id: int) -> Prompt | None:
    """Return an open invitation the earner got for this award, if any (for the award page)."""
    now = utcnow()
    row = session.execute(
        select(SurveyInvitation.id, Survey.title, Issuer.name)
        .join(Survey, Survey.id == SurveyInvitation.survey_id)
        .join(Issuer, Issuer.id == Survey.issuer_id)
        .where(
            SurveyInvitation.user_id == user_id,
            SurveyInvitation.award_id == award_id,
            SurveyInvitation.available_at <= now,
            SurveyInvitation.expires_at > now,
            SurveyInvitation.answered_at.is_(None),
            SurveyInvitation.declined_at.is_(None),
        )
        .order_by(SurveyInvitation.id)
        .limit(1)
    ).first()
    return Prompt(row.id, row.title, row.name) if row else None
