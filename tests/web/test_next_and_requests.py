"""Sign-in's ``next`` parameter and the test client: hostile input, and clean requests."""

from __future__ import annotations

import typing as t
from urllib.parse import urlsplit

import pytest

from tests.factories import PASSWORD
from tests.factories import make_user
from tests.web.helpers import sign_in
from tests.web.helpers import submit

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session


@pytest.mark.parametrize("target", ["//[", "//evil.com", "/\\evil.com", "https://evil.com"])
def test_a_hostile_next_on_the_sign_in_page_is_ignored_not_a_crash(
    client: FlaskClient, target: str
) -> None:
    assert client.get("/sign-in", query_string={"next": target}).status_code == 200


def test_after_sign_in_a_hostile_next_leads_home_not_away(client: FlaskClient, db: Session) -> None:
    user = make_user(db)
    fields = {"email": user.emails[0].email, "password": PASSWORD, "next": "//evil.com"}
    response = submit(client, "/sign-in?next=//evil.com", fields, action="/sign-in?next=//[")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).netloc in ("", "localhost")


def test_a_request_does_not_inherit_the_previous_requests_user(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    assert sign_in(client, user.emails[0].email, PASSWORD).status_code == 302
    assert client.get("/settings").status_code == 200

    with client.session_transaction() as sess:
        sess.clear()
    assert client.get("/settings").status_code == 302
