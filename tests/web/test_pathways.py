"""Pathways through the pages: an issuer builds, publishes and archives one; earners see it and
their progress on the wallet, the award page and the pathway's own page."""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from tests.factories import PASSWORD
from tests.factories import make_user
from tests.pathway_helpers import academy
from tests.pathway_helpers import give
from tests.pathway_helpers import published_pathway
from tests.web.helpers import csrf_token
from tests.web.helpers import sign_in
from wallet.issuers import service as issuers
from wallet.issuers.models import AuditEntry
from wallet.issuers.models import Membership
from wallet.pathways.models import Pathway

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session
    from werkzeug.test import TestResponse


def _keys(app: Flask) -> tuple[str, ...]:
    return t.cast("tuple[str, ...]", app.extensions["wallet"].config.data_keys)


def _post(
    client: FlaskClient, path: str, data: dict[str, t.Any], *, prefix: str = ""
) -> TestResponse:
    token = csrf_token(client, "/reset-password")
    return client.post(path, data={**data, f"{prefix}csrf_token": token})


def _signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, email, PASSWORD)
    return client


def test_an_owner_builds_publishes_and_archives_a_pathway(app: Flask, db: Session) -> None:
    school = academy(db, _keys(app))
    other = academy(db, _keys(app), name="Data Guild")
    client = _signed_in(app, school.owner.emails[0].email)
    base = f"/issuers/{school.issuer.id}/pathways"
    assert base in client.get(f"/issuers/{school.issuer.id}").get_data(as_text=True)

    created = _post(
        client,
        base,
        {"name": "Cloud Architect", "description": "Go far.", "completion": school.milestone.id},
    )
    assert created.status_code == 302, created.get_data(as_text=True)
    pathway = db.scalars(select(Pathway).where(Pathway.issuer_id == school.issuer.id)).one()
    edit = f"{base}/{pathway.public_id}"
    assert created.headers["Location"].endswith(edit)
    assert pathway.completion_achievement_id == school.milestone.id

    rule = {"new-title": "Foundations", "new-kind": "level", "new-rule": "any", "new-required": "1"}
    assert _post(client, f"{edit}/groups", rule, prefix="new-").status_code == 302
    second = {"new-title": "Professional", "new-kind": "milestone", "new-rule": "all"}
    assert _post(client, f"{edit}/groups", second, prefix="new-").status_code == 302
    db.refresh(pathway)
    first_group, second_group = pathway.groups

    # Another issuer's achievement is found by name on this platform.
    found = client.get(f"{edit}?q=data+guild").get_data(as_text=True)
    assert "Networking" in found
    assert "Data Guild" in found
    for group, achievement_id in (
        (first_group, school.achievements[0].id),
        (first_group, other.achievements[1].id),
        (second_group, school.achievements[2].id),
    ):
        added = _post(
            client, f"{edit}/steps", {"group": group.id, "achievement_id": achievement_id}
        )
        assert added.status_code == 302, added.get_data(as_text=True)
    outside = {
        "group": second_group.id,
        "iri": "https://badges.elsewhere.example/classes/architecture",
        "title": "Architecture Exam",
    }
    assert _post(client, f"{edit}/steps", outside).status_code == 302
    db.refresh(pathway)
    assert [[s.title for s in g.steps] for g in pathway.groups] == [
        ["Networking", "Storage"],
        ["Security", "Architecture Exam"],
    ]
    assert pathway.groups[0].steps[1].achievement_iri == other.iri(other.achievements[1])

    # A draft is the team's: strangers get 404, the owner a preview.
    assert app.test_client().get(f"/pathways/{pathway.public_id}").status_code == 404
    assert "Preview" in client.get(f"/pathways/{pathway.public_id}").get_data(as_text=True)

    confirm = client.get(f"{edit}/publish").get_data(as_text=True)
    assert "Publish “Cloud Architect”?" in confirm
    published = _post(client, f"{edit}/publish", {})
    assert published.headers["Location"].endswith(f"/pathways/{pathway.public_id}")
    public = app.test_client().get(f"/pathways/{pathway.public_id}").get_data(as_text=True)
    assert "Level 1: Foundations" in public
    assert "Milestone 2: Professional" in public
    assert "any 1 of 2" in public
    assert "Skills: Object storage" in public  # the other issuer's achievement's skill
    assert "Skills along the way" in public
    assert "Architecture Exam" in public
    assert "Issued elsewhere" in public
    assert "Awarded automatically" in public

    assert "cannot be undone" in client.get(f"{edit}/archive").get_data(as_text=True)
    assert _post(client, f"{edit}/archive", {}).status_code == 302
    assert app.test_client().get(f"/pathways/{pathway.public_id}").status_code == 404
    actions = db.scalars(
        select(AuditEntry.action).where(AuditEntry.issuer_id == school.issuer.id)
    ).all()
    assert {"pathway.created", "pathway.updated", "pathway.published", "pathway.archived"} <= set(
        actions
    )


