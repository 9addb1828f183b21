"""Pathways through the issuer API: create, get, list by cursor, replace, archive; scopes hold,
mistakes get 422 with the reason, and one issuer's client never reaches another's pathways."""

from __future__ import annotations

import typing as t

from tests.api_helpers import api_caller
from tests.pathway_helpers import academy
from wallet.issuers import service as issuers
from wallet.issuers.models import AuditEntry

if t.TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy.orm import Session


def _keys(app: Flask) -> tuple[str, ...]:
    return t.cast("tuple[str, ...]", app.extensions["wallet"].config.data_keys)


def _body(own: str, other: str, milestone: str | None) -> dict[str, t.Any]:
    return {
        "name": "Data Engineer",
        "description": "From SQL to pipelines.",
        "completion_achievement_id": milestone,
        "published": True,
        "groups": [
            {
                "title": "Foundations",
                "rule": "any",
                "required": 1,
                "steps": [{"achievement_id": own}, {"achievement_id": other, "title": "Storage"}],
            },
            {
                "title": "Certified",
                "kind": "milestone",
                "steps": [
                    {"iri": "https://exams.example/badges/de-cert", "title": "DE Certification"}
                ],
            },
        ],
    }


def test_a_client_creates_reads_lists_replaces_and_archives_a_pathway(
    app: Flask, db: Session
) -> None:
    caller = api_caller(app, db)
    own = issuers.create_achievement(
        db, caller.owner_id, caller.issuer.id, {"name": "SQL", "description": "d", "criteria": "c"}
    )
    milestone = issuers.create_achievement(
        db, caller.owner_id, caller.issuer.id, {"name": "DE", "description": "d", "criteria": "c"}
    )
    other = academy(db, _keys(app))
    http = app.test_client()
    body = _body(own.public_id, other.achievements[1].public_id, milestone.public_id)

    created = http.post("/api/v1/pathways", json=body, headers=caller.headers)
    assert created.status_code == 201, created.get_json()
    pathway = created.get_json()
    assert pathway["status"] == "published"
    assert pathway["completion_achievement_id"] == milestone.public_id
    foundations, certified = pathway["groups"]
    assert foundations["rule"] == "any"
    assert foundations["required"] == 1
    assert [s["title"] for s in foundations["steps"]] == ["SQL", "Storage"]
    assert foundations["steps"][1]["achievement_id"] == other.achievements[1].public_id
    assert foundations["steps"][1]["achievement_iri"] == other.iri(other.achievements[1])
    assert certified["steps"][0] == {
        "achievement_iri": "https://exams.example/badges/de-cert",
        "achievement_id": None,
        "title": "DE Certification",
    }
    assert created.headers["Location"].endswith(f"/api/v1/pathways/{pathway['id']}")
    assert http.get(pathway["links"]["page"].removeprefix("http://localhost")).status_code == 200

    fetched = http.get(f"/api/v1/pathways/{pathway['id']}", headers=caller.headers)
    assert fetched.get_json() == pathway

    replaced = http.put(
        f"/api/v1/pathways/{pathway['id']}",
        json={**body, "name": "Data Engineer II", "groups": body["groups"][1:]},
        headers=caller.headers,
    )
    assert replaced.status_code == 200, replaced.get_json()
    assert replaced.get_json()["name"] == "Data Engineer II"
    assert [g["title"] for g in replaced.get_json()["groups"]] == ["Certified"]

    archived = http.delete(f"/api/v1/pathways/{pathway['id']}", headers=caller.headers)
    assert archived.get_json()["status"] == "archived"
    again = http.put(f"/api/v1/pathways/{pathway['id']}", json=body, headers=caller.headers)
    assert again.status_code == 409

    actions = {
        entry.action
        for entry in db.query(AuditEntry).filter(AuditEntry.issuer_id == caller.issuer.id)
    }
    assert {"pathway.created", "pathway.updated", "pathway.archived"} <= actions


def test_the_list_pages_by_cursor(app: Flask, db: Session) -> None:
    caller = api_caller(app, db)
    http = app.test_client()
    outside = {"iri": "https://exams.example/badges/x", "title": "X"}
    made = []
    for number in range(5):
        body = {"name": f"P{number}", "groups": [{"title": "G", "steps": [outside]}]}
        made.append(http.post("/api/v1/pathways", json=body, headers=caller.headers).get_json())
    seen: list[str] = []
    url = "/api/v1/pathways?limit=2"
    while url:
        page = http.get(url, headers=caller.headers).get_json()
        seen += [p["id"] for p in page["items"]]
        url = page["next"].removeprefix("http://localhost") if page["next"] else ""
    assert seen == [p["id"] for p in made]
    assert all(p["status"] == "draft" for p in made)
    bad = http.get("/api/v1/pathways?cursor=nonsense", headers=caller.headers)
    assert bad.status_code == 400


def test_mistakes_get_422_with_the_reason(app: Flask, db: Session) -> None:
    caller = api_caller(app, db)
    other = academy(db, _keys(app))
    http = app.test_client()
    step = {"iri": "https://exams.example/badges/x", "title": "X"}
    cases = [
        (
            {
                "name": "P",
                "groups": [{"title": "G", "rule": "any", "required": 2, "steps": [step]}],
            },
            "required",
        ),
        ({"name": "P", "groups": [{"title": "G", "steps": []}]}, "groups.0.steps"),
        (
            {
                "name": "P",
                "groups": [{"title": "G", "steps": [{"iri": "ftp://x.example/b", "title": "B"}]}],
            },
            "iri",
        ),
        (
            {"name": "P", "groups": [{"title": "G", "steps": [step, step]}]},
            "same achievement twice",
        ),
        (
            {"name": "P", "groups": [{"title": "G", "steps": [{"achievement_id": "0" * 32}]}]},
            "0" * 32,
        ),
        # The completion badge must be the issuer's own.
        (
            {
                "name": "P",
                "completion_achievement_id": other.milestone.public_id,
                "groups": [{"title": "G", "steps": [step]}],
            },
            "your own achievements",
        ),
    ]
    for body, reason in cases:
        refused = http.post("/api/v1/pathways", json=body, headers=caller.headers)
        assert refused.status_code == 422, (body, refused.get_json())
        assert reason in str(refused.get_json()), refused.get_json()


def test_scopes_and_issuers_are_kept_apart(app: Flask, db: Session) -> None:
    reader = api_caller(app, db, scopes=["pathways:read"])
    writer = api_caller(app, db, name="Another")
    http = app.test_client()
    body = {
        "name": "P",
        "groups": [{"title": "G", "steps": [{"iri": "https://e.example/b", "title": "B"}]}],
    }
    assert http.post("/api/v1/pathways", json=body, headers=reader.headers).status_code == 403
    made = http.post("/api/v1/pathways", json=body, headers=writer.headers).get_json()
    assert http.get(f"/api/v1/pathways/{made['id']}", headers=reader.headers).status_code == 404
    assert http.get("/api/v1/pathways", headers=reader.headers).get_json()["items"] == []
