"""Invitations: made when an earner accepts an award a survey asks about, mailed when due,
reminded once, expired after the survey's number of days.

``invite_after_acceptance`` runs in the job started by ``award.accepted``,
``invite_after_pathway`` in the one started by ``pathway.completed``; ``send_due`` in the
scheduler's tick. Both are safe to run twice: an earner has one invitation per trigger (a unique
constraint), and a mail is recorded only with the mark that says it was sent.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User
from wallet.backpack.models import Award
from wallet.db import utcnow
from wallet.events import outbox
from wallet.issuers.documents import Urls
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer
from wallet.pathways.models import Pathway
from wallet.pathways.models import PathwayCompletion
from wallet.pathways.models import PathwayGroup
from wallet.pathways.models import PathwayStep
from wallet.surveys import messages
from wallet.surveys.models import Survey
from wallet.surveys.models import SurveyAchievement
from wallet.surveys.models import SurveyInvitation

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: The triggers acceptance fires (completing a pathway fires ``pathway_completed``).
ON_ACCEPT = ("accepted", "days_after")


def issued_award_of(session: Session, award: Award, base_url: str) -> IssuedAward | None:
    """Return the issuer-side award a wallet's award is a copy of, if one of our issuers made it
    for one of the earner's verified addresses."""
    prefix = Urls(base_url).base + "/ob/v3/credentials/"
    if not award.credential_id.startswith(prefix):
        return None
    issued = session.scalar(
        select(IssuedAward).where(IssuedAward.public_id == award.credential_id[len(prefix) :])
    )
    if issued is None or issued.revoked_at is not None:
        return None
    held = session.scalar(
        select(EmailAddress.id).where(
            EmailAddress.user_id == award.user_id,
            EmailAddress.normalized == issued.recipient_normalized,
            EmailAddress.verified_at.is_not(None),
        )
    )
    return issued if held is not None else None


def invite_after_acceptance(
    session: Session, award_id: int, *, base_url: str, now: dt.datetime | None = None
) -> int:
    """Invite the earner of an accepted award to the surveys asking about it; return how many."""
    now = now or utcnow()
    award = session.get(Award, award_id)
    if award is None or award.acceptance != "accepted":
        return 0
    issued = issued_award_of(session, award, base_url)
    if issued is None:
        return 0
    surveys = session.scalars(
        select(Survey)
        .join(SurveyAchievement, SurveyAchievement.survey_id == Survey.id)
        .where(
            SurveyAchievement.achievement_id == issued.achievement_id,
            Survey.closed_at.is_(None),
        )
    ).unique()
    made = 0
    for survey in surveys:
        for trigger in survey.active_triggers():
            if trigger.kind not in ON_ACCEPT:
                continue
            available = now + dt.timedelta(days=trigger.days)
            invitation = SurveyInvitation(
                survey_id=survey.id,
                trigger_id=trigger.id,
                user_id=award.user_id,
                award_id=award.id,
                achievement_id=issued.achievement_id,
                created_at=now,
                available_at=available,
                expires_at=available + dt.timedelta(days=survey.expires_after_days),
            )
            try:
                with session.begin_nested():
                    session.add(invitation)
            except IntegrityError:
                continue  # already invited by this trigger (the job ran twice, or re-accepted)
            made += 1
            if trigger.kind == "accepted":
                _notify(session, invitation, survey, now, base_url, reminder=False)
    session.commit()
    return made


