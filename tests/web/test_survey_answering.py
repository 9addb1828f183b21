"""The earner side of surveys through its pages: answer once, with field-level errors that store
nothing; decline; the award page's prompt; nobody else's invitation; old versions stay readable."""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from tests.web.helpers import csrf_token
from tests.web.helpers import sign_in
from tests.web.survey_helpers import answer_directly
from tests.web.survey_helpers import invite
from tests.web.survey_helpers import issuer_with_survey
from wallet.events.models import OutboxMessage
from wallet.surveys import service
from wallet.surveys.models import SurveyInvitation
from wallet.surveys.models import SurveyResponse

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session


def _earner_invited(app: Flask, db: Session) -> tuple[FlaskClient, t.Any, t.Any, t.Any, t.Any]:
    owner, issuer, achievement, survey = issuer_with_survey(app, db)
    earner = make_user(db, display_name="Nell Diaz")
    award = make_award(db, earner, achievement_name="Rope Work")
    invitation = invite(db, survey, achievement, earner, award_id=award.id)
    client = app.test_client()
    sign_in(client, earner.emails[0].email, PASSWORD)
    return client, survey, invitation, award, (owner, issuer, achievement)


def _post(client: FlaskClient, path: str, data: dict[str, t.Any]) -> t.Any:
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


def _completed(db: Session) -> list[dict[str, t.Any]]:
    rows = db.scalars(select(OutboxMessage).where(OutboxMessage.type == "survey.completed"))
    return [row.payload for row in rows]


def test_wrong_answers_are_said_on_their_questions_and_nothing_is_stored(
    app: Flask, db: Session
) -> None:
    client, _survey, invitation, _award, _ = _earner_invited(app, db)
    path = f"/wallet/surveys/{invitation.id}"
    cases = [
        ({"q2": "3"}, "q1", "Answer this question."),  # missing required
        ({"q1": "eleven"}, "q1", "Choose a number from 0 to 10."),  # wrong type
        ({"q1": "11"}, "q1", "Choose a number from 0 to 10."),  # out of range
        ({"q1": "9", "q2": "0"}, "q2", "Choose a number from 1 to 5."),  # out of range
        ({"q1": "9", "q3": "x" * 201}, "q3", "Write at most 200 characters (you wrote 201)."),
    ]
    for sent, question, message in cases:
        response = _post(client, path, {f"q-{k}": v for k, v in sent.items()})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, sent
        assert f'id="e-{question}">{message}</p>' in page, (sent, page[-3000:])
        assert "Nothing was sent yet." in page
    # What the earner typed is still there to correct.
    response = _post(client, path, {"q-q1": "11", "q-q3": "Keep this text"})
    assert "Keep this text" in response.get_data(as_text=True)
    assert (
        db.scalar(select(SurveyResponse).where(SurveyResponse.invitation_id == invitation.id))
        is None
    )
    db.refresh(invitation)
    assert invitation.answered_at is None
    assert _completed(db) == []


