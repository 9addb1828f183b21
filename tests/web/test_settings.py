"""The settings page: profile, addresses, password, and deleting the account."""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from tests.factories import PASSWORD
from tests.factories import link_in_last_mail
from tests.factories import make_user
from tests.factories import unique_email
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User
from wallet.db import Base

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session


def _signed_in(client: FlaskClient, db: Session, **kwargs: t.Any) -> User:
    user = make_user(db, **kwargs)
    assert sign_in(client, user.emails[0].email, PASSWORD).status_code == 302
    return user


def _emails(db: Session, user: User) -> dict[str, EmailAddress]:
    db.expire_all()
    rows = db.scalars(select(EmailAddress).where(EmailAddress.user_id == user.id)).all()
    return {row.normalized: row for row in rows}


def test_an_earner_adds_verifies_and_switches_to_a_second_address(
    client: FlaskClient, db: Session
) -> None:
    user = _signed_in(client, db)
    first = user.emails[0].normalized
    second = unique_email("second")

    added = submit(client, "/settings", {"email": second}, action="/settings/emails")
    assert added.status_code == 302
    assert "not verified yet" in client.get("/settings").get_data(as_text=True)

    submit(client, link_in_last_mail(db, second, "/verify-email/"), {})
    assert _emails(db, user)[second].verified

    submit(
        client, "/settings", {}, action=f"/settings/emails/{_emails(db, user)[second].id}/primary"
    )
    submit(client, "/settings", {}, action=f"/settings/emails/{_emails(db, user)[first].id}/remove")

    emails = _emails(db, user)
    assert list(emails) == [second]
    assert emails[second].is_primary


def test_the_main_address_cannot_be_removed(client: FlaskClient, db: Session) -> None:
    user = _signed_in(client, db)
    response = submit(
        client, "/settings", {}, action=f"/settings/emails/{user.emails[0].id}/remove"
    )
    assert response.status_code == 302
    assert "Make another verified address" in client.get("/settings").get_data(as_text=True)
    assert len(_emails(db, user)) == 1


def test_an_address_already_on_the_account_is_not_added_twice(
    client: FlaskClient, db: Session
) -> None:
    user = _signed_in(client, db)
    response = submit(
        client, "/settings", {"email": user.emails[0].email.upper()}, action="/settings/emails"
    )
    assert response.status_code == 400
    assert "already on your account" in response.get_data(as_text=True)


def test_another_earner_cannot_touch_my_addresses(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    owner = make_user(db)
    extra = EmailAddress(email="extra@example.org", normalized="extra@example.org")
    owner.emails.append(extra)
    db.commit()
    _signed_in(client, db)

    for action in ("primary", "remove", "resend"):
        response = submit(client, "/settings", {}, action=f"/settings/emails/{extra.id}/{action}")
        assert response.status_code == 404
    assert set(_emails(db, owner)) == {owner.emails[0].normalized, "extra@example.org"}


def test_profile_changes_are_saved_and_a_taken_handle_is_refused(
    client: FlaskClient, db: Session
) -> None:
    other = make_user(db)
    user = _signed_in(client, db)

    taken = submit(
        client,
        "/settings",
        {"display_name": "Ada", "handle": other.handle, "locale": ""},
        action="/settings/profile",
    )
    assert taken.status_code == 400
    assert "This handle is taken" in taken.get_data(as_text=True)

    bad = submit(
        client,
        "/settings",
        {"display_name": "Ada", "handle": "-no-", "locale": ""},
        action="/settings/profile",
    )
    assert bad.status_code == 400
    assert "lowercase letters" in bad.get_data(as_text=True)

    saved = submit(
        client,
        "/settings",
        {"display_name": "Ada L.", "handle": "ada-l", "locale": "es"},
        action="/settings/profile",
    )
    assert saved.status_code == 302
    db.expire_all()
    refreshed = db.get(User, user.id)
    assert refreshed is not None
    assert (refreshed.display_name, refreshed.handle, refreshed.locale) == ("Ada L.", "ada-l", "es")
    assert 'lang="es"' in client.get("/settings").get_data(as_text=True)


def test_changing_the_password_keeps_this_session_and_ends_others(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    user = _signed_in(client, db)
    other_device = app.test_client()
    sign_in(other_device, user.emails[0].email, PASSWORD)

    wrong = submit(
        client,
        "/settings",
        {"current_password": "not it at all", "password": "a brand new passphrase 5"},
        action="/settings/password",
    )
    assert "current password is not right" in wrong.get_data(as_text=True)

    changed = submit(
        client,
        "/settings",
        {"current_password": PASSWORD, "password": "a brand new passphrase 5"},
        action="/settings/password",
    )
    assert changed.status_code == 302
    assert client.get("/settings").status_code == 200
    assert other_device.get("/settings").status_code == 302


def test_deleting_the_account_leaves_no_personal_row(client: FlaskClient, db: Session) -> None:
    user = _signed_in(client, db, display_name="Grace Hopper")
    email = user.emails[0].email
    submit(client, "/settings", {"email": unique_email("second")}, action="/settings/emails")
    submit(client, "/reset-password", {"email": email})  # leaves a mail about her in the outbox

    refused = submit(client, "/settings/delete", {"password": "not my password"})
    assert refused.status_code == 400
    assert db.get(User, user.id) is not None

    deleted = submit(client, "/settings/delete", {"password": PASSWORD})
    assert deleted.status_code == 302
    assert client.get("/settings").status_code == 302

    db.expire_all()
    traces = []
    for table in Base.metadata.sorted_tables:
        for row in db.execute(table.select()).mappings():
            values = [str(value) for value in row.values()]
            if any(email in v or "Grace Hopper" in v for v in values):
                traces.append((table.name, dict(row)))
            if table.name == "users" and row["id"] == user.id:
                traces.append((table.name, dict(row)))
            if "user_id" in row and row["user_id"] == user.id:
                traces.append((table.name, dict(row)))
    assert traces == []
