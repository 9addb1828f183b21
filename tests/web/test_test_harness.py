"""The HTTP test harness behaves like a browser session: each request starts afresh."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient

    from tests.web.conftest import MakeUser
    from wallet.accounts.models import User


def test_signed_in_helper_makes_the_client_signed_in(
    client: FlaskClient, earner: User, signed_in: t.Callable[[FlaskClient, User], None]
) -> None:
    assert client.get("/settings").status_code == 302
    signed_in(client, earner)
    assert client.get("/settings").status_code == 200


def test_a_request_does_not_inherit_the_previous_requests_user(
    client: FlaskClient, make_user: MakeUser, signed_in: t.Callable[[FlaskClient, User], None]
) -> None:
    signed_in(client, make_user())
    assert "Sign out" in client.get("/sign-in").get_data(as_text=True)

    with client.session_transaction() as sess:
        sess.clear()
    page = client.get("/sign-in").get_data(as_text=True)
    assert "Sign out" not in page
    assert "Create account" in page