def test_an_unknown_option_is_refused(app: Flask, db: Session) -> None:
    owner, issuer, achievement, survey = issuer_with_survey(app, db)
    service.update_survey(
        db,
        owner.id,
        issuer.id,
        survey.id,
        service.Definition(
            title=survey.title,
            intro="",
            questions=[
                {
                    "type": "single",
                    "text": "Got a job?",
                    "options": ["Yes", "No"],
                    "required": True,
                },
                {"type": "multiple", "text": "Used it for", "options": ["CV", "Promotion"]},
            ],
            achievement_ids=[achievement.id],
        ),
    )
    earner = make_user(db)
    invitation = invite(db, survey, achievement, earner)
    client = app.test_client()
    sign_in(client, earner.emails[0].email, PASSWORD)
    path = f"/wallet/surveys/{invitation.id}"
    ids = [q["id"] for q in survey.current.questions]
    response = _post(client, path, {f"q-{ids[0]}": "Maybe", f"q-{ids[1]}": ["CV", "Hacking"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose one of the listed options." in page
    assert "Choose among the listed options." in page
    assert (
        db.scalar(select(SurveyResponse.id).where(SurveyResponse.invitation_id == invitation.id))
        is None
    )


def test_answers_are_kept_once_anonymously_unless_the_earner_shares_their_name(
    app: Flask, db: Session
) -> None:
    client, survey, invitation, award, _ = _earner_invited(app, db)
    path = f"/wallet/surveys/{invitation.id}"
    form = client.get(path).get_data(as_text=True)
    assert "What Harbour School will see" in form
    token = csrf_token(client, path)
    data = {"q-q1": "9", "q-q2": "4", "q-q3": "More practice", "csrf_token": token, "version": "1"}
    first = client.post(path, data=data)
    assert first.status_code == 302
    again = client.post(path, data=data)  # a double submit
    assert again.status_code == 302
    assert "already answered" in client.get("/wallet/surveys").get_data(as_text=True)
    stored = list(db.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)))
    assert len(stored) == 1
    assert stored[0].answers == {"q1": 9, "q2": 4, "q3": "More practice"}
    assert stored[0].identified is False
    (event,) = _completed(db)
    assert event["answers"] is None
    assert event["about_user_id"] is None
    assert event["identified"] is False


def test_an_earner_who_opts_in_is_named_with_their_answers(app: Flask, db: Session) -> None:
    client, survey, invitation, _award, (owner, issuer, achievement) = _earner_invited(app, db)
    path = f"/wallet/surveys/{invitation.id}"
    response = _post(
        client, path, {"q-q1": "10", "q-q3": "Loved it", "identified": "y", "version": "1"}
    )
    assert response.status_code == 302
    (event,) = _completed(db)
    assert event["answers"] == {"q1": 10, "q3": "Loved it"}
    assert event["achievement_id"] == achievement.public_id
    staff = app.test_client()
    sign_in(staff, owner.emails[0].email, PASSWORD)
    page = staff.get(f"/issuers/{issuer.id}/surveys/{survey.id}").get_data(as_text=True)
    assert "Nell Diaz" in page
    assert "Loved it" in page
    assert "Too few answers in this group" in page


def test_the_award_page_prompts_and_declining_ends_the_invitation(app: Flask, db: Session) -> None:
    client, _survey, invitation, award, _ = _earner_invited(app, db)
    page = client.get(f"/wallet/awards/{award.id}").get_data(as_text=True)
    assert "Harbour School asks how this badge is working for you" in page
    assert f"/wallet/surveys/{invitation.id}" in page
    decline = f"/wallet/surveys/{invitation.id}/decline"
    assert "will not ask you about it again" in client.get(decline).get_data(as_text=True)
    assert _post(client, decline, {}).status_code == 302
    db.refresh(invitation)
    assert invitation.declined_at is not None
    page = client.get(f"/wallet/awards/{award.id}").get_data(as_text=True)
    assert "asks how this badge is working for you" not in page
    response = _post(client, f"/wallet/surveys/{invitation.id}", {"q-q1": "5"})
    assert response.status_code == 302
    assert (
        db.scalar(select(SurveyResponse.id).where(SurveyResponse.invitation_id == invitation.id))
        is None
    )


def test_another_earner_cannot_see_answer_or_decline(app: Flask, db: Session) -> None:
    _client, _survey, invitation, _award, _ = _earner_invited(app, db)
    stranger = app.test_client()
    sign_in(stranger, make_user(db).emails[0].email, PASSWORD)
    path = f"/wallet/surveys/{invitation.id}"
    token = csrf_token(stranger, "/wallet/surveys")
    assert stranger.get(path).status_code == 404
    assert stranger.post(path, data={"q-q1": "1", "csrf_token": token}).status_code == 404
    assert stranger.post(path + "/decline", data={"csrf_token": token}).status_code == 404
    assert "Rope Work feedback" not in stranger.get("/wallet/surveys").get_data(as_text=True)
    assert db.get_one(SurveyInvitation, invitation.id).declined_at is None


def test_a_survey_edited_after_answers_keeps_them_readable(app: Flask, db: Session) -> None:
    owner, issuer, achievement, survey = issuer_with_survey(app, db)
    for score in (10, 9, 8, 7, 2):
        answer_directly(db, survey, achievement, {"q1": score, "q3": f"old {score}"})
    service.update_survey(
        db,
        owner.id,
        issuer.id,
        survey.id,
        service.Definition(
            title=survey.title,
            intro="",
            questions=[
                {"id": "q1", "type": "nps", "text": "Would you recommend it to a colleague?"},
                {"type": "single", "text": "Did it help you find work?", "options": ["Yes", "No"]},
            ],
            achievement_ids=[achievement.id],
        ),
    )
    assert survey.current.number == 2
    client = app.test_client()
    sign_in(client, owner.emails[0].email, PASSWORD)
    path = f"/issuers/{issuer.id}/surveys/{survey.id}"
    latest = client.get(path).get_data(as_text=True)
    assert "Did it help you find work?" in latest
    assert "old 10" not in latest
    first = client.get(path + "?version=1").get_data(as_text=True)
    assert "Would you recommend it?" in first
    assert "What should we change?" in first
    assert "old 2" in first
    assert "Net Promoter Score: 20" in first  # 2 promoters, 1 detractor of 5
