"""Signing in and out, rate limits, and resetting a forgotten password."""

from __future__ import annotations

import typing as t

from tests.factories import PASSWORD
from tests.factories import expired_token
from tests.factories import link_in_last_mail
from tests.factories import mails_to
from tests.factories import make_user
from tests.factories import unique_email
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from wallet.accounts import tokens

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


def test_the_right_password_signs_in_and_sign_out_signs_out(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    assert sign_in(client, user.emails[0].email, PASSWORD).headers["Location"] == "/"
    assert client.get("/settings").status_code == 200

    response = submit(client, "/settings", {}, action="/sign-out")

    assert response.status_code == 302
    assert client.get("/settings").headers["Location"].startswith("/sign-in")


def test_a_wrong_password_or_unknown_address_gives_the_same_answer(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    wrong = sign_in(client, user.emails[0].email, "not the password at all")
    unknown = sign_in(client, unique_email(), "not the password at all")
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "The email or password is not right." in response.get_data(as_text=True)
    assert client.get("/settings").status_code == 302


def test_twenty_wrong_passwords_in_a_row_are_stopped_with_a_clear_message(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    statuses = [
        sign_in(client, user.emails[0].email, f"wrong password {n}").status_code for n in range(20)
    ]
    assert statuses[0] == 400
    assert statuses[-1] == 429
    page = sign_in(client, user.emails[0].email, PASSWORD)
    assert page.status_code == 429
    assert "Wait a few minutes" in page.get_data(as_text=True)
    assert "Retry-After" in page.headers


def test_sign_in_ignores_a_next_url_on_another_site(client: FlaskClient, db: Session) -> None:
    user = make_user(db)
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        client.get("/sign-out")
        response = submit(
            client,
            "/sign-in",
            {"email": user.emails[0].email, "password": PASSWORD, "next": target},
        )
        assert response.headers["Location"] == "/"
        submit(client, "/settings", {}, action="/sign-out")


def test_sign_in_returns_to_a_local_next_url(client: FlaskClient, db: Session) -> None:
    user = make_user(db)
    response = submit(
        client,
        "/sign-in?next=/settings",
        {"email": user.emails[0].email, "password": PASSWORD, "next": "/settings"},
    )
    assert response.headers["Location"] == "/settings"


def test_a_form_without_its_csrf_token_is_refused_clearly(client: FlaskClient, db: Session) -> None:
    user = make_user(db)
    response = client.post("/sign-in", data={"email": user.emails[0].email, "password": PASSWORD})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)


def test_reset_says_the_same_for_known_and_unknown_addresses(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    known = submit(client, "/reset-password", {"email": user.emails[0].email})
    unknown_email = unique_email()
    unknown = submit(client, "/reset-password", {"email": unknown_email})

    assert known.status_code == unknown.status_code == 200
    assert "If " in known.get_data(as_text=True)
    assert "If " in unknown.get_data(as_text=True)
    assert len(mails_to(db, user.emails[0].email)) == 1
    assert mails_to(db, unknown_email) == []


def test_a_reset_link_sets_a_new_password_once_and_signs_out_other_sessions(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    email = user.emails[0].email
    other_device = app.test_client()
    sign_in(other_device, email, PASSWORD)
    assert other_device.get("/settings").status_code == 200

    submit(client, "/reset-password", {"email": email})
    link = link_in_last_mail(db, email, "/reset-password/")
    response = submit(client, link, {"password": "a brand new passphrase 5"})

    assert response.status_code == 302
    assert client.get("/settings").status_code == 200
    assert other_device.get("/settings").status_code == 302
    reused = client.get(link)
    assert reused.status_code == 400
    assert "already used" in reused.get_data(as_text=True)
    client.post("/sign-out")
    fresh = app.test_client()
    assert sign_in(fresh, email, "a brand new passphrase 5").status_code == 302
    assert mails_to(db, email)[-1]["subject"] == "Your password was changed"


def test_forged_and_expired_reset_links_are_refused_clearly(
    client: FlaskClient, db: Session, runtime: Runtime
) -> None:
    user = make_user(db)
    old = expired_token(
        runtime.config.secret_key,
        tokens.RESET_PASSWORD,
        {"u": user.id, "f": tokens.fingerprint(user.password_hash)},
    )
    expired = client.get(f"/reset-password/{old}")
    assert expired.status_code == 400
    assert "expired" in expired.get_data(as_text=True)

    forged = client.get("/reset-password/eyJ1IjoxfQ.abc.def")
    assert forged.status_code == 400
    assert "not valid" in forged.get_data(as_text=True)


def test_keep_me_signed_in_sets_a_long_lived_http_only_cookie(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    submit(client, "/sign-in", {"email": user.emails[0].email, "password": PASSWORD})
    assert client.get_cookie("wallet_remember") is None
    client.post("/sign-out")

    other = client.application.test_client()
    submit(
        other,
        "/sign-in",
        {"email": user.emails[0].email, "password": PASSWORD, "remember": "y"},
    )
    cookie = other.get_cookie("wallet_remember")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.expires is not None
