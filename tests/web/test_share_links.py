"""Share links for employers: exactly the earner's choice, counted, dead at once when expired."""

from __future__ import annotations

import datetime as dt
import re
import typing as t

from sqlalchemy import select

from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from tests.web.test_profiles import aligned
from wallet.db import utcnow
from wallet.profiles.models import ShareLink

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User

LINK = re.compile(r'value="https?://[^/"]+(/s/[^"]+)"')


def _signed_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    sign_in(client, user.emails[0].email, PASSWORD)
    return client


def _make_link(client: FlaskClient, data: dict[str, t.Any]) -> str:
    page = submit(client, "/wallet/share-links", data)
    assert page.status_code == 201, page.get_data(as_text=True)
    match = LINK.search(page.get_data(as_text=True))
    assert match
    return match.group(1)


def test_a_link_shows_exactly_the_chosen_awards_even_private_ones(app: Flask, db: Session) -> None:
    user = make_user(db, display_name="Olga")
    chosen = make_award(db, user, achievement_name="Private welding", details=aligned("Welding"))
    make_award(db, user, achievement_name="Not chosen", visibility="public")
    client = _signed_in(app, user)

    path = _make_link(client, {"name": "Acme application", "awards": [str(chosen.id)], "days": "7"})

    employer = app.test_client()
    page = employer.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Private welding" in text
    assert "Welding" in text
    assert "Acme application" in text
    assert "Not chosen" not in text
    assert page.headers["Cache-Control"] == "no-store"
    # The private award is still private everywhere else.
    assert employer.get(f"/a/{chosen.public_id}").status_code == 404
    assert "Private welding" not in employer.get(f"/@{user.handle}").get_data(as_text=True)

    employer.get(path)
    mine = client.get("/wallet/share-links").get_data(as_text=True)
    assert "Opened 2 times" in mine
    link = db.scalars(select(ShareLink).where(ShareLink.user_id == user.id)).one()
    assert link.opens == 2
    assert link.last_opened_at is not None
    assert path.removeprefix("/s/") not in link.token_hash


def test_a_skills_link_shows_only_those_skills_and_the_awards_behind_them(
    app: Flask, db: Session
) -> None:
    user = make_user(db)
    make_award(db, user, achievement_name="Welding course", details=aligned("Welding"))
    make_award(db, user, achievement_name="Sailing course", details=aligned("Sailing"))
    client = _signed_in(app, user)

    path = _make_link(client, {"name": "Port job", "skills": ["name:welding"], "days": "30"})
    make_award(db, user, achievement_name="Later welding", details=aligned("Welding"))

    text = app.test_client().get(path).get_data(as_text=True)
    assert "Welding course" in text
    assert "Sailing" not in text
    assert "Later welding" not in text


def test_revoked_and_expired_links_are_gone_at_once(app: Flask, db: Session) -> None:
    user = make_user(db)
    award = make_award(db, user, achievement_name="Welding")
    client = _signed_in(app, user)
    path = _make_link(client, {"name": "Acme", "awards": [str(award.id)], "days": "90"})
    link = db.scalars(select(ShareLink).where(ShareLink.user_id == user.id)).one()
    employer = app.test_client()
    assert employer.get(path).status_code == 200

    confirm = client.get(f"/wallet/share-links/{link.id}/revoke")
    assert "Withdraw" in confirm.get_data(as_text=True)
    submit(client, "/wallet/share-links", {}, action=f"/wallet/share-links/{link.id}/revoke")

    gone = employer.get(path)
    assert gone.status_code == 410
    assert "Welding" not in gone.get_data(as_text=True)

    second = _make_link(client, {"name": "Other", "awards": [str(award.id)], "days": "7"})
    other = db.scalars(
        select(ShareLink).where(ShareLink.user_id == user.id, ShareLink.name == "Other")
    ).one()
    other.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.commit()
    assert employer.get(second).status_code == 410
    assert employer.get("/s/not-a-real-token").status_code == 404


def test_a_link_until_a_date_and_refusals(app: Flask, db: Session) -> None:
    user = make_user(db)
    award = make_award(db, user)
    client = _signed_in(app, user)
    until = (utcnow() + dt.timedelta(days=3)).date()
    _make_link(
        client,
        {"name": "Dated", "awards": [str(award.id)], "days": "date", "until": until.isoformat()},
    )
    link = db.scalars(select(ShareLink).where(ShareLink.user_id == user.id)).one()
    assert link.expires_at.date() == until + dt.timedelta(days=1)

    nothing = submit(client, "/wallet/share-links", {"name": "Empty", "days": "7"})
    assert nothing.status_code == 400
    assert "Choose at least one badge or skill" in nothing.get_data(as_text=True)
    past = submit(
        client,
        "/wallet/share-links",
        {"name": "Past", "awards": [str(award.id)], "days": "date", "until": "2001-01-01"},
    )
    assert past.status_code == 400


def test_another_earner_cannot_show_or_withdraw_my_awards(app: Flask, db: Session) -> None:
    owner, thief = make_user(db), make_user(db)
    award = make_award(db, owner, achievement_name="Owner's secret")
    client = _signed_in(app, owner)
    path = _make_link(client, {"name": "Acme", "awards": [str(award.id)], "days": "7"})
    link = db.scalars(select(ShareLink).where(ShareLink.user_id == owner.id)).one()

    stranger = _signed_in(app, thief)
    refused = submit(stranger, "/wallet/share-links", {"name": "Mine", "awards": [str(award.id)]})
    assert refused.status_code == 400
    withdraw = submit(
        stranger, "/wallet/share-links", {}, action=f"/wallet/share-links/{link.id}/revoke"
    )
    assert withdraw.status_code == 404
    assert app.test_client().get(path).status_code == 200
