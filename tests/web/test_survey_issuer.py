"""The issuer side of surveys through its pages: define, edit into versions, read results, CSV."""

from __future__ import annotations

import csv
import io
import typing as t

from tests.factories import PASSWORD
from tests.factories import make_user
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from tests.web.survey_helpers import answer_directly
from tests.web.survey_helpers import issuer_with_survey
from wallet.issuers import members
from wallet.issuers.models import Membership
from wallet.surveys.models import Survey

if t.TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy.orm import Session


def _form(achievement_id: int, **extra: str) -> dict[str, t.Any]:
    return {
        "title": "How was Welding I?",
        "intro": "Two minutes.",
        "achievements": str(achievement_id),
        "on_accept": "y",
        "days_after": "180",
        "expires_after_days": "30",
        "remind_after_days": "7",
        "questions-0-text": "Would you recommend the course?",
        "questions-0-type": "nps",
        "questions-0-required": "y",
        "questions-1-text": "Did it help you find work?",
        "questions-1-type": "single",
        "questions-1-options": "Yes\nNo\nNot yet",
        "questions-2-text": "",
        "questions-2-type": "rating",
        **extra,
    }


def test_an_owner_defines_a_survey_and_edits_it_into_a_new_version(app: Flask, db: Session) -> None:
    owner, issuer, achievement, _survey = issuer_with_survey(app, db)
    client = app.test_client()
    sign_in(client, owner.emails[0].email, PASSWORD)
    dashboard = client.get(f"/issuers/{issuer.id}").get_data(as_text=True)
    assert f"/issuers/{issuer.id}/surveys" in dashboard

    response = submit(client, f"/issuers/{issuer.id}/surveys/new", _form(achievement.id))
    assert response.status_code == 302, response.get_data(as_text=True)
    survey = db.get_one(Survey, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert [q["type"] for q in survey.current.questions] == ["nps", "single"]
    assert {(t.kind, t.days) for t in survey.active_triggers()} == {
        ("accepted", 0),
        ("days_after", 180),
    }

    edit = f"/issuers/{issuer.id}/surveys/{survey.id}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert "Would you recommend the course?" in page
    assert "Not yet" in page
    changed = _form(achievement.id, **{"questions-0-id": "q1", "questions-1-id": "q2"})
    changed["questions-1-options"] = "Yes\nNo"
    del changed["days_after"]
    response = submit(client, edit, changed)
    assert response.status_code == 302
    db.refresh(survey)
    assert survey.current.number == 2
    assert survey.versions[0].questions[1]["options"] == ["Yes", "No", "Not yet"]
    assert {(t.kind, t.days) for t in survey.active_triggers()} == {("accepted", 0)}
    # Saving without changing the questions makes no version.
    assert submit(client, edit, changed).status_code == 302
    db.refresh(survey)
    assert survey.current.number == 2


def test_a_bad_definition_is_refused_field_by_field(app: Flask, db: Session) -> None:
    owner, issuer, achievement, _survey = issuer_with_survey(app, db)
    client = app.test_client()
    sign_in(client, owner.emails[0].email, PASSWORD)
    form = _form(achievement.id, **{"questions-1-options": "Only one"})
    form["achievements"] = "999999"
    response = submit(client, f"/issuers/{issuer.id}/surveys/new", form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Give at least two options, one a line." in page
    assert "Choose among your own achievements." in page
    assert db.query(Survey).filter_by(issuer_id=issuer.id, title="How was Welding I?").count() == 0


def test_results_show_nothing_under_five_then_distributions_and_csv(
    app: Flask, db: Session
) -> None:
    owner, issuer, achievement, survey = issuer_with_survey(app, db)
    client = app.test_client()
    sign_in(client, owner.emails[0].email, PASSWORD)
    page = f"/issuers/{issuer.id}/surveys/{survey.id}"
    for score in (10, 9, 3, 8):
        answer_directly(db, survey, achievement, {"q1": score, "q3": f"said {score}"})
    shown = client.get(page).get_data(as_text=True)
    assert "Too few answers in this group" in shown
    assert "said 10" not in shown
    rows = list(csv.reader(io.StringIO(client.get(page + "/results.csv").get_data(as_text=True))))
    assert all("said" not in cell for row in rows for cell in row)
    assert any("Fewer than 5 answers" in cell for row in rows for cell in row)

    answer_directly(db, survey, achievement, {"q1": 10, "q3": "=cmd()"}, name_shared=False)
    shown = client.get(page).get_data(as_text=True)
    assert "Net Promoter Score: 40" in shown  # 3 promoters, 1 passive, 1 detractor of 5
    assert "said 3" in shown
    rows = list(csv.reader(io.StringIO(client.get(page + "/results.csv").get_data(as_text=True))))
    assert ["Would you recommend it?", "Net Promoter Score", "40", "", ""] in rows
    assert any(row[1] == "'=cmd()" for row in rows)
    # Another achievement's earners: a group of none.
    other = client.get(page + f"?achievement={achievement.id}").get_data(as_text=True)
    assert "said 3" in other


def test_awarders_and_strangers_do_not_see_results(app: Flask, db: Session) -> None:
    owner, issuer, _achievement, survey = issuer_with_survey(app, db)
    awarder = make_user(db)
    db.add(Membership(issuer_id=issuer.id, user_id=awarder.id, role="awarder"))
    analyst = make_user(db)
    db.add(Membership(issuer_id=issuer.id, user_id=analyst.id, role="analyst"))
    db.commit()
    stranger = make_user(db)
    page = f"/issuers/{issuer.id}/surveys/{survey.id}"
    for user, status in ((awarder, 403), (stranger, 404), (analyst, 200)):
        client = app.test_client()
        sign_in(client, user.emails[0].email, PASSWORD)
        assert client.get(page).status_code == status
        assert client.get(page + "/results.csv").status_code == status
    client = app.test_client()
    sign_in(client, analyst.emails[0].email, PASSWORD)
    assert client.get(page + "/edit").status_code == 403
    assert client.get(f"/issuers/{issuer.id}/surveys/new").status_code == 403
    assert members  # the team module is what grants roles in real life
