"""Recommended next steps on the backpack: reasons, following one, dismissing one, events."""

from __future__ import annotations

import re
import typing as t

from sqlalchemy import select

from tests.factories import PASSWORD
from tests.factories import make_user
from tests.web.helpers import csrf_token
from tests.web.helpers import sign_in
from tests.web.recommendation_helpers import OUTSIDE_COURSE
from tests.web.recommendation_helpers import Planted
from tests.web.recommendation_helpers import plant
from wallet.engagement.translate import Translator
from wallet.events.models import OutboxMessage

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User

BASE = "http://localhost"


def _world(app: Flask, client: FlaskClient, db: Session) -> tuple[User, Planted]:
    earner = make_user(db)
    owner = make_user(db)
    planted = plant(db, owner, earner, app.extensions["wallet"].config.data_keys, BASE)
    sign_in(client, earner.emails[0].email, PASSWORD)
    return earner, planted


def _links(page: str) -> dict[str, str]:
    """Return {title: follow link} of the recommendations on a page."""
    return {
        title: href
        for href, title in re.findall(
            r'<a href="(/wallet/recommendations/go/[^"]+)">([^<]+)</a>', page
        )
    }


def _events(db: Session, kind: str) -> list[OutboxMessage]:
    return list(db.scalars(select(OutboxMessage).where(OutboxMessage.type == kind)))


def test_the_backpack_recommends_next_steps_each_with_its_reason(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    _earner, planted = _world(app, client, db)

    page = client.get("/wallet").get_data(as_text=True)

    assert "Recommended next" in page
    assert set(_links(page)) == {"Workshop Safety", "Outside course"}
    assert "Completes level 1 of Welder track" in page
    assert "Recommended next by Acme Academy" in page
    # Held already, and level 2 waits for level 1.
    assert "Advanced Welding" not in page
    shown = _events(db, "recommendation.shown")
    assert [row.payload["items"] for row in shown] == [
        [{"achievement_id": planted.safety.public_id, "reason": "pathway_level"}]
    ]
    # The same list again the same day records nothing more.
    client.get("/wallet")
    assert len(_events(db, "recommendation.shown")) == 1


def test_the_issuer_learns_its_achievement_was_recommended_but_not_to_whom(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    _earner, planted = _world(app, client, db)
    client.get("/wallet")
    [row] = _events(db, "recommendation.shown")

    [draft] = Translator(db, base_url=BASE, secret_key="k").drafts(row)

    assert draft.issuer_id == planted.safety.issuer_id
    assert draft.type == "recommendation.shown"
    assert draft.data["achievement"] == {"id": planted.safety.public_id, "name": "Workshop Safety"}
    assert draft.data["reason"] == "pathway_level"
    assert "earner" not in draft.data
    assert draft.user_id is None


def test_following_a_recommendation_records_the_click_and_shows_the_achievement(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    _earner, planted = _world(app, client, db)
    links = _links(client.get("/wallet").get_data(as_text=True))

    followed = client.get(links["Workshop Safety"])

    assert followed.status_code == 302
    assert followed.headers["Location"] == (
        f"/wallet/recommendations/achievements/{planted.safety.public_id}"
    )
    [clicked] = _events(db, "recommendation.clicked")
    assert clicked.payload["achievement_id"] == planted.safety.id
    page = client.get(followed.headers["Location"]).get_data(as_text=True)
    assert "Workshop Safety" in page
    assert "Pass the Workshop Safety assessment." in page
    assert "Issued by Acme Academy" in page

    outside = client.get(links["Outside course"])
    assert outside.status_code == 302
    assert outside.headers["Location"] == OUTSIDE_COURSE
    # Nobody of ours issues it: no event for anyone.
    assert len(_events(db, "recommendation.clicked")) == 1


def test_the_redirect_goes_only_where_the_wallet_recommended_and_only_for_that_earner(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    _earner, _planted = _world(app, client, db)
    link = _links(client.get("/wallet").get_data(as_text=True))["Outside course"]
    token = link.rsplit("/", 1)[1]

    # A token altered to lead elsewhere is refused.
    assert client.get(f"/wallet/recommendations/go/{token[:-2]}xx").status_code == 404
    assert client.get("/wallet/recommendations/go/https%3A%2F%2Fevil.example").status_code == 404

    stranger = app.test_client()
    other = make_user(db)
    sign_in(stranger, other.emails[0].email, PASSWORD)
    assert stranger.get(link).status_code == 404


def test_not_interested_hides_a_recommendation_until_the_earner_takes_it_back(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    _earner, _planted = _world(app, client, db)
    page = client.get("/wallet").get_data(as_text=True)
    token = _links(page)["Workshop Safety"].rsplit("/", 1)[1]

    dismissed = client.post(
        "/wallet/recommendations/dismiss",
        data={"token": token, "next": "/wallet", "csrf_token": csrf_token(client, "/wallet")},
    )

    assert dismissed.status_code == 302
    assert dismissed.headers["Location"] == "/wallet"
    page = client.get("/wallet").get_data(as_text=True)
    assert "We will not recommend Workshop Safety again." in page
    assert "Workshop Safety" not in _links(page)
    listing = client.get("/wallet/recommendations").get_data(as_text=True)
    assert "Workshop Safety" not in _links(listing)
    undo = re.search(r'action="(/wallet/recommendations/dismissed/\d+/undo)"', listing)
    assert undo, listing

    client.post(undo.group(1), data={"csrf_token": csrf_token(client, "/wallet")})

    assert "Workshop Safety" in _links(client.get("/wallet").get_data(as_text=True))


def test_dismissing_needs_a_genuine_token_and_a_form_token(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    _world(app, client, db)
    token = csrf_token(client, "/wallet")
    forged = client.post(
        "/wallet/recommendations/dismiss", data={"token": "nope", "csrf_token": token}
    )
    assert forged.status_code == 404
    page = client.get("/wallet").get_data(as_text=True)
    link_token = _links(page)["Workshop Safety"].rsplit("/", 1)[1]
    without_csrf = client.post("/wallet/recommendations/dismiss", data={"token": link_token})
    assert without_csrf.status_code == 400
