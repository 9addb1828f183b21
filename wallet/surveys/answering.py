"""Use cases of the earner side: the inbox, answering exactly once, declining.

An invitation is only ever its earner's: anyone else is told "not found". Answers are checked
by ``answers.check``; with any problem nothing is stored and each problem is said on its question.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from wallet import errors
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import SurveyCompleted
from wallet.issuers.models import Achievement
from wallet.issuers.models import Issuer
from wallet.messages import N_
from wallet.messages import Message
from wallet.surveys import answers as checking
from wallet.surveys import questions as q
from wallet.surveys.models import Survey
from wallet.surveys.models import SurveyInvitation
from wallet.surveys.models import SurveyResponse
from wallet.surveys.models import SurveyVersion

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session


class AnswersInvalid(errors.Invalid):
    """Answers with problems, each said on its question (by question id). Nothing was stored."""

    def __init__(self, problems: dict[str, Message]) -> None:
        super().__init__(Message(N_("Some answers need another look.")))
        self.problems = problems


class InboxItem(t.NamedTuple):
    """An invitation as the inbox lists it."""

    invitation: SurveyInvitation
    issuer_name: str
    state: str


def inbox(session: Session, user_id: int, now: dt.datetime | None = None) -> list[InboxItem]:
    """Return the earner's due invitations: open ones first, then the rest, newest first."""
    now = now or utcnow()
    rows = session.execute(
        select(SurveyInvitation, Issuer.name)
        .join(Survey, Survey.id == SurveyInvitation.survey_id)
        .join(Issuer, Issuer.id == Survey.issuer_id)
        .options(joinedload(SurveyInvitation.survey))
        .where(SurveyInvitation.user_id == user_id, SurveyInvitation.available_at <= now)
        .order_by(SurveyInvitation.available_at.desc())
        .limit(200)
    )
    items = [InboxItem(inv, name, inv.state(now)) for inv, name in rows]
    return sorted(items, key=lambda item: item.state != "open")


def invitation_for(session: Session, user_id: int, invitation_id: int) -> SurveyInvitation:
    """Return one of the earner's due invitations; anyone else's is "not found"."""
    invitation = session.get(SurveyInvitation, invitation_id)
    if invitation is None or invitation.user_id != user_id or invitation.available_at > utcnow():
        raise errors.NotFound(_("There is no such survey for you."))
    return invitation


def issuer_of(session: Session, invitation: SurveyInvitation) -> Issuer:
    """Return the issuer asking."""
    return session.get_one(Issuer, invitation.survey.issuer_id)


def version_to_answer(
    session: Session, invitation: SurveyInvitation, number: int | None = None
) -> SurveyVersion:
    """Return the version the earner answers: the one their form showed, else the current one."""
    survey = invitation.survey
    return next((v for v in survey.versions if v.number == number), survey.current)


def _still_open(invitation: SurveyInvitation) -> None:
    state = invitation.state(utcnow())
    if state == "answered":
        raise errors.Conflict(_("You already answered this survey. Thank you."))
    if state == "declined":
        raise errors.Conflict(_("You declined this survey."))
    if state == "expired":
        raise errors.Gone(_("This survey has closed."))


def answer(
    session: Session,
    user_id: int,
    invitation_id: int,
    sent: t.Mapping[str, t.Sequence[str]],
    *,
    version: int | None,
    identified: bool,
) -> SurveyResponse:
    """Keep the earner's answers, once; a second submit is a harmless ``Conflict``."""
    invitation = invitation_for(session, user_id, invitation_id)
    _still_open(invitation)
    chosen = version_to_answer(session, invitation, version)
    clean, problems = checking.check(q.load(chosen.questions), sent)
    if problems:
        raise AnswersInvalid(problems)
    now = utcnow()
    response = SurveyResponse(
        invitation_id=invitation.id,
        survey_id=invitation.survey_id,
        version_id=chosen.id,
        achievement_id=invitation.achievement_id,
        answers=clean,
        identified=identified,
        created_at=now,
    )
    invitation.answered_at = now
    session.add(response)
    achievement = (
        session.get(Achievement, invitation.achievement_id)
        if identified and invitation.achievement_id
        else None
    )
    outbox.record(
        session,
        SurveyCompleted(
            survey_id=invitation.survey.public_id,
            survey_version=chosen.number,
            issuer_id=invitation.survey.issuer_id,
            identified=identified,
            achievement_id=achievement.public_id if achievement else None,
            answers=clean if identified else None,
            about_user_id=user_id if identified else None,
        ),
    )
    try:
        session.commit()
    except IntegrityError:
        # Two submits raced: the first one's answers stand.
        session.rollback()
        raise errors.Conflict(_("You already answered this survey. Thank you.")) from None
    return response


def decline(session: Session, user_id: int, invitation_id: int) -> SurveyInvitation:
    """Decline a survey: no more reminders, nothing stored but that it was declined."""
    invitation = invitation_for(session, user_id, invitation_id)
    _still_open(invitation)
    invitation.declined_at = utcnow()
    session.commit()
    return invitation
