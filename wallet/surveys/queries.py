"""Named reads of surveys (callers checked who may read them, through the services)."""

from __future__ import annotations

import typing as t

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wallet.accounts.models import User
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
