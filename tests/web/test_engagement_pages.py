"""The engagement pages: webhook endpoints, analytics by role, the earner's consent."""

from __future__ import annotations

import typing as t

import pytest
from sqlalchemy import select

from tests.background import work
from tests.factories import PASSWORD
from tests.factories import make_user
from tests.integration.test_engagement_feed import give
from tests.integration.test_engagement_feed import make_issuer
from tests.receiver import Receiver
from tests.web.helpers import csrf_token
from tests.web.helpers import sign_in
from wallet import errors
from wallet.accounts.models import User
from wallet.engagement import webhooks
from wallet.engagement.models import EngagementConsent
from wallet.engagement.models import WebhookEndpoint
from wallet.issuers.models import Membership

if t.TYPE_CHECKING:
    import redis as redis_lib
    from flask import Flask
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


def _signed_in(app: Flask, user: User) -> t.Any:
    client = app.test_client()
    sign_in(client, user.emails[0].email, PASSWORD)
    return client


def test_an_admin_adds_an_endpoint_sees_the_secret_once_and_a_test_event_is_logged(
    app: Flask, db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    owner_id, issuer, _achievement = make_issuer(db, runtime)
    client = _signed_in(app, db.get_one(User, owner_id))
    receiver = Receiver().start()
    try:
        page = client.post(
            f"/issuers/{issuer.id}/webhooks",
            data={
                "csrf_token": csrf_token(client, f"/issuers/{issuer.id}/webhooks"),
                "url": receiver.url,
                "event_types": ["award.shared", "award.viewed"],
            },
        )
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "whsec_" in html
        endpoint = db.scalars(select(WebhookEndpoint)).one()
        assert endpoint.event_types == ["award.shared", "award.viewed"]
        assert "whsec_" not in endpoint.secret_sealed
        detail = f"/issuers/{issuer.id}/webhooks/{endpoint.public_id}"
        assert "whsec_" not in client.get(detail).get_data(as_text=True)
        assert "whsec_" not in client.get(f"/issuers/{issuer.id}/webhooks").get_data(as_text=True)

        client.post(detail + "/test", data={"csrf_token": csrf_token(client, detail)})
        work(runtime)
    finally:
        receiver.stop()
    assert len(receiver.requests) == 1
    log = client.get(detail).get_data(as_text=True)
    assert "webhook.test" in log
    assert "HTTP 200" in log
    assert "Delivered" in log


def test_only_https_endpoints_outside_tests() -> None:
    with pytest.raises(errors.Invalid):
        webhooks.check_url("http://hooks.example/in", allow_http=False)
    assert webhooks.check_url("https://hooks.example/in", allow_http=False)


def test_analysts_read_analytics_but_cannot_manage_webhooks(
    app: Flask, db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    owner_id, issuer, achievement = make_issuer(db, runtime)
    give(db, runtime, owner_id, issuer, achievement, "n@example.org")
    analyst, awarder = make_user(db), make_user(db)
    db.add(Membership(issuer_id=issuer.id, user_id=analyst.id, role="analyst"))
    db.add(Membership(issuer_id=issuer.id, user_id=awarder.id, role="awarder"))
    db.commit()
    as_analyst = _signed_in(app, analyst)
    page = as_analyst.get(f"/issuers/{issuer.id}/analytics")
    assert page.status_code == 200
    assert "Welding" in page.get_data(as_text=True)
    csv_text = as_analyst.get(f"/issuers/{issuer.id}/analytics.csv").get_data(as_text=True)
    assert any(
        line.startswith(f"achievement,{achievement.public_id},Welding,")
        for line in csv_text.splitlines()
    )
    assert as_analyst.get(f"/issuers/{issuer.id}/webhooks").status_code == 403
    as_awarder = _signed_in(app, awarder)
    assert as_awarder.get(f"/issuers/{issuer.id}/analytics").status_code == 403


def test_an_earner_lets_one_issuer_see_their_name_and_no_one_else_can(
    app: Flask, db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    owner_id, issuer, achievement = make_issuer(db, runtime)
    earner, stranger = make_user(db), make_user(db)
    give(db, runtime, owner_id, issuer, achievement, earner.emails[0].email)
    work(runtime)  # the award reaches the earner's wallet
    client = _signed_in(app, earner)
    page = client.get("/settings/issuers").get_data(as_text=True)
    assert "College" in page
    assert "without your name" in page
    response = client.post(
        f"/settings/issuers/{issuer.public_id}",
        data={"csrf_token": csrf_token(client, "/settings/issuers"), "value": "1"},
    )
    assert response.status_code == 302
    consent = db.scalars(select(EngagementConsent)).one()
    assert (consent.user_id, consent.identified) == (earner.id, True)
    assert "see your name and email" in client.get("/settings/issuers").get_data(as_text=True)

    other = _signed_in(app, stranger)
    refused = other.post(
        f"/settings/issuers/{issuer.public_id}",
        data={"csrf_token": csrf_token(other, "/settings/issuers"), "value": "1"},
    )
    assert refused.status_code == 404
    assert "College" not in other.get("/settings/issuers").get_data(as_text=True)
