"""Posting a badge to LinkedIn, end to end against a local LinkedIn double (never the internet)."""

from __future__ import annotations

import datetime as dt
import io
import typing as t
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import requests
from PIL import Image
from sqlalchemy import select

from tests import linkedin_double
from tests.background import work
from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from tests.web.helpers import csrf_token
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from wallet.accounts.models import User
from wallet.config import LinkedInSettings
from wallet.db import utcnow
from wallet.events.models import OutboxMessage
from wallet.sealing import unseal
from wallet.sharing import posting
from wallet.sharing.models import LinkedInConnection
from wallet.sharing.models import LinkedInPost

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.backpack.models import Award
    from wallet.runtime import Runtime


@pytest.fixture
def double(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> t.Iterator[linkedin_double.LinkedInDouble]:
    """A LinkedIn double, with the app's LinkedIn settings pointing at it."""
    with linkedin_double.serving() as fake:
        settings = LinkedInSettings(
            client_id=fake.client_id,
            client_secret=fake.client_secret,
            auth_base=fake.url,
            api_base=fake.url,
        )
        monkeypatch.setattr(runtime, "config", runtime.config.with_overrides(linkedin=settings))
        yield fake


@pytest.fixture
def award(db: Session) -> Award:
    owner = make_user(db, display_name="Ada Lovelace")
    return make_award(
        db, owner, visibility="public", achievement_name="Welding (level 2)", issuer_name="ACME"
    )


def _signed_in(client: FlaskClient, db: Session, award: Award) -> FlaskClient:
    user = db.get_one(User, award.user_id)
    sign_in(client, user.emails[0].email, PASSWORD)
    return client


def _connect(client: FlaskClient, award: Award) -> t.Any:
    """Follow the whole dance: our redirect, LinkedIn's sign-in, LinkedIn's redirect back."""
    start = client.get(f"/settings/linkedin/connect?award={award.id}")
    assert start.status_code == 302
    at_linkedin = requests.get(start.headers["Location"], allow_redirects=False, timeout=5)
    assert at_linkedin.status_code == 302
    back = urlsplit(at_linkedin.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def _connection(db: Session, award: Award) -> LinkedInConnection | None:
    db.expire_all()
    return db.scalar(select(LinkedInConnection).where(LinkedInConnection.user_id == award.user_id))


def test_connecting_asks_linkedin_for_sign_in_and_posting_with_a_state(
    client: FlaskClient, db: Session, award: Award, double: linkedin_double.LinkedInDouble
) -> None:
    _signed_in(client, db, award)
    start = client.get(f"/settings/linkedin/connect?award={award.id}")
    url = urlsplit(start.headers["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{double.url}/oauth/v2/authorization"
    assert query["scope"] == ["openid profile w_member_social"]
    assert query["client_id"] == [double.client_id]
    assert query["redirect_uri"] == ["http://localhost/settings/linkedin/callback"]
    assert len(query["state"][0]) >= 32
    assert "nonce" not in query
    assert "code_challenge" not in query


def test_connecting_keeps_the_token_sealed_with_its_60_day_expiry(
    client: FlaskClient,
    db: Session,
    award: Award,
    double: linkedin_double.LinkedInDouble,
    runtime: Runtime,
) -> None:
    _signed_in(client, db, award)
    done = _connect(client, award)
    assert done.status_code == 302
    assert done.headers["Location"] == f"/wallet/awards/{award.id}/linkedin"
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "LinkedIn is connected" in page
    assert "Posting as Ada Lovelace on LinkedIn." in page

    connection = _connection(db, award)
    assert connection is not None
    token = next(iter(double.tokens))
    assert token not in connection.sealed_token
    assert unseal(runtime.config.data_keys, connection.sealed_token).decode() == token
    assert connection.member_id == "782bbtaQ"
    days = (connection.expires_at - utcnow()) / dt.timedelta(days=1)
    assert 59.9 < days <= 60
    # client_secret_post: the secret travels in the body, never in an Authorization header.
    (token_request,) = double.requests_to("/oauth/v2/accessToken")
    assert "Authorization" not in token_request.headers
    assert parse_qs(token_request.body.decode())["client_secret"] == [double.client_secret]


def test_a_callback_with_a_foreign_or_replayed_state_is_refused(
    client: FlaskClient, db: Session, award: Award, double: linkedin_double.LinkedInDouble
) -> None:
    _signed_in(client, db, award)
    start = client.get(f"/settings/linkedin/connect?award={award.id}")
    at_linkedin = requests.get(start.headers["Location"], allow_redirects=False, timeout=5)
    back = urlsplit(at_linkedin.headers["Location"])
    code = parse_qs(back.query)["code"][0]

    forged = client.get(f"/settings/linkedin/callback?code={code}&state=not-the-one")
    assert forged.status_code == 302
    assert "not started here" in client.get(forged.headers["Location"]).get_data(as_text=True)
    assert _connection(db, award) is None
    assert double.requests_to("/oauth/v2/accessToken") == []

    # The real state was used up by that attempt: replaying it does not connect either.
    replayed = client.get(f"{back.path}?{back.query}")
    assert "not started here" in client.get(replayed.headers["Location"]).get_data(as_text=True)
    assert _connection(db, award) is None


def test_a_post_is_published_with_linkedin_headers_escaping_and_a_thumbnail(
    client: FlaskClient,
    db: Session,
    award: Award,
    double: linkedin_double.LinkedInDouble,
    runtime: Runtime,
) -> None:
    _signed_in(client, db, award)
    _connect(client, award)
    compose = f"/wallet/awards/{award.id}/linkedin"
    text = "Passed (level 2) with #welding @ACME_works: https://example.org/a_b*c"
    preview = submit(client, compose, {"text": text, "preview": "Preview"})
    assert preview.status_code == 200
    assert "Passed (level 2) with #welding" in preview.get_data(as_text=True)
    assert double.requests_to("/rest/posts") == []  # a preview posts nothing

    sent = submit(client, compose, {"text": text, "publish": "Post to LinkedIn"})
    assert sent.status_code == 302
    page = client.get(compose).get_data(as_text=True)
    assert "Your post is on its way" in page
    assert "Sending…" in page

    work(runtime)

    (post_request,) = double.requests_to("/rest/posts")
    assert post_request.headers["Linkedin-Version"] == runtime.config.linkedin.api_version
    assert post_request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    body = post_request.json()
    assert body["commentary"] == (
        r"Passed \(level 2\) with #welding \@ACME\_works: https://example.org/a_b*c"
    )
    assert body["author"] == "urn:li:person:782bbtaQ"
    article = body["content"]["article"]
    assert article["source"] == f"http://localhost/a/{award.public_id}"
    assert article["title"] == "Welding (level 2)"
    assert article["description"] == "Issued by ACME"
    (image,) = double.uploads.values()
    assert article["thumbnail"].startswith("urn:li:image:")
    assert Image.open(io.BytesIO(image)).size == (1200, 627)
    (init,) = double.requests_to("/rest/images")
    assert init.query == {"action": "initializeUpload"}

    page = client.get(compose).get_data(as_text=True)
    assert "Posted" in page
    assert "https://www.linkedin.com/feed/update/urn:li:share:7000000000000000001/" in page
    db.expire_all()
    shared = db.scalars(select(OutboxMessage).where(OutboxMessage.type == "award.shared")).all()
    assert [row.payload["channel"] for row in shared] == ["linkedin-post"]


def test_linkedin_refusing_the_post_is_shown_with_its_reason(
    client: FlaskClient,
    db: Session,
    award: Award,
    double: linkedin_double.LinkedInDouble,
    runtime: Runtime,
) -> None:
    _signed_in(client, db, award)
    _connect(client, award)
    compose = f"/wallet/awards/{award.id}/linkedin"
    double.fail_next_post = 422
    submit(client, compose, {"text": "Hello", "publish": "Post to LinkedIn"})
    work(runtime)
    page = client.get(compose).get_data(as_text=True)
    assert "Not posted" in page
    assert "LinkedIn refused it." in page
    db.expire_all()
    post = db.scalar(select(LinkedInPost).where(LinkedInPost.award_id == award.id))
    assert post is not None
    assert (post.status, post.error) == ("failed", "refused")


def test_a_token_linkedin_no_longer_accepts_asks_the_earner_to_reconnect(
    client: FlaskClient,
    db: Session,
    award: Award,
    double: linkedin_double.LinkedInDouble,
    runtime: Runtime,
) -> None:
    _signed_in(client, db, award)
    _connect(client, award)
    compose = f"/wallet/awards/{award.id}/linkedin"
    double.expire_tokens()
    submit(client, compose, {"text": "Hello", "publish": "Post to LinkedIn"})
    work(runtime)
    page = client.get(compose).get_data(as_text=True)
    assert "Not posted" in page
    assert "Connect it again." in page
    assert "Reconnect LinkedIn" in page


def test_an_expired_token_is_not_used_and_the_earner_is_asked_to_reconnect(
    client: FlaskClient,
    db: Session,
    award: Award,
    double: linkedin_double.LinkedInDouble,
) -> None:
    _signed_in(client, db, award)
    compose = f"/wallet/awards/{award.id}/linkedin"
    token = csrf_token(client, compose)
    _connect(client, award)
    connection = _connection(db, award)
    assert connection is not None
    connection.expires_at = utcnow() - dt.timedelta(minutes=1)
    db.commit()

    page = client.get(compose).get_data(as_text=True)
    assert "Connect LinkedIn again" in page
    assert "permission to post for you has expired" in page
    refused = client.post(compose, data={"text": "Hi", "publish": "Post", "csrf_token": token})
    assert refused.status_code == 409
    assert double.requests_to("/rest/posts") == []
    db.expire_all()
    assert db.scalars(select(LinkedInPost)).all() == []


def test_disconnecting_deletes_the_token(
    client: FlaskClient, db: Session, award: Award, double: linkedin_double.LinkedInDouble
) -> None:
    _signed_in(client, db, award)
    _connect(client, award)
    assert "Disconnect LinkedIn" in client.get("/settings").get_data(as_text=True)
    done = submit(client, "/settings", {}, action="/settings/linkedin/disconnect")
    assert done.status_code == 302
    assert "We deleted our permission" in client.get("/settings").get_data(as_text=True)
    assert _connection(db, award) is None


def test_a_private_badge_cannot_be_posted(
    client: FlaskClient, db: Session, double: linkedin_double.LinkedInDouble
) -> None:
    owner = make_user(db)
    private = make_award(db, owner, visibility="private")
    sign_in(client, owner.emails[0].email, PASSWORD)
    assert client.get(f"/wallet/awards/{private.id}/linkedin").status_code == 409


def test_without_a_client_id_there_is_no_linkedin_posting(
    client: FlaskClient,
    db: Session,
    award: Award,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        runtime, "config", runtime.config.with_overrides(linkedin=LinkedInSettings())
    )
    _signed_in(client, db, award)
    assert client.get(f"/wallet/awards/{award.id}/linkedin").status_code == 404
    assert client.get("/settings/linkedin/connect").status_code == 404
    assert "Post it on LinkedIn" not in client.get(f"/wallet/awards/{award.id}").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "changes",
    [{"aud": "another-app"}, {"iss": "https://elsewhere.example/oauth"}, {"exp": 1_000_000}],
    ids=["audience", "issuer", "expired"],
)
def test_an_id_token_not_meant_for_us_is_refused(
    client: FlaskClient,
    db: Session,
    award: Award,
    double: linkedin_double.LinkedInDouble,
    changes: dict[str, t.Any],
) -> None:
    double.id_token_changes = changes
    _signed_in(client, db, award)
    done = _connect(client, award)
    assert "LinkedIn refused it." in client.get(done.headers["Location"]).get_data(as_text=True)
    assert _connection(db, award) is None


def test_a_post_delivered_twice_is_published_once(
    client: FlaskClient,
    db: Session,
    award: Award,
    double: linkedin_double.LinkedInDouble,
    runtime: Runtime,
) -> None:
    _signed_in(client, db, award)
    _connect(client, award)
    submit(client, f"/wallet/awards/{award.id}/linkedin", {"text": "Hi", "publish": "Post"})
    post = db.scalar(select(LinkedInPost).where(LinkedInPost.award_id == award.id))
    assert post is not None
    posting.publish_post(db, runtime.http, runtime.config, post.id)
    posting.publish_post(db, runtime.http, runtime.config, post.id)
    assert len(double.posts) == 1


def test_a_post_waiting_when_the_earner_disconnects_is_not_sent(
    client: FlaskClient,
    db: Session,
    award: Award,
    double: linkedin_double.LinkedInDouble,
    runtime: Runtime,
) -> None:
    _signed_in(client, db, award)
    _connect(client, award)
    compose = f"/wallet/awards/{award.id}/linkedin"
    submit(client, compose, {"text": "Hi", "publish": "Post"})
    submit(client, "/settings", {}, action="/settings/linkedin/disconnect")
    work(runtime)
    assert double.posts == []
    page = client.get(compose).get_data(as_text=True)
    assert "Not posted" in page
    assert "Connect LinkedIn" in page
