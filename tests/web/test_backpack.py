"""The earner's wallet: who sees what, notes, tags, pending awards, delete, downloads, filters."""

from __future__ import annotations

import datetime as dt
import io
import json
import typing as t
from pathlib import Path

from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from tests.factories import signed_badge
from tests.issuer_site import IssuerSite
from tests.web.helpers import csrf_token
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from wallet.backpack.models import Award
from wallet.backpack.models import AwardSkill
from wallet.badges import baking
from wallet.db import utcnow

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User

PNG = (
    Path(__file__).parent.parent / "data/vectors/ob2/openbadges-bakery/public_domain_heart.png"
).read_bytes()


def _earner(client: FlaskClient, db: Session) -> User:
    user = make_user(db)
    sign_in(client, user.emails[0].email, PASSWORD)
    return user


def _post(client: FlaskClient, path: str, data: dict[str, str] | None = None) -> t.Any:
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, "/wallet")})


def test_a_public_award_is_seen_by_anyone_until_made_private_again(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    user = _earner(client, db)
    award = make_award(db, user, achievement_name="Welding")
    stranger = app.test_client()
    assert stranger.get(f"/a/{award.public_id}").status_code == 404

    _post(client, f"/wallet/awards/{award.id}/visibility", {"visibility": "public"})
    page = stranger.get(f"/a/{award.public_id}")
    assert page.status_code == 200
    assert "Welding" in page.get_data(as_text=True)

    ask = _post(client, f"/wallet/awards/{award.id}/visibility", {"visibility": "private"})
    assert ask.status_code == 200
    assert "will stop working at once" in ask.get_data(as_text=True)
    assert stranger.get(f"/a/{award.public_id}").status_code == 200  # not yet: not confirmed

    _post(
        client,
        f"/wallet/awards/{award.id}/visibility",
        {"visibility": "private", "confirm": "1"},
    )
    assert stranger.get(f"/a/{award.public_id}").status_code == 404


def test_notes_and_tags_are_the_owners_alone(app: Flask, client: FlaskClient, db: Session) -> None:
    user = _earner(client, db)
    award = make_award(db, user, visibility="public")
    saved = _post(
        client,
        f"/wallet/awards/{award.id}/notes",
        {"note": "Ask Sam for a reference", "tags": "Work, Cohort-7, work"},
    )
    assert saved.status_code == 302
    page = client.get(f"/wallet/awards/{award.id}").get_data(as_text=True)
    assert "Ask Sam for a reference" in page
    assert 'value="work, cohort-7"' in page

    other = app.test_client()
    sign_in(other, make_user(db).emails[0].email, PASSWORD)
    assert other.get(f"/wallet/awards/{award.id}").status_code == 404
    public = other.get(f"/a/{award.public_id}").get_data(as_text=True)
    assert "Ask Sam" not in public
    assert "cohort-7" not in public

    filtered = client.get("/wallet?tag=work").get_data(as_text=True)
    assert award.achievement_name in filtered


def test_too_many_tags_are_refused_with_a_message(client: FlaskClient, db: Session) -> None:
    user = _earner(client, db)
    award = make_award(db, user)
    tags = ", ".join(f"t{n}" for n in range(25))
    _post(client, f"/wallet/awards/{award.id}/notes", {"tags": tags})
    assert "Use at most 20 tags." in client.get(f"/wallet/awards/{award.id}").get_data(as_text=True)
    db.refresh(award)
    assert award.tags == []


def test_a_pending_award_is_accepted_or_declined_and_a_decline_undone_for_30_days(
    client: FlaskClient, db: Session
) -> None:
    user = _earner(client, db)
    award = make_award(db, user, acceptance="pending", achievement_name="Sent Badge")
    wallet = client.get("/wallet").get_data(as_text=True)
    assert "Waiting for your answer" in wallet
    assert "1 badge" not in wallet  # pending awards are not counted among those held

    _post(client, f"/wallet/awards/{award.id}/decline")
    assert "Sent Badge" not in client.get("/wallet").get_data(as_text=True)
    assert "Sent Badge" in client.get("/wallet?show=declined").get_data(as_text=True)

    _post(client, f"/wallet/awards/{award.id}/accept")
    assert "Sent Badge" in client.get("/wallet").get_data(as_text=True)

    _post(client, f"/wallet/awards/{award.id}/decline")
    award.declined_at = utcnow() - dt.timedelta(days=31)
    db.commit()
    too_late = _post(client, f"/wallet/awards/{award.id}/accept")
    assert too_late.status_code == 409
    assert "too long ago" in too_late.get_data(as_text=True)


def test_a_pending_award_cannot_be_made_public(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    user = _earner(client, db)
    award = make_award(db, user, acceptance="pending")
    _post(client, f"/wallet/awards/{award.id}/visibility", {"visibility": "public"})
    db.refresh(award)
    assert award.visibility == "private"
    assert app.test_client().get(f"/a/{award.public_id}").status_code == 404


def test_delete_asks_first_and_leaves_other_awards(client: FlaskClient, db: Session) -> None:
    user = _earner(client, db)
    doomed, kept = make_award(db, user).id, make_award(db, user).id
    ask = client.get(f"/wallet/awards/{doomed}/delete")
    assert "cannot be undone" in ask.get_data(as_text=True)
    assert db.get(Award, doomed) is not None

    done = _post(client, f"/wallet/awards/{doomed}/delete")
    assert done.status_code == 302
    db.expire_all()
    assert db.get(Award, doomed) is None
    assert db.get(Award, kept) is not None
    assert client.get(f"/wallet/awards/{doomed}").status_code == 404


def test_the_original_downloads_byte_for_byte_and_the_picture_is_served(
    client: FlaskClient, db: Session
) -> None:
    user = _earner(client, db)
    baked = baking.bake_png(PNG, json.dumps(signed_badge(user.emails[0].email)), standard="ob3")
    token = csrf_token(client, "/wallet/import")
    response = client.post(
        "/wallet/import",
        data={"csrf_token": token, "files": [(io.BytesIO(baked), "b.png")]},
        content_type="multipart/form-data",
    )
    award_id = int(response.headers["Location"].rsplit("/", 1)[1])

    original = client.get(f"/wallet/awards/{award_id}/original")
    assert original.data == baked
    assert original.headers["Content-Disposition"].startswith("attachment")
    picture = client.get(f"/wallet/awards/{award_id}/image")
    assert picture.mimetype == "image/png"
    assert picture.data == baked


def test_an_svg_picture_is_never_served_as_a_document(client: FlaskClient, db: Session) -> None:
    user = _earner(client, db)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    award = make_award(db, user, original=svg, original_type="image/svg+xml")
    response = client.get(f"/wallet/awards/{award.id}/image")
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_imported_badge_keeps_its_picture_and_shows_its_skills_and_criteria(
    client: FlaskClient, db: Session, site: str
) -> None:
    user = _earner(client, db)
    IssuerSite.documents["/picture.png"] = PNG
    skill = {
        "targetName": "Soldering",
        "targetUrl": "http://data.europa.eu/esco/skill/0",
        "targetFramework": "ESCO",
    }
    badge = signed_badge(user.emails[0].email, image=f"{site}/picture.png", alignments=[skill])
    response = submit(client, "/wallet/import", {"text": json.dumps(badge)})
    award_id = int(response.headers["Location"].rsplit("/", 1)[1])

    page = client.get(f"/wallet/awards/{award_id}").get_data(as_text=True)
    assert "Build a robot." in page  # criteria
    assert "Soldering" in page  # a skill, with its framework
    assert "ESCO" in page
    assert client.get(f"/wallet/awards/{award_id}/image").data == PNG
    skills = db.query(AwardSkill).filter_by(award_id=award_id).all()
    assert [skill.normalized for skill in skills] == ["soldering"]


def test_filters_search_and_sort_narrow_the_wallet(client: FlaskClient, db: Session) -> None:
    user = _earner(client, db)
    make_award(db, user, achievement_name="Zeta Welding", issuer_name="Acme", skills=["Welding"])
    make_award(db, user, achievement_name="Alpha Python", achievement_type="Certification")
    make_award(db, user, achievement_name="Gone Badge", revoked_at=utcnow())
    make_award(db, user, achievement_name="Old Badge", expires_at=utcnow() - dt.timedelta(days=1))

    def names(query: str) -> list[str]:
        page = client.get(f"/wallet?{query}").get_data(as_text=True)
        found = ("Zeta Welding", "Alpha Python", "Gone Badge", "Old Badge")
        return sorted((name for name in found if name in page), key=page.index)

    assert names("issuer=Acme") == ["Zeta Welding"]
    assert names("type=Certification") == ["Alpha Python"]
    assert names("skill=welding") == ["Zeta Welding"]
    assert names("q=pyth") == ["Alpha Python"]
    assert names("state=revoked") == ["Gone Badge"]
    assert names("state=expired") == ["Old Badge"]
    assert names("state=valid") == ["Zeta Welding", "Alpha Python"] or names("state=valid") == [
        "Alpha Python",
        "Zeta Welding",
    ]
    assert names("sort=name") == ["Alpha Python", "Gone Badge", "Old Badge", "Zeta Welding"]
    assert "No badges match" in client.get("/wallet?q=nothing-like-this").get_data(as_text=True)
    assert names("q=%25") == []  # a % is searched for, not a wildcard


def test_a_revoked_or_expired_award_never_reads_as_verified(
    client: FlaskClient, db: Session
) -> None:
    user = _earner(client, db)
    revoked = make_award(db, user, revoked_at=utcnow())
    expired = make_award(db, user, expires_at=utcnow() - dt.timedelta(days=2))
    for award, words in ((revoked, "Revoked by its issuer"), (expired, "Expired on")):
        page = client.get(f"/wallet/awards/{award.id}").get_data(as_text=True)
        assert words in page
        assert "✓</span> Verified" not in page
