"""Creating an account and verifying its address, as an earner goes through it."""

from __future__ import annotations

import typing as t

from sqlalchemy import func
from sqlalchemy import select

from tests.factories import PASSWORD
from tests.factories import expired_token
from tests.factories import link_in_last_mail
from tests.factories import mails_to
from tests.factories import make_user
from tests.factories import unique_email
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from wallet.accounts import tokens
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


def _sign_up(client: FlaskClient, email: str, password: str = PASSWORD) -> str:
    response = submit(
        client, "/sign-up", {"email": email, "password": password, "display_name": "Ada Lovelace"}
    )
    return response.get_data(as_text=True)


def test_sign_up_sends_a_link_that_verifies_the_address(client: FlaskClient, db: Session) -> None:
    email = unique_email()
    page = _sign_up(client, email)
    assert "Check your inbox" in page

    link = link_in_last_mail(db, email, "/verify-email/")
    assert "Confirm my address" in client.get(link).get_data(as_text=True)
    response = submit(client, link, {})
    assert response.status_code == 302
    address = db.scalars(select(EmailAddress).where(EmailAddress.normalized == email)).one()
    db.refresh(address)
    assert address.verified
    assert address.is_primary

    assert sign_in(client, email, PASSWORD).status_code == 302
    assert client.get("/settings").status_code == 200


def test_a_verification_link_works_once(client: FlaskClient, db: Session) -> None:
    email = unique_email()
    _sign_up(client, email)
    link = link_in_last_mail(db, email, "/verify-email/")
    submit(client, link, {})

    again = submit(client, link, {})
    assert again.status_code == 409
    assert "already used" in again.get_data(as_text=True)


def test_forged_and_expired_verification_links_say_what_is_wrong(
    client: FlaskClient, db: Session, runtime: Runtime
) -> None:
    email = unique_email()
    _sign_up(client, email)
    link = link_in_last_mail(db, email, "/verify-email/")

    forged = client.get(link[:-3] + "abc")
    assert forged.status_code == 400
    assert "not valid" in forged.get_data(as_text=True)

    address = db.scalars(select(EmailAddress).where(EmailAddress.normalized == email)).one()
    old = expired_token(
        runtime.config.secret_key, tokens.VERIFY_EMAIL, {"e": address.id, "a": email}
    )
    expired = client.get(f"/verify-email/{old}")
    assert expired.status_code == 400
    assert "expired" in expired.get_data(as_text=True)


def test_signing_up_again_with_a_taken_address_reveals_nothing(
    client: FlaskClient, db: Session
) -> None:
    owner = make_user(db)
    email = owner.emails[0].email
    users_before = db.scalar(select(func.count(User.id)))

    page = _sign_up(client, email, "another long password 7")

    assert "Check your inbox" in page
    assert db.scalar(select(func.count(User.id))) == users_before
    assert mails_to(db, email)[-1]["subject"] == "You already have a wallet"


def test_weak_passwords_are_refused_with_the_reason(client: FlaskClient, db: Session) -> None:
    short = _sign_up(client, unique_email(), "short")
    assert "at least 10 characters" in short
    common = _sign_up(client, unique_email(), "password123")
    assert "most common" in common


def test_signing_in_before_verifying_sends_a_new_link(client: FlaskClient, db: Session) -> None:
    email = unique_email()
    _sign_up(client, email)
    sent_before = len(mails_to(db, email))

    response = sign_in(client, email, PASSWORD)

    assert response.status_code == 400
    assert "verify your email address first" in response.get_data(as_text=True)
    assert len(mails_to(db, email)) == sent_before + 1


def test_an_address_verified_by_someone_else_cannot_be_verified_again(
    client: FlaskClient, db: Session
) -> None:
    email = unique_email()
    _sign_up(client, email)
    link = link_in_last_mail(db, email, "/verify-email/")
    make_user(db, email=email)  # someone else verifies the address first

    response = submit(client, link, {})

    assert response.status_code == 409
    assert "another account" in response.get_data(as_text=True)
