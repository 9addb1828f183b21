"""Analytics of recommendation clicks, verifications, pathways and survey NPS (issue 10).

The pathway and recommendation features record their events through the outbox; these tests
record the same events directly, as those features will.
"""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from tests.api_helpers import api_caller
from tests.background import work
from tests.factories import PASSWORD
from tests.factories import make_user
from tests.integration.test_engagement_feed import give
from tests.integration.test_engagement_feed import make_issuer
from tests.web.helpers import sign_in
from tests.web.survey_helpers import answer_directly
from tests.web.survey_helpers import issuer_with_survey
from wallet.backpack.models import Award
from wallet.events import outbox
from wallet.events.catalog import AwardVerified
from wallet.events.catalog import PathwayCompleted
from wallet.events.catalog import PathwayProgressed
from wallet.events.catalog import RecommendationClicked
from wallet.pathways.models import Pathway

if t.TYPE_CHECKING:
    import redis as redis_lib
    from flask import Flask
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


def _engaged(app: Flask, db: Session, runtime: Runtime) -> dict[str, t.Any]:
    """An issuer whose earner was recommended, verified and moved along a pathway."""
    owner, issuer, achievement, survey = issuer_with_survey(app, db)
    earner = make_user(db)
    give(db, runtime, owner.id, issuer, achievement, earner.emails[0].email)
    work(runtime)
    held = db.scalars(select(Award).where(Award.user_id == earner.id)).one()
    pathway = Pathway(issuer_id=issuer.id, name="Deckhand")
    _other_owner, _other, elsewhere = make_issuer(db, runtime, "Elsewhere")
    db.add(pathway)
    db.flush()
    for event in (
        RecommendationClicked(achievement_id=achievement.id, about_user_id=earner.id),
        RecommendationClicked(
            achievement_id=achievement.id, pathway_id=pathway.id, about_user_id=earner.id
        ),
        RecommendationClicked(pathway_id=pathway.id, about_user_id=earner.id),
        # Another issuer's recommendation: never in this issuer's figures.
        RecommendationClicked(achievement_id=elsewhere.id, about_user_id=earner.id),
        PathwayProgressed(
            pathway_id=pathway.id,
            issuer_id=pathway.issuer_id,
            step_iri="https://a.example/1",
            done=1,
            needed=2,
            about_user_id=earner.id,
        ),
        PathwayProgressed(
            pathway_id=pathway.id,
            issuer_id=pathway.issuer_id,
            step_iri="https://a.example/2",
            done=2,
            needed=2,
            about_user_id=earner.id,
        ),
        PathwayCompleted(
            pathway_id=pathway.id, issuer_id=pathway.issuer_id, about_user_id=earner.id
        ),
        AwardVerified(award_id=held.id, result="valid"),
        AwardVerified(award_id=held.id, result="valid"),
    ):
        outbox.record(db, event)
    db.commit()
    work(runtime)
    caller = api_caller(app, db, owner_id=owner.id, issuer=issuer)
    return {
        "owner": owner,
        "issuer": issuer,
        "achievement": achievement,
        "survey": survey,
        "pathway": pathway,
        "headers": caller.headers,
    }


def test_the_api_counts_clicks_verifications_and_pathway_moves(
    app: Flask, db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    found = _engaged(app, db, runtime)
    body = app.test_client().get("/api/v1/analytics", headers=found["headers"]).json

    assert body["total"]["recommendation_clicks"] == 3
    assert body["total"]["verifications"] == 2
    [entry] = body["achievements"]
    assert entry["total"]["recommendation_clicks"] == 2
    assert entry["total"]["verifications"] == 2
    [pathway] = body["pathways"]
    assert pathway["id"] == found["pathway"].public_id
    assert pathway["name"] == "Deckhand"
    assert pathway["total"] == {"progressed": 2, "completed": 1, "recommendation_clicks": 2}
    assert [month["period"] for month in pathway["months"]] == [
        month["period"] for month in body["months"]
    ]


def test_the_pathway_events_reach_the_feed_under_the_pseudonym(
    app: Flask, db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    found = _engaged(app, db, runtime)
    items = app.test_client().get("/api/v1/events", headers=found["headers"]).json["items"]
    completed = next(item for item in items if item["type"] == "pathway.completed")
    assert completed["data"]["pathway"] == {"id": found["pathway"].public_id, "name": "Deckhand"}
    assert completed["data"]["earner"]["id"].startswith("ern_")
    assert "name" not in completed["data"]["earner"]
    progressed = [item for item in items if item["type"] == "pathway.progressed"]
    assert [item["data"]["progress"] for item in progressed] == [
        {"done": 1, "needed": 2},
        {"done": 2, "needed": 2},
    ]
    verified = [item for item in items if item["type"] == "award.verified"]
    assert [item["data"]["result"] for item in verified] == ["valid", "valid"]


def test_survey_nps_shows_from_five_answers(
    app: Flask, db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    found = _engaged(app, db, runtime)
    http = app.test_client()
    for score in (10, 10, 9, 1):
        answer_directly(db, found["survey"], found["achievement"], {"q1": score})
    few = http.get("/api/v1/analytics", headers=found["headers"]).json
    assert few["total"]["survey_responses"] == 4
    assert few["total"]["nps"] is None
    answer_directly(db, found["survey"], found["achievement"], {"q1": 8})
    body = http.get("/api/v1/analytics", headers=found["headers"]).json
    assert body["total"]["survey_responses"] == 5
    assert body["total"]["nps"] == 40  # 3 promoters, 1 passive, 1 detractor
    assert body["achievements"][0]["total"]["nps"] == 40


def test_the_dashboard_and_csv_show_the_new_figures(
    app: Flask, db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    found = _engaged(app, db, runtime)
    for score in (10, 10, 9, 1, 8):
        answer_directly(db, found["survey"], found["achievement"], {"q1": score})
    client = app.test_client()
    sign_in(client, found["owner"].emails[0].email, PASSWORD)
    issuer_id = found["issuer"].id

    page = client.get(f"/issuers/{issuer_id}/analytics").get_data(as_text=True)
    assert "Pathway: Deckhand" in page
    assert "Recommendation clicks" in page
    assert "NPS 40" in page

    rows = client.get(f"/issuers/{issuer_id}/analytics.csv").get_data(as_text=True).splitlines()
    header = rows[0].split(",")
    issuer_row = dict(zip(header, rows[1].split(","), strict=True))
    assert issuer_row["kind"] == "issuer"
    assert issuer_row["recommendation_clicks"] == "3"
    assert issuer_row["verifications"] == "2"
    assert issuer_row["nps"] == "40"
    [pathway_row] = [row for row in rows if row.startswith("pathway,")]
    pathway = dict(zip(header, pathway_row.split(","), strict=True))
    assert pathway["id"] == found["pathway"].public_id
    assert (pathway["progressed"], pathway["completed"]) == ("2", "1")
    assert pathway["recommendation_clicks"] == "2"
