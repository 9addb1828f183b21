"""Accepting an award a survey asks about invites its earner once per trigger; the scheduler
mails the "N days later" invitations when due, reminds once, and stops at expiry."""

from __future__ import annotations

import datetime as dt
import typing as t

from sqlalchemy import select

from tests.background import work
from tests.factories import mails_to
from tests.factories import make_user
from wallet.backpack import service as backpack
from wallet.backpack.models import Award
from wallet.db import utcnow
from wallet.issuers import awarding
from wallet.issuers import service as issuers
from wallet.surveys import inviting
from wallet.surveys import service
from wallet.surveys.models import SurveyInvitation

if t.TYPE_CHECKING:
    import redis as redis_lib
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


def _setup(db: Session, runtime: Runtime) -> tuple[t.Any, t.Any, t.Any]:
    staff = make_user(db)
    issuer = issuers.create_issuer(
        db,
        staff.id,
        name="Harbour School",
        url="https://harbour.example",
        email="h@harbour.example",
        description="",
        data_keys=runtime.config.data_keys,
    )
    asked = issuers.create_achievement(
        db, staff.id, issuer.id, {"name": "Rope Work", "description": "d", "criteria": "c"}
    )
    other = issuers.create_achievement(
        db, staff.id, issuer.id, {"name": "Knots", "description": "d", "criteria": "c"}
    )
    survey = service.create_survey(
        db,
        staff.id,
        issuer.id,
        service.Definition(
            title="How was Rope Work?",
            intro="",
            questions=[{"type": "nps", "text": "Recommend it?", "required": True}],
            achievement_ids=[asked.id],
            on_accept=True,
            days_after=90,
            expires_after_days=30,
            remind_after_days=7,
        ),
    )
    return (staff, issuer, asked, other, survey)  # type: ignore[return-value]


def _received(
    db: Session, runtime: Runtime, staff: t.Any, issuer: t.Any, achievement: t.Any, earner: t.Any
) -> Award:
    awarding.award(
        db,
        staff.id,
        issuer.id,
        achievement.id,
        email=earner.emails[0].email,
        base_url=runtime.config.base_url,
        data_keys=runtime.config.data_keys,
    )
    work(runtime)
    award = db.scalars(
        select(Award).where(Award.user_id == earner.id).order_by(Award.id.desc())
    ).first()
    assert award is not None
    assert award.acceptance == "pending"
    return award


def test_accepting_invites_once_per_trigger_and_the_scheduler_does_the_rest(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    staff, issuer, asked, other, survey = _setup(db, runtime)  # type: ignore[misc]
    earner = make_user(db)
    address = earner.emails[0].email
    award = _received(db, runtime, staff, issuer, asked, earner)
    ignored = _received(db, runtime, staff, issuer, other, earner)

    backpack.accept_award(db, earner.id, ignored.id)
    backpack.accept_award(db, earner.id, award.id)
    work(runtime)
    invitations = list(
        db.scalars(select(SurveyInvitation).where(SurveyInvitation.user_id == earner.id))
    )
    assert sorted((i.survey_id, i.achievement_id) for i in invitations) == [
        (survey.id, asked.id),
        (survey.id, asked.id),
    ]
    now = utcnow()
    at_once = next(i for i in invitations if i.available_at <= now)
    later = next(i for i in invitations if i.available_at > now)
    assert at_once.notified_at is not None
    assert later.notified_at is None
    assert [m["subject"] for m in mails_to(db, address)].count(
        "Harbour School asks about your badge"
    ) == 1

    # Declined and accepted again: the same triggers fire, no second invitation.
    backpack.decline_award(db, earner.id, award.id)
    backpack.accept_award(db, earner.id, award.id)
    work(runtime)
    assert (
        len(list(db.scalars(select(SurveyInvitation).where(SurveyInvitation.user_id == earner.id))))
        == 2
    )
    base = runtime.config.base_url

    # A week later: one reminder for the first; the 90-day one is not due.
    assert inviting.send_due(db, base_url=base, now=now + dt.timedelta(days=8)) == (0, 1)
    assert inviting.send_due(db, base_url=base, now=now + dt.timedelta(days=9)) == (0, 0)
    # 90 days on: the outcome invitation is mailed, then reminded once, then it expires.
    assert inviting.send_due(db, base_url=base, now=now + dt.timedelta(days=91)) == (1, 0)
    assert inviting.send_due(db, base_url=base, now=now + dt.timedelta(days=99)) == (0, 1)
    assert inviting.send_due(db, base_url=base, now=now + dt.timedelta(days=200)) == (0, 0)
    db.refresh(later)
    assert later.state(now + dt.timedelta(days=200)) == "expired"
    subjects = [m["subject"] for m in mails_to(db, address)]
    assert subjects.count("Reminder: Harbour School asks about your badge") == 2
    assert subjects.count("Harbour School asks about your badge") == 2


def test_an_award_of_another_wallet_or_origin_invites_nobody(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    staff, issuer, asked, _other, _survey = _setup(db, runtime)  # type: ignore[misc]
    earner = make_user(db)
    award = _received(db, runtime, staff, issuer, asked, earner)
    backpack.accept_award(db, earner.id, award.id)
    db.query(SurveyInvitation).delete()
    db.commit()
    # The same credential id under another origin is not ours.
    assert inviting.invite_after_acceptance(db, award.id, base_url="https://elsewhere.example") == 0
    assert inviting.invite_after_acceptance(db, award.id, base_url=runtime.config.base_url) == 2
