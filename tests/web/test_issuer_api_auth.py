"""OAuth2 for the issuer API: tokens, scopes, expiry and revocation, and the clients page."""

from __future__ import annotations

import datetime as dt
import typing as t

from sqlalchemy import select

from tests.api_helpers import api_caller
from tests.api_helpers import basic
from tests.api_helpers import get_token
from tests.factories import PASSWORD
from tests.factories import make_user
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from wallet.issuer_api.models import ApiClient
from wallet.issuer_api.models import ApiToken
from wallet.issuer_api.models import digest
from wallet.issuers.models import Membership

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session


def test_a_client_gets_a_bearer_token_with_basic_or_post_auth(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db, scopes=["awards:read", "awards:write"])
    by_basic = get_token(client, caller.client_id, caller.secret, "awards:read")
    assert by_basic.status_code == 200
    assert by_basic.json["token_type"] == "Bearer"
    assert by_basic.json["expires_in"] == 3600
    assert by_basic.json["scope"] == "awards:read"
    by_post = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": caller.client_id,
            "client_secret": caller.secret,
        },
    )
    assert by_post.status_code == 200
    assert by_post.json["scope"] == "awards:read awards:write"
    # Only hashes are stored: neither the secret nor the token is in the database.
    stored = db.scalars(select(ApiToken.token_hash)).all()
    assert by_post.json["access_token"] not in stored
    assert digest(by_post.json["access_token"]) in stored
    row = db.scalars(select(ApiClient).where(ApiClient.client_id == caller.client_id)).one()
    assert row.secret_hash == digest(caller.secret) != caller.secret


def test_unknown_client_or_wrong_secret_is_invalid_client(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db)
    wrong = get_token(client, caller.client_id, "not-the-secret")
    assert wrong.status_code == 401
    assert wrong.json["error"] == "invalid_client"
    unknown = get_token(client, "0" * 32, caller.secret)
    assert unknown.status_code == 401
    assert unknown.json["error"] == "invalid_client"


def test_a_scope_the_client_lacks_is_refused_not_dropped(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db, scopes=["awards:read"])
    response = get_token(client, caller.client_id, caller.secret, "awards:read awards:write")
    assert response.status_code == 400
    assert response.json["error"] == "invalid_scope"
    assert "awards:write" in response.json["error_description"]
    unknown = get_token(client, caller.client_id, caller.secret, "everything")
    assert unknown.json["error"] == "invalid_scope"


def test_a_token_without_the_operations_scope_gets_403(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db, scopes=["awards:read"])
    response = client.get("/api/v1/achievements", headers=caller.headers)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]
    allowed = client.get("/api/v1/awards", headers=caller.headers)
    assert allowed.status_code == 200
    # Counted per client in Redis, under the API's own limit.
    assert allowed.headers["X-RateLimit-Limit"] == "600"
    again = client.get("/api/v1/awards", headers=caller.headers)
    assert int(again.headers["X-RateLimit-Remaining"]) < int(
        allowed.headers["X-RateLimit-Remaining"]
    )


def test_missing_expired_revoked_or_unknown_tokens_get_401_with_www_authenticate(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db)
    assert client.get("/api/v1/issuer", headers=caller.headers).status_code == 200

    missing = client.get("/api/v1/issuer")
    unknown = client.get("/api/v1/issuer", headers={"Authorization": "Bearer nope"})
    for response in (missing, unknown):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
        assert response.mimetype == "application/problem+json"

    token = db.scalars(select(ApiToken).where(ApiToken.token_hash == digest(caller.token))).one()
    token.issued_at -= dt.timedelta(seconds=3601)
    db.commit()
    expired = client.get("/api/v1/issuer", headers=caller.headers)
    assert expired.status_code == 401
    assert 'error="invalid_token"' in expired.headers["WWW-Authenticate"]


def test_a_client_revokes_its_token_rfc7009(app: Flask, db: Session, client: FlaskClient) -> None:
    caller = api_caller(app, db)
    response = client.post(
        "/oauth/revoke",
        data={"token": caller.token},
        headers=basic(caller.client_id, caller.secret),
    )
    assert response.status_code == 200
    after = client.get("/api/v1/issuer", headers=caller.headers)
    assert after.status_code == 401
    assert 'error="invalid_token"' in after.headers["WWW-Authenticate"]


def test_an_admin_creates_a_client_sees_the_secret_once_and_revokes_it(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db)
    owner = db.get(Membership, caller.issuer.members[0].id)
    assert owner is not None
    user_email = make_user_email(db, owner.user_id)
    sign_in(client, user_email, PASSWORD)
    page = f"/issuers/{caller.issuer.id}/clients"
    created = submit(client, page, {"name": "Moodle", "scopes": ["awards:write", "awards:read"]})
    assert created.status_code == 200
    html = created.get_data(as_text=True)
    row = db.scalars(select(ApiClient).where(ApiClient.name == "Moodle")).one()
    assert row.scopes == ["awards:read", "awards:write"]
    secret = html.split('class="secret">')[1].split("<")[0]
    assert digest(secret) == row.secret_hash
    assert secret not in client.get(page).get_data(as_text=True)  # shown once

    token = get_token(client, row.client_id, secret).json["access_token"]
    revoke = f"/issuers/{caller.issuer.id}/clients/{row.id}/revoke"
    assert submit(client, revoke, {}).status_code == 302
    assert (
        client.get("/api/v1/awards", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    assert get_token(client, row.client_id, secret).status_code == 401


def test_members_who_may_not_manage_clients_are_refused(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    caller = api_caller(app, db)
    awarder = make_user(db)
    db.add(Membership(issuer_id=caller.issuer.id, user_id=awarder.id, role="awarder"))
    db.commit()
    sign_in(client, awarder.emails[0].email, PASSWORD)
    assert client.get(f"/issuers/{caller.issuer.id}/clients").status_code == 403
    stranger = make_user(db)
    other = app.test_client()
    sign_in(other, stranger.emails[0].email, PASSWORD)
    assert other.get(f"/issuers/{caller.issuer.id}/clients").status_code == 404


def make_user_email(db: Session, user_id: int) -> str:
    """Return the primary address of a user."""
    from wallet.accounts.models import User

    user = db.get(User, user_id)
    assert user is not None
    return user.emails[0].email
