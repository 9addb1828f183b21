"""From an issuer's system to an earner's wallet: token, achievement, award, sign-up, accept."""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from tests.api_helpers import api_caller
from tests.background import work
from tests.factories import PASSWORD
from tests.factories import link_in_last_mail
from tests.factories import mails_to
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from wallet.accounts.models import User
from wallet.backpack.models import Award

if t.TYPE_CHECKING:
    import redis as redis_lib
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


def test_an_api_award_reaches_a_new_earner_who_accepts_it(
    app: Flask, db: Session, client: FlaskClient, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    caller = api_caller(app, db, scopes=["achievements:write", "awards:write", "awards:read"])
    system = app.test_client()
    # The issuer's system: a token of its own, an achievement, an award to an address.
    token = system.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "scope": "achievements:write awards:write",
            "client_id": caller.client_id,
            "client_secret": caller.secret,
        },
    ).json["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    achievement = system.post(
        "/api/v1/achievements",
        json={"name": "First Aid", "description": "CPR.", "criteria": "Pass the course."},
        headers=bearer,
    ).json
    award = system.post(
        "/api/v1/awards",
        json={"achievement_id": achievement["id"], "recipient": {"email": "lea@example.org"}},
        headers=bearer | {"Idempotency-Key": "enrolment-42"},
    )
    assert award.status_code == 201
    work(runtime)
    work(runtime)
    assert [m["subject"] for m in mails_to(db, "lea@example.org")] == [
        "Example College awarded you a badge"
    ]

    # The earner signs up with that address and verifies it through the mailed link.
    submit(
        client,
        "/sign-up",
        {"email": "lea@example.org", "password": PASSWORD, "display_name": "Léa"},
    )
    link = link_in_last_mail(db, "lea@example.org", "/verify-email/")
    assert submit(client, link, {}).status_code == 302
    work(runtime)

    user = db.scalars(select(User).where(User.display_name == "Léa")).one()
    held = db.scalars(select(Award).where(Award.user_id == user.id)).one()
    assert held.acceptance == "pending"
    assert held.verification_status == "valid", held.verification
    assert held.credential_id == award.json["links"]["credential"]

    sign_in(client, "lea@example.org", PASSWORD)
    wallet = client.get("/wallet").get_data(as_text=True)
    assert "First Aid" in wallet
    accepted = submit(
        client, f"/wallet/awards/{held.id}", {}, action=f"/wallet/awards/{held.id}/accept"
    )
    assert accepted.status_code == 302
    db.refresh(held)
    assert held.acceptance == "accepted"
