"""Surveys through the issuer API: defined with surveys:write, results with analytics:read, k >= 5
held there too, and one issuer's client never reaches another's surveys."""

from __future__ import annotations

import typing as t

from tests.api_helpers import api_caller
from tests.web.survey_helpers import answer_directly
from tests.web.survey_helpers import issuer_with_survey
from wallet.issuers import service as issuers
from wallet.surveys.models import Survey

if t.TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy.orm import Session

BODY = {
    "title": "After the course",
    "intro": "Two minutes.",
    "triggers": {"on_accept": True, "days_after": 180},
    "questions": [
        {"type": "nps", "text": "Would you recommend it?", "required": True},
        {"type": "single", "text": "Did it help you find work?", "options": ["Yes", "No"]},
        {"type": "text", "text": "Anything else?", "max_length": 500},
    ],
}


def test_a_client_defines_a_survey_and_replaces_it_into_a_new_version(
    app: Flask, db: Session
) -> None:
    caller = api_caller(app, db)
    achievement = issuers.create_achievement(
        db,
        caller.owner_id,
        caller.issuer.id,
        {"name": "Welding", "description": "d", "criteria": "c"},
    )
    http = app.test_client()
    body = {**BODY, "achievement_ids": [achievement.public_id]}
    created = http.post("/api/v1/surveys", json=body, headers=caller.headers)
    assert created.status_code == 201, created.get_json()
    survey = created.get_json()
    assert survey["version"] == 1
    assert survey["triggers"] == {"on_accept": True, "days_after": 180, "on_pathway": False}
    assert [q["id"] for q in survey["questions"]] == ["q1", "q2", "q3"]
    assert created.headers["Location"].endswith(f"/api/v1/surveys/{survey['id']}")

    changed = {**body, "questions": [{"id": "q1", "type": "nps", "text": "Recommend it?"}]}
    replaced = http.put(f"/api/v1/surveys/{survey['id']}", json=changed, headers=caller.headers)
    assert replaced.status_code == 200
    assert replaced.get_json()["version"] == 2
    assert replaced.get_json()["questions"][0]["id"] == "q1"
    listed = http.get("/api/v1/surveys", headers=caller.headers).get_json()
    assert [s["id"] for s in listed["items"]] == [survey["id"]]

    bad = {**body, "questions": [{"type": "single", "text": "One option", "options": ["A"]}]}
    refused = http.post("/api/v1/surveys", json=bad, headers=caller.headers)
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == [
        {"field": "questions.0", "message": "Give at least two options, one a line."}
    ]


def test_results_hold_k_of_five_in_the_api(app: Flask, db: Session) -> None:
    owner, issuer, achievement, survey = issuer_with_survey(app, db)
    caller = api_caller(app, db, owner_id=owner.id, issuer=issuer)
    http = app.test_client()
    path = f"/api/v1/surveys/{survey.public_id}/results"
    for score in (10, 10, 9, 1):
        answer_directly(db, survey, achievement, {"q1": score, "q3": f"said {score}"})
    small = http.get(path, headers=caller.headers).get_json()
    assert small["shown"] is False
    assert small["responses"] is None
    for item in small["questions"]:
        assert item["counts"] == []
        assert item["texts"] == []
        assert item["answered"] is None
        assert item["nps"] is None
    answer_directly(db, survey, achievement, {"q1": 8, "q3": "said 8"})
    found = http.get(path, headers=caller.headers).get_json()
    assert found["shown"] is True
    assert found["responses"] == 5
    assert found["questions"][0]["nps"] == 40
    assert found["questions"][2]["texts"] == sorted(f"said {n}" for n in (10, 10, 9, 1, 8))
    by_achievement = http.get(
        path + f"?achievement_id={achievement.public_id}", headers=caller.headers
    ).get_json()
    assert by_achievement["responses"] == 5
    # A filter to an achievement the survey does not ask about is not found.
    other = issuers.create_achievement(
        db, owner.id, issuer.id, {"name": "Other", "description": "d", "criteria": "c"}
    )
    assert (
        http.get(path + f"?achievement_id={other.public_id}", headers=caller.headers).status_code
        == 404
    )


def test_scopes_and_issuers_are_held(app: Flask, db: Session) -> None:
    owner, issuer, achievement, survey = issuer_with_survey(app, db)
    http = app.test_client()
    writer = api_caller(app, db, owner_id=owner.id, issuer=issuer, scopes=["surveys:write"])
    path = f"/api/v1/surveys/{survey.public_id}"
    assert http.get(path + "/results", headers=writer.headers).status_code == 403
    assert http.get(path, headers=writer.headers).status_code == 200
    stranger = api_caller(app, db, name="Another School")
    assert http.get(path, headers=stranger.headers).status_code == 404
    assert http.get(path + "/results", headers=stranger.headers).status_code == 404
    body = {**BODY, "achievement_ids": [achievement.public_id]}
    assert http.put(path, json=body, headers=stranger.headers).status_code == 404
    refused = http.post("/api/v1/surveys", json=body, headers=stranger.headers)
    assert refused.status_code == 422
    assert db.get_one(Survey, survey.id).current.number == 1
