"""The issuer API: achievements and awards, isolation between issuers, idempotency, batches."""

from __future__ import annotations

import json
import typing as t

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from tests.api_helpers import ApiCaller
from tests.api_helpers import api_caller
from wallet.badges.verify import verify
from wallet.issuer_api.models import ApiRequest
from wallet.issuers.models import IssuedAward
from wallet.issuers.publishing import own_documents_first

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime

ACHIEVEMENT = {
    "name": "Welding I",
    "description": "Safe MIG welding.",
    "criteria": "Pass the practical.",
    "achievement_type": "Course",
    "skills": [{"name": "welding", "framework": "ESCO", "code": "S6.1"}],
    "tags": ["metal"],
}


def _achievement(client: FlaskClient, caller: ApiCaller, **fields: t.Any) -> dict[str, t.Any]:
    response = client.post(
        "/api/v1/achievements", json=ACHIEVEMENT | fields, headers=caller.headers
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return t.cast("dict[str, t.Any]", response.json)


def _award(client: FlaskClient, caller: ApiCaller, achievement_id: str, email: str, **kw: t.Any):  # type: ignore[no-untyped-def]
    body = {"achievement_id": achievement_id, "recipient": {"email": email, "name": "Ana"}}
    return client.post("/api/v1/awards", json=body, headers=caller.headers | kw)


def test_achievements_are_created_read_changed_and_archived(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db)
    created = _achievement(client, caller)
    assert created["skills"][0]["name"] == "welding"
    assert created["links"]["badge_class"].endswith(f"/ob/v2/badges/{created['id']}")
    path = f"/api/v1/achievements/{created['id']}"
    changed = client.patch(path, json={"level": "Beginner"}, headers=caller.headers)
    assert changed.status_code == 200
    assert changed.json["level"] == "Beginner"
    assert changed.json["name"] == "Welding I"
    listed = client.get("/api/v1/achievements", headers=caller.headers).json["items"]
    assert [a["id"] for a in listed] == [created["id"]]
    archived = client.delete(path, headers=caller.headers)
    assert archived.json["archived"] is True
    assert client.get("/api/v1/achievements", headers=caller.headers).json["items"] == []
    refused = _award(client, caller, created["id"], "x@example.org")
    assert refused.status_code == 404


def test_invalid_bodies_get_422_with_per_field_errors(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db)
    response = client.post(
        "/api/v1/achievements",
        json={"name": " ", "achievement_type": "Nope", "extra": 1},
        headers=caller.headers,
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    fields = {error["field"] for error in response.json["errors"]}
    assert fields == {"name", "achievement_type", "extra"}
    not_json = client.post("/api/v1/achievements", data="name=x", headers=caller.headers)
    assert not_json.status_code == 415


def test_an_issuers_client_cannot_see_or_touch_another_issuers_things(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    mine = api_caller(app, db, name="Mine")
    theirs = api_caller(app, db, name="Theirs")
    achievement = _achievement(client, mine)
    award = _award(client, mine, achievement["id"], "a@example.org").json
    for method, path, body in [
        ("GET", f"/api/v1/achievements/{achievement['id']}", None),
        ("PATCH", f"/api/v1/achievements/{achievement['id']}", {"name": "Stolen"}),
        ("DELETE", f"/api/v1/achievements/{achievement['id']}", None),
        ("GET", f"/api/v1/awards/{award['id']}", None),
        ("POST", f"/api/v1/awards/{award['id']}/revoke", {"reason": "no"}),
        (
            "POST",
            "/api/v1/awards",
            {"achievement_id": achievement["id"], "recipient": {"email": "b@example.org"}},
        ),
    ]:
        response = client.open(path, method=method, json=body, headers=theirs.headers)
        assert response.status_code == 404, (method, path)
    assert client.get("/api/v1/awards", headers=theirs.headers).json["items"] == []
    assert client.get("/api/v1/issuer", headers=theirs.headers).json["name"] == "Theirs"
    assert client.get(f"/api/v1/awards/{award['id']}", headers=mine.headers).json["status"] == (
        "active"
    )


def test_an_award_made_through_the_api_verifies_and_revokes(
    app: Flask, db: Session, client: FlaskClient, runtime: Runtime
) -> None:
    caller = api_caller(app, db)
    achievement = _achievement(client, caller)
    response = _award(client, caller, achievement["id"], "Ana@Example.org")
    assert response.status_code == 201
    award = response.json
    assert award["recipient"]["email"] == "ana@example.org"
    assert response.headers["Location"].endswith(f"/api/v1/awards/{award['id']}")
    assert (
        client.get(award["links"]["assertion"].removeprefix("http://localhost")).status_code == 200
    )
    issued = db.scalars(select(IssuedAward).where(IssuedAward.public_id == award["id"])).one()
    assert award["links"]["credential"] == issued.credential["id"]
    fetch = own_documents_first(db, runtime.config, runtime.http.get)
    report = verify(json.dumps(issued.credential), fetch=fetch, recipients=["ana@example.org"])
    assert report.status == "valid", report.to_json()

    revoked = client.post(
        f"/api/v1/awards/{award['id']}/revoke", json={"reason": "Error"}, headers=caller.headers
    )
    assert revoked.json["status"] == "revoked"
    again = client.post(
        f"/api/v1/awards/{award['id']}/revoke", json={"reason": "Error"}, headers=caller.headers
    )
    assert again.status_code == 409
    db.expire_all()
    report = verify(json.dumps(issued.credential), fetch=fetch, recipients=["ana@example.org"])
    assert report.status == "invalid"


def test_the_same_idempotency_key_returns_the_same_award_and_refuses_another_body(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db)
    achievement = _achievement(client, caller)
    first = _award(client, caller, achievement["id"], "a@example.org", **{"Idempotency-Key": "k1"})
    second = _award(client, caller, achievement["id"], "a@example.org", **{"Idempotency-Key": "k1"})
    assert first.status_code == second.status_code == 201
    assert first.json["id"] == second.json["id"]
    assert second.headers["Idempotent-Replayed"] == "true"
    other = _award(client, caller, achievement["id"], "b@example.org", **{"Idempotency-Key": "k1"})
    assert other.status_code == 409
    count = db.scalar(select(func.count()).select_from(IssuedAward))
    assert count == 1
    # Keys belong to a client: another client's "k1" is its own.
    stranger = api_caller(app, db, name="Other")
    theirs = _achievement(client, stranger)
    assert (
        _award(
            client, stranger, theirs["id"], "a@example.org", **{"Idempotency-Key": "k1"}
        ).status_code
        == 201
    )


def test_a_batch_with_invalid_items_awards_the_valid_ones_and_reports_each(
    app: Flask, db: Session, client: FlaskClient, runtime: Runtime
) -> None:
    caller = api_caller(app, db)
    achievement = _achievement(client, caller)
    items: list[t.Any] = [
        {"achievement_id": achievement["id"], "recipient": {"email": f"p{i}@example.org"}}
        for i in range(1000)
    ]
    bad = {
        7: {"achievement_id": achievement["id"], "recipient": {"email": "no-at-sign"}},
        300: {"achievement_id": "f" * 32, "recipient": {"email": "x@example.org"}},
        999: {"recipient": {"email": "y@example.org"}},
    }
    for index, item in bad.items():
        items[index] = item
    headers = caller.headers | {"Idempotency-Key": "batch-1"}
    response = client.post("/api/v1/awards/batch", json={"items": items}, headers=headers)
    assert response.status_code == 200
    body = response.json
    assert (body["created"], body["failed"]) == (997, 3)
    assert [r["index"] for r in body["results"]] == list(range(1000))
    assert {r["index"] for r in body["results"] if r["status"] == "failed"} == set(bad)
    assert body["results"][999]["error"]["errors"][0]["field"] == "achievement_id"
    assert db.scalar(select(func.count()).select_from(IssuedAward)) == 997
    # Replayed, not redone.
    again = client.post("/api/v1/awards/batch", json={"items": items}, headers=headers)
    assert again.json == body
    assert db.scalar(select(func.count()).select_from(IssuedAward)) == 997
    # Every credential verifies (a sample: each is signed the same way).
    fetch = own_documents_first(db, runtime.config, runtime.http.get)
    for result in body["results"][::250]:
        issued = db.scalars(
            select(IssuedAward).where(IssuedAward.public_id == result["award"]["id"])
        ).one()
        report = verify(json.dumps(issued.credential), fetch=fetch)
        assert report.status == "valid", report.to_json()


def test_awards_are_listed_newest_first_through_an_opaque_cursor(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db)
    achievement = _achievement(client, caller)
    made = [
        _award(client, caller, achievement["id"], f"p{i}@example.org").json["id"] for i in range(5)
    ]
    seen: list[str] = []
    url: str | None = "/api/v1/awards?limit=2"
    while url:
        page = client.get(url, headers=caller.headers)
        assert page.status_code == 200
        seen += [item["id"] for item in page.json["items"]]
        url = page.json["next"] and page.json["next"].removeprefix("http://localhost")
    assert seen == made[::-1]
    bad = client.get("/api/v1/awards?cursor=garbage", headers=caller.headers)
    assert bad.status_code == 400
    assert client.get("/api/v1/awards?limit=0", headers=caller.headers).status_code == 422


def test_an_award_is_expired_and_replaced_through_the_api(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db)
    achievement = _achievement(client, caller)
    first = _award(client, caller, achievement["id"], "ana@example.org").json
    expired = client.post(f"/api/v1/awards/{first['id']}/expire", json={}, headers=caller.headers)
    assert expired.status_code == 200, expired.json
    assert expired.json["status"] == "expired"
    assert expired.json["expires_at"] is not None
    early = client.post(
        f"/api/v1/awards/{first['id']}/expire",
        json={"at": "2001-01-01T00:00:00Z"},
        headers=caller.headers,
    )
    assert early.status_code == 400

    second = _award(client, caller, achievement["id"], "bo@example.org").json
    replaced = client.post(
        f"/api/v1/awards/{second['id']}/replace",
        json={"recipient": {"email": "bo@example.net", "name": "Bo"}},
        headers=caller.headers,
    )
    assert replaced.status_code == 201, replaced.json
    assert replaced.json["recipient"]["email"] == "bo@example.net"
    assert replaced.json["recipient"]["name"] == "Bo"
    old = client.get(f"/api/v1/awards/{second['id']}", headers=caller.headers).json
    assert old["status"] == "revoked"
    assert old["replaced_by"] == replaced.json["id"]
    again = client.post(f"/api/v1/awards/{second['id']}/replace", json={}, headers=caller.headers)
    assert again.status_code == 409


def test_an_award_to_a_web_address_comes_back_with_its_claim_link(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db)
    achievement = _achievement(client, caller)
    body = {"achievement_id": achievement["id"], "recipient": {"url": "https://ana.example/me"}}
    made = client.post("/api/v1/awards", json=body, headers=caller.headers)
    assert made.status_code == 201, made.json
    assert made.json["recipient"]["type"] == "url"
    assert made.json["recipient"]["url"] == "https://ana.example/me"
    assert made.json["claim_url"].startswith("http://localhost/claim/")
    both = {
        "achievement_id": achievement["id"],
        "recipient": {"email": "a@b.example", "phone": "+15550100200"},
    }
    refused = client.post("/api/v1/awards", json=both, headers=caller.headers)
    assert refused.status_code == 422
    batch = client.post(
        "/api/v1/awards/batch",
        json={
            "items": [
                {"achievement_id": achievement["id"], "recipient": {"phone": "+15550100200"}},
                {"achievement_id": achievement["id"], "recipient": {"email": "bo@example.org"}},
            ]
        },
        headers=caller.headers,
    )
    assert batch.json["created"] == 2, batch.json
    first, second = (r["award"] for r in batch.json["results"])
    assert first["recipient"]["phone"] == "+15550100200"
    assert first["claim_url"] is not None
    assert second["claim_url"] is None


def test_each_batch_result_shows_its_award_as_reading_it_back_does(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db)
    achievement = _achievement(client, caller, valid_days=30)
    recipients = [
        {"email": "Ana@Example.org", "name": "Ana"},
        {"url": "https://bo.example/me#card"},
        {"phone": "+442079460958"},
    ]
    items = [{"achievement_id": achievement["id"], "recipient": r} for r in recipients]
    headers = caller.headers | {"Idempotency-Key": "shown-1"}
    batch = client.post("/api/v1/awards/batch", json={"items": items}, headers=headers)
    assert batch.json["created"] == 3, batch.json
    for result in batch.json["results"]:
        read = client.get(f"/api/v1/awards/{result['award']['id']}", headers=caller.headers)
        assert result["award"] == read.json
    assert batch.json["results"][0]["error"] is None
    # A batch cut short (its answer never remembered) is finished by its retry, which shows
    # the awards already made the same way and makes none twice.
    db.execute(update(ApiRequest).values(status=0, response={}))
    retried = client.post("/api/v1/awards/batch", json={"items": items}, headers=headers)
    assert retried.json == batch.json
    assert db.scalar(select(func.count()).select_from(IssuedAward)) == 3
