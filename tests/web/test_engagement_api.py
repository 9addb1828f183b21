"""The event feed, analytics and delivery log of the issuer API: the client's issuer only."""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from tests.api_helpers import api_caller
from tests.background import work
from tests.factories import make_user
from tests.integration.test_engagement_feed import give
from tests.integration.test_engagement_feed import make_issuer
from tests.receiver import Receiver
from wallet.backpack import service as backpack
from wallet.backpack.models import Award
from wallet.engagement import webhooks

if t.TYPE_CHECKING:
    import redis as redis_lib
    from flask import Flask
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


def test_the_feed_pages_in_order_and_shows_only_the_clients_issuer(
    app: Flask, db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    owner_id, issuer, achievement = make_issuer(db, runtime)
    mine = api_caller(app, db, owner_id=owner_id, issuer=issuer)
    other_owner, other, other_achievement = make_issuer(db, runtime, "Other")
    theirs = api_caller(app, db, owner_id=other_owner, issuer=other)
    awarded = [
        give(db, runtime, owner_id, issuer, achievement, f"p{n}@example.org") for n in range(3)
    ]
    give(db, runtime, other_owner, other, other_achievement, "q@example.org")
    work(runtime)
    http = app.test_client()

    first = http.get("/api/v1/events?limit=2", headers=mine.headers).json
    assert [e["data"]["award"]["id"] for e in first["items"]] == awarded[:2]
    assert [e["sequence"] for e in first["items"]] == [1, 2]
    assert set(first["items"][0]) == {"id", "type", "timestamp", "data", "sequence"}
    rest = http.get(f"/api/v1/events?after={first['next_cursor']}", headers=mine.headers).json
    assert [e["data"]["award"]["id"] for e in rest["items"]] == awarded[2:]
    empty = http.get(f"/api/v1/events?after={rest['next_cursor']}", headers=mine.headers).json
    assert empty == {"items": [], "next_cursor": rest["next_cursor"]}
    # A cursor past anything stored, up to 64 bits, is an empty page, not an error.
    beyond = http.get(f"/api/v1/events?after={2**63 - 1}", headers=mine.headers)
    assert beyond.status_code == 200
    assert beyond.json == {"items": [], "next_cursor": 2**63 - 1}

    other_feed = http.get("/api/v1/events", headers=theirs.headers).json["items"]
    assert len(other_feed) == 1
    assert set(awarded).isdisjoint(e["data"]["award"]["id"] for e in other_feed)


def test_analytics_count_issued_accepted_shares_and_views(
    app: Flask, db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    owner_id, issuer, achievement = make_issuer(db, runtime)
    mine = api_caller(app, db, owner_id=owner_id, issuer=issuer)
    earners = [make_user(db) for _ in range(2)]
    for earner in earners:
        give(db, runtime, owner_id, issuer, achievement, earner.emails[0].email)
    work(runtime)
    award = db.scalars(select(Award).where(Award.user_id == earners[0].id)).one()
    backpack.accept_award(db, earners[0].id, award.id)
    award.visibility = "public"
    db.commit()
    http = app.test_client()
    http.post(f"/a/{award.public_id}/share/linkedin")  # not the earner: not counted
    from wallet.events import outbox
    from wallet.events.catalog import AwardShared
    from wallet.events.catalog import AwardViewed

    outbox.record(
        db, AwardShared(award_id=award.id, channel="linkedin", about_user_id=earners[0].id)
    )
    for _ in range(3):
        outbox.record(db, AwardViewed(award_id=award.id, about_user_id=earners[0].id))
    db.commit()
    work(runtime)

    body = http.get("/api/v1/analytics", headers=mine.headers).json
    assert body["total"] == {
        "issued": 2,
        "accepted": 1,
        "acceptance_rate": 0.5,
        "shares": 1,
        "shares_by_channel": {"linkedin": 1},
        "share_rate": 1.0,
        "unique_viewers": 3,
        "views_per_share": 3.0,
        "recommendation_clicks": 0,
        "verifications": 0,
        "survey_responses": 0,
        "nps": None,
    }
    [entry] = body["achievements"]
    assert entry["id"] == achievement.public_id
    assert len(entry["months"]) == 1
    assert "earner" not in str(body)


def test_the_delivery_log_lists_each_attempt(
    app: Flask, db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    owner_id, issuer, achievement = make_issuer(db, runtime)
    mine = api_caller(app, db, owner_id=owner_id, issuer=issuer)
    receiver = Receiver(status=503, answer=b"try later").start()
    try:
        webhooks.create_endpoint(
            db,
            owner_id,
            issuer.id,
            url=receiver.url,
            description="",
            event_types=[],
            data_keys=runtime.config.data_keys,
            allow_http=True,
        )
        give(db, runtime, owner_id, issuer, achievement, "l@example.org")
        work(runtime)
    finally:
        receiver.stop()
    [delivery] = (
        app.test_client().get("/api/v1/webhooks/deliveries", headers=mine.headers).json["items"]
    )
    assert delivery["state"] == "pending"
    [attempt] = delivery["attempts"]
    assert attempt["status"] == 503
    assert attempt["response_start"] == "try later"
    assert attempt["ok"] is False
