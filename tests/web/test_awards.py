"""The earner's awards page: their badges only, verified marks, an empty state, pages."""

from __future__ import annotations

import typing as t

import pytest

from tests.factories import PASSWORD
from tests.factories import make_user
from tests.web.helpers import sign_in
from wallet import demo
from wallet import errors
from wallet.backpack import queries
from wallet.backpack import service
from wallet.badges.report import Report
from wallet.db import utcnow

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session


def _report(name: str, status: str = "valid") -> Report:
    report = Report(format="ob3-credential", checked_at=utcnow())
    report.add("signature", "pass" if status == "valid" else "fail", "checked")
    report.credential = {
        "issuer": {"id": "did:key:z6Mk", "name": "Example College"},
        "achievement": {"name": name, "type": "Course"},
        "issued": "2026-01-02T03:04:05Z",
        "expires": None,
    }
    return report


def _add(db: Session, user_id: int, name: str, credential_id: str, status: str = "valid") -> None:
    service.add_award(
        db,
        user_id,
        original=b"{}",
        original_type="application/json",
        report=_report(name, status),
        credential_id=credential_id,
    )


def test_a_new_earner_sees_an_empty_state_that_explains(client: FlaskClient, db: Session) -> None:
    user = make_user(db)
    sign_in(client, user.emails[0].email, PASSWORD)
    assert client.get("/").headers["Location"] == "/wallet"
    page = client.get("/wallet").get_data(as_text=True)
    assert "No badges yet" in page


def test_the_awards_page_shows_only_my_badges_with_their_marks(
    client: FlaskClient, db: Session
) -> None:
    me, other = make_user(db), make_user(db)
    _add(db, me.id, "Robotics", "urn:1")
    _add(db, me.id, "Forged", "urn:2", "invalid")
    _add(db, other.id, "Not mine", "urn:3")
    sign_in(client, me.emails[0].email, PASSWORD)

    page = client.get("/wallet").get_data(as_text=True)
    assert "Robotics" in page
    assert "Verified" in page
    assert "Not valid" in page
    assert "Not mine" not in page
    assert "2 badges" in page


def test_the_same_credential_twice_is_a_duplicate(db: Session) -> None:
    user = make_user(db)
    _add(db, user.id, "A", "urn:same")
    with pytest.raises(errors.Conflict, match="already in your wallet"):
        _add(db, user.id, "A", "urn:same")


def test_awards_come_a_page_at_a_time(db: Session) -> None:
    user = make_user(db)
    for number in range(queries.PAGE_SIZE + 3):
        _add(db, user.id, f"B{number}", f"urn:{number}")
    first, total = queries.awards_page(db, user.id, 1)
    second, _ = queries.awards_page(db, user.id, 2)
    assert total == queries.PAGE_SIZE + 3
    assert len(first) == queries.PAGE_SIZE
    assert len(second) == 3
    assert {a.id for a in first}.isdisjoint({a.id for a in second})


def test_the_demo_earner_holds_verified_badges_from_the_demo_issuer(
    client: FlaskClient, db: Session
) -> None:
    lines = demo.seed(db)
    password = next(line.rsplit(": ", 1)[1] for line in lines if "password" in line)
    sign_in(client, demo.DEMO_EMAIL, password)
    page = client.get("/wallet").get_data(as_text=True)
    for title, kind, *_ in demo.ACHIEVEMENTS:
        assert title in page
        assert kind in page
    assert page.count("✓</span> Verified") == len(demo.ACHIEVEMENTS)
    assert "3 badges" in page
    assert "Waiting for your answer" in page
    assert demo.PENDING[0] in page
    award = page.split('href="/wallet/awards/')[1].split('"')[0]
    detail = client.get(f"/wallet/awards/{award}").get_data(as_text=True)
    assert "ESCO" in detail
    assert client.get(f"/wallet/awards/{award}/image").mimetype == "image/svg+xml"
    collections = client.get("/wallet/collections").get_data(as_text=True)
    assert demo.COLLECTION in collections
    assert "Anyone with the link" in collections