def invite_after_pathway(
    session: Session,
    pathway_id: int,
    user_id: int,
    *,
    base_url: str,
    now: dt.datetime | None = None,
) -> int:
    """Invite an earner who completed a pathway to the pathway issuer's open surveys that ask on
    completion about one of its achievements (a step or the milestone badge); return how many."""
    now = now or utcnow()
    pathway = session.get(Pathway, pathway_id)
    completed = session.scalar(
        select(PathwayCompletion.id).where(
            PathwayCompletion.pathway_id == pathway_id, PathwayCompletion.user_id == user_id
        )
    )
    if pathway is None or completed is None:
        return 0
    on_pathway = set(
        session.scalars(
            select(PathwayStep.achievement_id)
            .join(PathwayGroup, PathwayGroup.id == PathwayStep.group_id)
            .where(PathwayGroup.pathway_id == pathway.id, PathwayStep.achievement_id.is_not(None))
        )
    )
    if pathway.completion_achievement_id is not None:
        on_pathway.add(pathway.completion_achievement_id)
    asked = session.execute(
        select(Survey, SurveyAchievement.achievement_id)
        .join(SurveyAchievement, SurveyAchievement.survey_id == Survey.id)
        .where(
            Survey.issuer_id == pathway.issuer_id,
            Survey.closed_at.is_(None),
            SurveyAchievement.achievement_id.in_(on_pathway),
        )
        .order_by(Survey.id, SurveyAchievement.achievement_id)
    ).all()
    made = 0
    for survey, achievement_id in {survey.id: (survey, a) for survey, a in asked}.values():
        for trigger in survey.active_triggers():
            if trigger.kind != "pathway_completed":
                continue
            invitation = SurveyInvitation(
                survey_id=survey.id,
                trigger_id=trigger.id,
                user_id=user_id,
                achievement_id=achievement_id,
                created_at=now,
                available_at=now,
                expires_at=now + dt.timedelta(days=survey.expires_after_days),
            )
            try:
                with session.begin_nested():
                    session.add(invitation)
            except IntegrityError:
                continue  # already invited by this trigger (the job ran twice)
            made += 1
            _notify(session, invitation, survey, now, base_url, reminder=False)
    session.commit()
    return made


def _notify(
    session: Session,
    invitation: SurveyInvitation,
    survey: Survey,
    now: dt.datetime,
    base_url: str,
    *,
    reminder: bool,
) -> None:
    if reminder:
        invitation.reminded_at = now
    else:
        invitation.notified_at = now
        if survey.remind_after_days:
            invitation.remind_at = now + dt.timedelta(days=survey.remind_after_days)
    user = session.get_one(User, invitation.user_id)
    address = user.primary_email
    if address is None or address.verified_at is None:
        return
    issuer = session.get_one(Issuer, survey.issuer_id)
    outbox.record(
        session,
        messages.invited(
            to=address.email,
            name=user.display_name,
            locale=user.locale,
            issuer=issuer.name,
            title=survey.title,
            link=f"{base_url}/wallet/surveys/{invitation.id}",
            reminder=reminder,
            user_id=user.id,
        ),
    )


def send_due(
    session: Session, *, base_url: str, now: dt.datetime | None = None, limit: int = 500
) -> tuple[int, int]:
    """Mail the invitations that became due and the reminders that are due; return the counts.

    An invitation answered, declined or expired gets neither.
    """
    now = now or utcnow()
    still_open = (
        SurveyInvitation.answered_at.is_(None),
        SurveyInvitation.declined_at.is_(None),
        SurveyInvitation.expires_at > now,
    )
    due = list(
        session.scalars(
            select(SurveyInvitation)
            .options(joinedload(SurveyInvitation.survey))
            .where(
                SurveyInvitation.notified_at.is_(None),
                SurveyInvitation.available_at <= now,
                *still_open,
            )
            .order_by(SurveyInvitation.id)
            .limit(limit)
        )
    )
    for invitation in due:
        _notify(session, invitation, invitation.survey, now, base_url, reminder=False)
    reminders = list(
        session.scalars(
            select(SurveyInvitation)
            .options(joinedload(SurveyInvitation.survey))
            .where(
                SurveyInvitation.remind_at <= now,
                SurveyInvitation.reminded_at.is_(None),
                *still_open,
            )
            .order_by(SurveyInvitation.id)
            .limit(limit)
        )
    )
    for invitation in reminders:
        _notify(session, invitation, invitation.survey, now, base_url, reminder=True)
    session.commit()
    return len(due), len(reminders)
