"""Signing in with LinkedIn (OpenID Connect) through python-social-auth, against a local provider.

The provider is the LinkedIn double (``tests.linkedin_double``): a real HTTP server with
discovery, JWKS, token and userinfo endpoints, and LinkedIn's quirks (no nonce, secret in the
body). The rules under test: who an external account may reach, and that an earner always keeps
one way to sign in.
"""

from __future__ import annotations

import json
import threading
import typing as t
from urllib.parse import parse_qs
from urllib.parse import urlencode
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import select
from werkzeug.serving import make_server
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from tests import linkedin_double
from tests.factories import PASSWORD
from tests.factories import make_user
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import SocialAccount
from wallet.accounts.models import User
from wallet.accounts.social import GitHub
from wallet.config import SocialProvider
from wallet.db import utcnow

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


@pytest.fixture
def provider(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> t.Iterator[linkedin_double.LinkedInDouble]:
    """A local LinkedIn, enabled for sign-in."""
    with linkedin_double.serving() as fake:
        social = SocialProvider(
            backend="linkedin-openidconnect",
            key=fake.client_id,
            secret=fake.client_secret,
            oidc_endpoint=f"{fake.url}/oauth",
        )
        monkeypatch.setattr(
            runtime, "config", runtime.config.with_overrides(social_providers=(social,))
        )
        yield fake


def _at_provider(client: FlaskClient, start: str = "/sign-in/with/linkedin-openidconnect") -> str:
    """Start signing in; let the provider sign the member in; return our callback's path."""
    begin = client.get(start)
    assert begin.status_code == 302, begin.get_data(as_text=True)[:300]
    back = requests.get(begin.headers["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    url = urlsplit(back.headers["Location"])
    return f"{url.path}?{url.query}"


def _signed_in_as(client: FlaskClient, db: Session) -> User | None:
    page = client.get("/settings")
    if page.status_code != 200:
        return None
    db.expire_all()
    handle = page.get_data(as_text=True).split('name="handle"')[1].split('value="')[1].split('"')[0]
    return db.scalar(select(User).where(User.handle == handle))


def _accounts(db: Session) -> list[SocialAccount]:
    db.expire_all()
    return list(db.scalars(select(SocialAccount)))


def test_a_new_member_gets_a_wallet_without_a_password(
    client: FlaskClient, db: Session, provider: linkedin_double.LinkedInDouble
) -> None:
    assert "Sign in with LinkedIn" in client.get("/sign-in").get_data(as_text=True)
    begin = client.get("/sign-in/with/linkedin-openidconnect")
    query = parse_qs(urlsplit(begin.headers["Location"]).query)
    assert query["scope"][0].split() == ["openid", "profile", "email"]
    assert "nonce" not in query  # LinkedIn would not return it

    done = client.get(_at_provider(client))
    assert done.status_code == 302
    user = _signed_in_as(client, db)
    assert user is not None
    assert user.display_name == "Ada Lovelace"
    assert [(e.email, e.verified) for e in user.emails] == [("ada@example.org", True)]
    (account,) = _accounts(db)
    assert (account.user_id, account.provider, account.uid) == (
        user.id,
        "linkedin-openidconnect",
        "782bbtaQ",
    )
    assert "access_token" not in account.extra_data
    assert "id_token" not in account.extra_data
    # The token request carried the secret in the body (LinkedIn refuses Basic auth).
    (token_request,) = provider.requests_to("/oauth/v2/accessToken")
    assert "Authorization" not in token_request.headers

    settings = client.get("/settings").get_data(as_text=True)
    assert "No password yet" in settings
    # Signing out and in again reaches the same earner.
    submit(client, "/settings", {}, action="/sign-out")
    client.get(_at_provider(client))
    again = _signed_in_as(client, db)
    assert again is not None
    assert again.id == user.id


def test_a_replayed_or_foreign_state_is_refused(
    client: FlaskClient, db: Session, provider: linkedin_double.LinkedInDouble
) -> None:
    callback = _at_provider(client)
    path, _sep, query = callback.partition("?")
    params = parse_qs(query)
    forged = client.get(f"{path}?code={params['code'][0]}&state=forged-state-value")
    assert forged.status_code == 302
    assert "not started here" in client.get(forged.headers["Location"]).get_data(as_text=True)
    assert _signed_in_as(client, db) is None

    assert client.get(callback).status_code == 302  # the real one still works once
    assert _signed_in_as(client, db) is not None
    submit(client, "/settings", {}, action="/sign-out")
    replayed = client.get(callback)
    assert replayed.status_code == 302
    assert _signed_in_as(client, db) is None
    assert len(_accounts(db)) == 1


def test_a_verified_email_links_to_the_earner_who_verified_it(
    client: FlaskClient, db: Session, provider: linkedin_double.LinkedInDouble
) -> None:
    owner = make_user(db)
    provider.member["email"] = owner.emails[0].email
    client.get(_at_provider(client))
    user = _signed_in_as(client, db)
    assert user is not None
    assert user.id == owner.id
    assert [a.user_id for a in _accounts(db)] == [owner.id]


def test_an_unverified_email_never_reaches_an_existing_account(
    client: FlaskClient, db: Session, provider: linkedin_double.LinkedInDouble
) -> None:
    victim = make_user(db)
    provider.member["email"] = victim.emails[0].email
    provider.member["email_verified"] = False
    done = client.get(_at_provider(client))
    assert done.headers["Location"] == "/sign-in"
    page = client.get("/sign-in").get_data(as_text=True)
    assert "did not confirm" in page
    assert _signed_in_as(client, db) is None
    assert _accounts(db) == []
    db.expire_all()
    assert db.scalar(select(User).where(User.display_name == "Ada Lovelace")) is None


def test_an_unverified_email_nobody_verified_makes_an_account_with_it_unverified(
    client: FlaskClient, db: Session, provider: linkedin_double.LinkedInDouble
) -> None:
    provider.member["email"] = "new-person@example.org"
    provider.member["email_verified"] = False
    client.get(_at_provider(client))
    user = _signed_in_as(client, db)
    assert user is not None
    assert [(e.email, e.verified) for e in user.emails] == [("new-person@example.org", False)]


def test_signed_in_earners_link_and_unlink_an_account(
    client: FlaskClient, db: Session, provider: linkedin_double.LinkedInDouble
) -> None:
    earner = make_user(db)
    provider.member["email"] = "different@example.org"
    sign_in(client, earner.emails[0].email, PASSWORD)
    settings = client.get("/settings").get_data(as_text=True)
    assert "Link LinkedIn" in settings
    done = client.get(_at_provider(client, "/sign-in/with/linkedin-openidconnect?next=/settings"))
    assert done.headers["Location"] == "/settings#sign-in-heading"
    (account,) = _accounts(db)
    assert account.user_id == earner.id
    settings = client.get("/settings").get_data(as_text=True)
    assert "Your LinkedIn account is linked" in settings
    assert "different@example.org" in settings

    # The earner has a password too, so the link can go.
    done = submit(client, "/settings", {}, action=f"/settings/sign-in/{account.id}/unlink")
    assert "Your LinkedIn account is unlinked" in client.get("/settings").get_data(as_text=True)
    assert _accounts(db) == []


def test_an_account_linked_to_someone_else_is_not_moved(
    client: FlaskClient, db: Session, provider: linkedin_double.LinkedInDouble
) -> None:
    client.get(_at_provider(client))  # creates the member's own wallet
    submit(client, "/settings", {}, action="/sign-out")
    other = make_user(db)
    sign_in(client, other.emails[0].email, PASSWORD)
    client.get(_at_provider(client, "/sign-in/with/linkedin-openidconnect?next=/settings"))
    assert "already linked to another account" in client.get("/settings").get_data(as_text=True)
    assert [a.user_id for a in _accounts(db)] != [other.id]


def test_the_last_way_to_sign_in_cannot_be_unlinked(
    client: FlaskClient, db: Session, provider: linkedin_double.LinkedInDouble
) -> None:
    client.get(_at_provider(client))
    (account,) = _accounts(db)
    refused = submit(client, "/settings", {}, action=f"/settings/sign-in/{account.id}/unlink")
    assert refused.status_code == 302
    assert "only way to sign in" in client.get("/settings").get_data(as_text=True)
    assert len(_accounts(db)) == 1


def test_a_password_without_a_verified_email_is_not_a_way_to_sign_in(
    client: FlaskClient, db: Session, provider: linkedin_double.LinkedInDouble
) -> None:
    earner = make_user(db)
    sign_in(client, earner.emails[0].email, PASSWORD)
    client.get(_at_provider(client, "/sign-in/with/linkedin-openidconnect?next=/settings"))
    (account,) = _accounts(db)
    address = db.scalar(select(EmailAddress).where(EmailAddress.user_id == earner.id))
    assert address is not None
    address.verified_at = None
    db.commit()
    submit(client, "/settings", {}, action=f"/settings/sign-in/{account.id}/unlink")
    assert "only way to sign in" in client.get("/settings").get_data(as_text=True)
    address.verified_at = utcnow()
    db.commit()


def test_nobody_unlinks_another_earners_account(
    client: FlaskClient, db: Session, provider: linkedin_double.LinkedInDouble
) -> None:
    client.get(_at_provider(client))
    (account,) = _accounts(db)
    submit(client, "/settings", {}, action="/sign-out")
    stranger = make_user(db)
    sign_in(client, stranger.emails[0].email, PASSWORD)
    answer = submit(client, "/settings", {}, action=f"/settings/sign-in/{account.id}/unlink")
    assert answer.status_code == 404
    assert len(_accounts(db)) == 1


def test_a_provider_without_a_client_id_is_not_offered(
    client: FlaskClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "config", runtime.config.with_overrides(social_providers=()))
    assert "Sign in with" not in client.get("/sign-in").get_data(as_text=True)
    assert client.get("/sign-in/with/google-oauth2").status_code == 404
    assert client.get("/sign-in/with/nonsense").status_code == 404


class _GitHub:
    """A local GitHub: authorize, token and REST ``/user`` endpoints (no verified-email claim)."""

    def __init__(self) -> None:
        self.user = {"id": 4242, "login": "octo", "name": "Octo Cat", "email": ""}
        self.emails = [{"email": "octo@example.org", "primary": True, "verified": True}]

    def __call__(self, environ: dict[str, t.Any], start_response: t.Any) -> t.Any:
        request = Request(environ)
        if request.path == "/login/oauth/authorize":
            query = urlencode({"code": "gh-code", "state": request.args.get("state", "")})
            answer = Response(
                status=302, headers={"Location": f"{request.args['redirect_uri']}?{query}"}
            )
        elif request.path == "/login/oauth/access_token":
            answer = _json({"access_token": "gh-token", "token_type": "bearer", "scope": ""})
        elif request.headers.get("Authorization") != "token gh-token":
            answer = _json({"message": "Bad credentials"}, 401)
        elif request.path == "/user":
            answer = _json(self.user)
        elif request.path == "/user/emails":
            answer = _json(self.emails)
        else:
            answer = _json({}, 404)
        return answer(environ, start_response)


def _json(data: t.Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


@pytest.fixture
def github(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> t.Iterator[_GitHub]:
    """A local GitHub, enabled for sign-in (GitHub's addresses are constants in social-core)."""
    fake = _GitHub()
    server = make_server("127.0.0.1", 0, fake, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(GitHub, "AUTHORIZATION_URL", f"{url}/login/oauth/authorize")
    monkeypatch.setattr(GitHub, "ACCESS_TOKEN_URL", f"{url}/login/oauth/access_token")
    monkeypatch.setattr(GitHub, "API_URL", f"{url}/")
    provider = SocialProvider(backend="github", key="gh-client", secret="gh-secret")
    monkeypatch.setattr(
        runtime, "config", runtime.config.with_overrides(social_providers=(provider,))
    )
    try:
        yield fake
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_github_signs_a_new_earner_in_but_never_links_by_email(
    client: FlaskClient, db: Session, github: _GitHub
) -> None:
    client.get(_at_provider(client, "/sign-in/with/github"))
    user = _signed_in_as(client, db)
    assert user is not None
    assert user.display_name == "Octo Cat"
    # GitHub asserts no verified email the way OpenID Connect does: the address stays unverified.
    assert [(e.email, e.verified) for e in user.emails] == [("octo@example.org", False)]
    submit(client, "/settings", {}, action="/sign-out")

    victim = make_user(db)
    github.user = {**github.user, "id": 5151, "login": "mallory", "name": "Mallory"}
    github.emails = [{"email": victim.emails[0].email, "primary": True, "verified": True}]
    done = client.get(_at_provider(client, "/sign-in/with/github"))
    assert done.headers["Location"] == "/sign-in"
    assert _signed_in_as(client, db) is None
    assert [a.uid for a in _accounts(db)] == ["4242"]
