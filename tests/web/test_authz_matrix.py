"""Every route is listed with who may use it, and each listing holds for real requests."""

from __future__ import annotations

import datetime as dt
import json
import typing as t
from pathlib import Path

import pytest

from tests.api_helpers import api_caller
from tests.factories import PASSWORD
from tests.factories import make_user
from tests.web.authz_matrix import CALLERS
from tests.web.authz_matrix import MATRIX
from tests.web.authz_matrix import Case
from tests.web.helpers import csrf_token
from tests.web.helpers import sign_in
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import SocialAccount
from wallet.backpack.bulk_import import start_batch
from wallet.backpack.collection_service import link_token
from wallet.backpack.models import Collection
from wallet.backpack.models import CollectionItem
from wallet.backpack.models import DataExport
from wallet.backpack.service import add_award
from wallet.badges import baking
from wallet.badges.report import Report
from wallet.db import utcnow
from wallet.engagement import webhooks
from wallet.issuer_api import service as api_service
from wallet.issuers import awarding
from wallet.issuers import csv_awarding
from wallet.issuers import service as issuers
from wallet.pathways import recommendation_links
from wallet.pathways import rules as pathway_rules
from wallet.pathways import service as pathways
from wallet.pathways.recommendation_models import RecommendationDismissal
from wallet.profiles import service as profiles
from wallet.surveys import service as surveys
from wallet.surveys.models import SurveyInvitation

PNG = (
    Path(__file__).parent.parent / "data/vectors/ob2/openbadges-bakery/public_domain_heart.png"
).read_bytes()

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        listed = {case.method for case in MATRIX.get(rule.endpoint, [])}
        for method in (rule.methods or set()) - IGNORED_METHODS:
            if method not in listed:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert missing == [], "routes without an authorization entry:\n" + "\n".join(missing)


