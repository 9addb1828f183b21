"""Surveys at a phone's width: an earner answers from the award page's prompt (first with
mistakes, told on each question), declines another; the issuer reads results and defines one."""

from __future__ import annotations

import datetime as dt
import typing as t
import uuid

from tests.e2e.browser import assert_page_is_usable
from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from tests.web.survey_helpers import answer_directly
from wallet.config import config_for_tests
from wallet.db import Database
from wallet.db import utcnow
from wallet.issuers import service as issuers
from wallet.surveys import service as surveys
from wallet.surveys.models import SurveyInvitation
from wallet.surveys.models import SurveyTrigger

if t.TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser
    from playwright.sync_api import Page


def _sign_in(page: Page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()


def test_an_earner_answers_on_a_phone_and_the_issuer_reads_the_results(
    page: Page, browser: Browser, live_server: str, e2e_database_url: str, tmp_path: Path
) -> None:
    owner_email = f"owner-{uuid.uuid4().hex[:8]}@example.org"
    earner_email = f"earner-{uuid.uuid4().hex[:8]}@example.org"
    database = Database(e2e_database_url)
    with database.session() as session:
        owner = make_user(session, email=owner_email, display_name="Olga")
        earner = make_user(session, email=earner_email, display_name="Nell")
        issuer = issuers.create_issuer(
            session,
            owner.id,
            name="Harbour School",
            url="https://harbour.example",
            email="h@harbour.example",
            description="",
            data_keys=config_for_tests(tmp_path).data_keys,
        )
        achievement = issuers.create_achievement(
            session, owner.id, issuer.id, {"name": "Rope Work", "description": "d", "criteria": "c"}
        )
        survey = surveys.create_survey(
            session,
            owner.id,
            issuer.id,
            surveys.Definition(
                title="How was Rope Work?",
                intro="Three questions.",
                questions=[
                    {"type": "nps", "text": "Would you recommend it?", "required": True},
                    {
                        "type": "single",
                        "text": "Did it help you find work?",
                        "options": ["Yes", "No", "Not yet"],
                        "required": True,
                    },
                    {"type": "text", "text": "What should we change?", "max_length": 300},
                ],
                achievement_ids=[achievement.id],
            ),
        )
        for score in (10, 9, 7, 3, 10):
            answer_directly(session, survey, achievement, {"q1": score, "q2": "Yes"})
        award = make_award(session, earner, achievement_name="Rope Work")
        later = SurveyTrigger(survey_id=survey.id, kind="days_after", days=1)
        session.add(later)
        session.flush()
        now = utcnow()
        # One invitation from accepting (with the award page's prompt), one from a day later.
        for trigger_id, award_id in ((survey.triggers[0].id, award.id), (later.id, None)):
            session.add(
                SurveyInvitation(
                    survey_id=survey.id,
                    trigger_id=trigger_id,
                    user_id=earner.id,
                    achievement_id=achievement.id,
                    award_id=award_id,
                    available_at=now,
                    notified_at=now,
                    expires_at=now + dt.timedelta(days=30),
                )
            )
        session.commit()
        ids = (award.id, issuer.id)
    database.dispose()
    award_id, issuer_id = ids

    _sign_in(page, live_server, earner_email)
    page.goto(f"{live_server}/wallet/awards/{award_id}")
    assert page.get_by_text("Harbour School asks how this badge is working for you").is_visible()
    assert_page_is_usable(page)
    page.get_by_role("link", name="Answer the survey").click()
    assert page.get_by_role("heading", name="What Harbour School will see").is_visible()
    assert_page_is_usable(page)

    page.get_by_label("What should we change?").fill("More knots")
    page.get_by_role("button", name="Send answers").click()
    assert page.get_by_text("2 answers need another look").is_visible()
    assert page.get_by_text("Answer this question.").first.is_visible()
    assert page.get_by_label("What should we change?").input_value() == "More knots"
    assert_page_is_usable(page)

    page.get_by_role("group", name="Would you recommend it?").get_by_text("9", exact=True).click()
    page.get_by_role("group", name="Did it help you find work?").get_by_text("Not yet").click()
    page.get_by_label("Share my name with my answers").check()
    page.get_by_role("button", name="Send answers").click()
    assert page.get_by_text("Thank you: your answers were sent to Harbour School.").is_visible()
    assert page.get_by_text("answered").first.is_visible()
    assert_page_is_usable(page)

    page.get_by_role("link", name="How was Rope Work?").click()
    page.get_by_role("link", name="Decline").click()
    assert page.get_by_role("heading", name="Decline “How was Rope Work?”?").is_visible()
    assert_page_is_usable(page)
    page.get_by_role("button", name="Decline the survey").click()
    assert page.get_by_text("You declined the survey.").is_visible()

    staff = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    _sign_in(staff, live_server, owner_email)
    staff.goto(f"{live_server}/issuers/{issuer_id}")
    staff.get_by_role("link", name="Surveys").click()
    assert staff.get_by_role("heading", name="Surveys").is_visible()
    assert_page_is_usable(staff)
    staff.get_by_role("link", name="How was Rope Work?").click()
    assert staff.get_by_text("Net Promoter Score: 50").is_visible()  # 10 10 9 9 7 3
    assert staff.get_by_text("Nell").first.is_visible()
    assert_page_is_usable(staff)
    staff.get_by_label("Earners of").select_option(label="Rope Work")
    staff.get_by_role("button", name="Show").click()
    assert staff.get_by_text("Net Promoter Score: 50").is_visible()

    staff.goto(f"{live_server}/issuers/{issuer_id}/surveys/new")
    assert_page_is_usable(staff)
    staff.get_by_label("Title").fill("Six months on")
    staff.get_by_label("Rope Work").check()
    staff.get_by_label("Also ask this many days after they accept it").fill("180")
    staff.get_by_label("Question", exact=True).first.fill("Did the badge help you find work?")
    staff.get_by_label("Answer type").first.select_option("single")
    staff.get_by_label("Options").first.fill("Yes\nNo")
    staff.get_by_role("button", name="Save survey").click()
    assert staff.get_by_role("heading", name="Six months on").is_visible()
    assert staff.get_by_text("Too few answers in this group").is_visible()
    assert_page_is_usable(staff)
    staff.get_by_role("link", name="Edit the survey").click()
    assert_page_is_usable(staff)
    staff.context.close()