def test_mistakes_are_refused_with_a_clear_reason(app: Flask, db: Session) -> None:
    school = academy(db, _keys(app))
    pathway = published_pathway(db, school)
    client = _signed_in(app, school.owner.emails[0].email)
    edit = f"/issuers/{school.issuer.id}/pathways/{pathway.public_id}"
    first = pathway.groups[0]

    too_many = {
        f"g{first.id}-{k}": v
        for k, v in {"title": "F", "kind": "level", "rule": "any", "required": "3"}.items()
    }
    refused = _post(client, f"{edit}/groups/{first.id}", too_many, prefix=f"g{first.id}-")
    assert refused.status_code == 400
    assert "“any” must count from 1 to its number of steps (2)" in refused.get_data(as_text=True)

    for iri, reason in (
        ("ftp://badges.example/a", "starting with https://"),
        ("https://badges.example/" + "a" * 500, "at most 500 characters"),
    ):
        bad = _post(client, f"{edit}/steps", {"group": first.id, "iri": iri, "title": "A"})
        assert bad.status_code == 400
        assert reason in bad.get_data(as_text=True)

    # A published pathway stays complete: the last step of a level cannot go.
    last = pathway.groups[1].steps[0]
    _post(client, f"{edit}/steps/{last.id}/remove", {})
    assert "needs at least one step" in client.get(edit).get_data(as_text=True)
    db.refresh(pathway)
    assert len(pathway.groups[1].steps) == 1

    # A published pathway takes a new level with its first step, not an empty one.
    level = {"new-title": "Expert", "new-kind": "level", "new-rule": "all"}
    empty = _post(client, f"{edit}/groups", level, prefix="new-")
    assert "“Expert” needs at least one step." in empty.get_data(as_text=True)
    first = {**level, "new-first": str(school.achievements[1].id)}
    assert _post(client, f"{edit}/groups", first, prefix="new-").status_code == 302
    db.refresh(pathway)
    assert [s.title for s in pathway.groups[-1].steps] == ["Storage"]

    # A draft with an empty level cannot be published, and says why.
    draft = _post(client, f"/issuers/{school.issuer.id}/pathways", {"name": "Draft"})
    draft_edit = draft.headers["Location"]
    _post(
        client,
        f"{draft_edit}/groups",
        {"new-title": "Empty", "new-rule": "all", "new-kind": "level"},
        prefix="new-",
    )
    confirm = client.get(f"{draft_edit}/publish").get_data(as_text=True)
    assert "“Empty” needs at least one step." in confirm
    assert _post(client, f"{draft_edit}/publish", {}).status_code == 302
    assert db.scalars(select(Pathway.published_at).where(Pathway.name == "Draft")).one() is None


def test_only_owners_and_admins_change_pathways(app: Flask, db: Session) -> None:
    school = academy(db, _keys(app))
    pathway = published_pathway(db, school)
    awarder = make_user(db)
    db.add(Membership(issuer_id=school.issuer.id, user_id=awarder.id, role="awarder"))
    db.commit()
    client = _signed_in(app, awarder.emails[0].email)
    base = f"/issuers/{school.issuer.id}/pathways"
    listing = client.get(base)
    assert listing.status_code == 200
    assert "Cloud Architect" in listing.get_data(as_text=True)
    assert "New pathway" not in listing.get_data(as_text=True)
    assert _post(client, base, {"name": "Mine"}).status_code == 403
    assert client.get(f"{base}/{pathway.public_id}").status_code == 403
    assert _post(client, f"{base}/{pathway.public_id}/archive", {}).status_code == 403
    db.refresh(pathway)
    assert pathway.archived_at is None


def test_an_earner_sees_progress_on_the_wallet_award_and_pathway_pages(
    app: Flask, db: Session
) -> None:
    school = academy(db, _keys(app))
    pathway = published_pathway(db, school)
    earner = make_user(db)
    networking = give(db, earner, school.iri(school.achievements[0]), "Networking")
    unrelated = give(db, earner, "https://elsewhere.example/badge", "Knitting")
    client = _signed_in(app, earner.emails[0].email)

    wallet = client.get("/wallet").get_data(as_text=True)
    assert "1 of 2 toward Cloud Architect" in wallet
    assert "Done:</span> Networking" in wallet
    assert "Next, in “Professional”:" in wallet
    assert f'href="/pathways/{pathway.public_id}">Security</a>' in wallet

    # The award of Networking is on the pathway, Knitting is not.
    assert "Pathways this badge is on" in client.get(f"/wallet/awards/{networking.id}").get_data(
        as_text=True
    )
    assert "Pathways this badge is on" not in client.get(f"/wallet/awards/{unrelated.id}").get_data(
        as_text=True
    )

    page = client.get(f"/pathways/{pathway.public_id}").get_data(as_text=True)
    assert "1 of 2 toward Cloud Architect" in page
    assert page.count("(you hold it)") == 1


def test_declined_and_failed_awards_do_not_count(app: Flask, db: Session) -> None:
    school = academy(db, _keys(app))
    published_pathway(db, school)
    earner = make_user(db)
    give(db, earner, school.iri(school.achievements[0]), "Networking", acceptance="declined")
    give(db, earner, school.iri(school.achievements[1]), "Storage", verification_status="revoked")
    client = _signed_in(app, earner.emails[0].email)
    assert "toward Cloud Architect" not in client.get("/wallet").get_data(as_text=True)


def test_an_admin_may_build_pathways(app: Flask, db: Session) -> None:
    school = academy(db, _keys(app))
    admin = make_user(db)
    db.add(Membership(issuer_id=school.issuer.id, user_id=admin.id, role="admin"))
    db.commit()
    client = _signed_in(app, admin.emails[0].email)
    created = _post(client, f"/issuers/{school.issuer.id}/pathways", {"name": "Admin's"})
    assert created.status_code == 302
    assert issuers.get_issuer(db, admin.id, school.issuer.id)[1].role == "admin"