def test_the_matrix_lists_no_route_that_does_not_exist(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(MATRIX) - endpoints == set()


CASES = [
    pytest.param(case, caller, id=f"{endpoint}-{case.method}-{caller}")
    for endpoint, cases in MATRIX.items()
    for case in cases
    for caller in CALLERS
]


def _client_for(app: Flask, db: Session, caller: str, owner_email: str) -> FlaskClient:
    client = app.test_client()
    if caller == "earner":
        sign_in(client, owner_email, PASSWORD)
    elif caller in ("other_earner", "issuer_staff"):
        stranger = make_user(db)
        sign_in(client, stranger.emails[0].email, PASSWORD)
    return client


@pytest.mark.parametrize(("case", "caller"), CASES)
def test_the_caller_gets_what_the_matrix_says(
    app: Flask, db: Session, case: Case, caller: str
) -> None:
    owner = make_user(db)
    extra = EmailAddress(email=f"x{owner.id}@example.org", normalized=f"x{owner.id}@example.org")
    owner.emails.append(extra)
    db.commit()
    report = Report(format="ob3-credential", checked_at=utcnow())
    award = add_award(db, owner.id, original=b"{}", original_type="application/json", report=report)
    baked = baking.bake_png(PNG, '{"id": "urn:uuid:shared"}', "ob3")
    shared = add_award(db, owner.id, original=baked, original_type="image/png", report=report)
    shared.visibility = "public"
    collection = Collection(user_id=owner.id, name="Work", visibility="link")
    collection.items = [CollectionItem(award_id=award.id), CollectionItem(award_id=shared.id)]
    db.add(collection)
    finished = DataExport(
        user_id=owner.id, status="ready", done=1, total=1, content=b"PK\x05\x06" + bytes(18)
    )
    finished.ready_at, finished.expires_at = utcnow(), utcnow() + dt.timedelta(days=7)
    db.add(finished)
    db.commit()
    keys = app.extensions["wallet"].config.data_keys
    issuer = issuers.create_issuer(
        db,
        owner.id,
        name="I",
        url="https://i.example",
        email="i@i.example",
        description="",
        data_keys=keys,
    )
    achievement = issuers.create_achievement(
        db, owner.id, issuer.id, {"name": "A", "description": "d", "criteria": "c"}
    )
    issued = awarding.award(
        db,
        owner.id,
        issuer.id,
        achievement.id,
        email="e@example.org",
        base_url="http://localhost",
        data_keys=keys,
    )
    survey = surveys.create_survey(
        db,
        owner.id,
        issuer.id,
        surveys.Definition(
            title="S",
            intro="",
            questions=[{"type": "nps", "text": "Recommend?", "required": True}],
            achievement_ids=[achievement.id],
        ),
    )
    invitation = SurveyInvitation(
        survey_id=survey.id,
        trigger_id=survey.triggers[0].id,
        user_id=owner.id,
        available_at=utcnow(),
        expires_at=utcnow() + dt.timedelta(days=30),
    )
    db.add(invitation)
    db.commit()
    endpoint, _whsec = webhooks.create_endpoint(
        db,
        owner.id,
        issuer.id,
        url="https://hooks.i.example/in",
        description="",
        event_types=[],
        data_keys=keys,
    )
    delivery = webhooks.send_test(db, owner.id, issuer.id, endpoint.public_id)
    # The earner holds the issued award: the issuer appears on their sharing page.
    add_award(
        db,
        owner.id,
        original=b'{"held": true}',
        original_type="application/json",
        report=report,
        credential_id=f"http://localhost/ob/v3/credentials/{issued.public_id}",
    )
    batch = start_batch(db, owner.id, [("a.json", b"{}"), ("b.json", b"{}")])
    linked = SocialAccount(user_id=owner.id, provider="github", uid=f"gh-{owner.id}")
    db.add(linked)
    db.commit()
    api_client, _secret = api_service.create_client(
        db, owner.id, issuer.id, name="Records", scopes=["awards:read"]
    )
    share_link, share_token = profiles.create_share_link(
        db,
        owner.id,
        name="Acme",
        award_ids=[award.id, shared.id],
        expires_at=utcnow() + dt.timedelta(days=7),
    )
    pathway = pathways.create_pathway(db, owner.id, issuer.id, name="P")
    group = pathways.add_group(
        db, owner.id, issuer.id, pathway.public_id, pathway_rules.GroupSpec("Level")
    )
    step = pathways.add_step(
        db,
        owner.id,
        issuer.id,
        pathway.public_id,
        group.id,
        achievement_id=achievement.id,
        base_url="http://localhost",
    )
    pathways.publish(db, owner.id, issuer.id, pathway.public_id)
    dismissal = RecommendationDismissal(user_id=owner.id, target="https://x.example/d", title="D")
    db.add(dismissal)
    db.commit()
    recommendation_token = recommendation_links.make(
        app.extensions["wallet"].config.secret_key,
        recommendation_links.Link(
            user_id=owner.id,
            target=f"http://localhost/ob/v2/badges/{achievement.public_id}",
            title="A",
            reason="co_earned",
        ),
    )
    client = _client_for(app, db, caller, owner.emails[0].email)
    headers = api_caller(app, db, name="Another").headers if caller == "api_client" else {}
    names = {
        "email_id": extra.id,
        "award_id": award.id,
        "public_id": award.public_id,
        "shared_award_id": shared.id,
        "shared_public_id": shared.public_id,
        "collection_id": collection.id,
        "collection_token": link_token(app.config["SECRET_KEY"], collection),
        "export_id": finished.id,
        "issuer_id": issuer.id,
        "upload_id": csv_awarding.start_upload(
            db, owner.id, issuer.id, achievement.id, b"email\nu@example.org\n", "u.csv"
        ).id,
        "owner_id": owner.id,
        "issuer_public_id": issuer.public_id,
        "achievement_id": achievement.id,
        "achievement_public_id": achievement.public_id,
        "issued_public_id": issued.public_id,
        "batch_id": batch.id,
        "client_id": api_client.id,
        "survey_id": survey.id,
        "survey_public_id": survey.public_id,
        "invitation_id": invitation.id,
        "handle": owner.handle,
        "share_link_id": share_link.id,
        "share_token": share_token,
        "social_account_id": linked.id,
        "endpoint_id": endpoint.public_id,
        "delivery_id": delivery.public_id,
        "pathway_id": pathway.public_id,
        "group_id": group.id,
        "step_id": step.id,
        "recommendation_token": recommendation_token,
        "dismissal_id": dismissal.id,
    }
    path = case.path.format(**names)
    data = {name: value.format(**names) for name, value in case.data.items()}
    if case.method != "GET":
        data["csrf_token"] = csrf_token(client, "/reset-password")

    if case.json is not None:
        body = json.loads(
            json.dumps(case.json).replace("{achievement_public_id}", achievement.public_id)
        )
        response = client.open(path, method=case.method, json=body, headers=headers)
    else:
        response = client.open(path, method=case.method, data=data, headers=headers)

    assert response.status_code == case.expect[caller], response.get_data(as_text=True)[:500]
