"""The issuer side through its pages: create, design, award, revoke, team, audit, domain."""

from __future__ import annotations

import io
import json
import re
import typing as t

from sqlalchemy import select

from tests.background import work
from tests.factories import PASSWORD
from tests.factories import link_in_last_mail
from tests.factories import make_user
from tests.issuer_site import IssuerSite
from tests.web.helpers import csrf_token
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from wallet.backpack.models import Award
from wallet.issuers.models import Achievement
from wallet.issuers.models import AuditEntry
from wallet.issuers.models import Issuer

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


def _issuer(client: FlaskClient, db: Session, url: str = "https://college.example") -> Issuer:
    response = submit(
        client,
        "/issuers",
        {"name": "Example College", "url": url, "email": "badges@college.example"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.get_one(Issuer, int(response.headers["Location"].rsplit("/", 1)[1]))


def _achievement(client: FlaskClient, db: Session, issuer: Issuer) -> Achievement:
    response = submit(
        client,
        f"/issuers/{issuer.id}/achievements/new",
        {
            "name": "Welding I",
            "achievement_type": "Course",
            "description": "Safe **MIG** welding.",
            "criteria": "Pass the practical:\n\n- setup\n- weld",
            "skills": "welding | ESCO | S6.1 | http://data.europa.eu/esco/skill/x\n\n",
            "tags": "trades, metal",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.get_one(Achievement, int(response.headers["Location"].rsplit("/", 1)[1]))


def test_an_issuer_designs_a_badge_awards_it_and_the_earner_accepts_it(
    app: Flask, client: FlaskClient, db: Session, runtime: Runtime
) -> None:
    staff = make_user(db)
    sign_in(client, staff.emails[0].email, PASSWORD)
    issuer = _issuer(client, db)
    achievement = _achievement(client, db, issuer)
    page = client.get(f"/issuers/{issuer.id}/achievements/{achievement.id}").get_data(as_text=True)
    assert "<strong>MIG</strong>" in page
    assert "<li>setup</li>" in page
    assert achievement.alignments == [
        {
            "name": "welding",
            "framework": "ESCO",
            "code": "S6.1",
            "url": "http://data.europa.eu/esco/skill/x",
        }
    ]

    earner = make_user(db)
    awarded = submit(
        client,
        f"/issuers/{issuer.id}/achievements/{achievement.id}",
        {"email": earner.emails[0].email, "name": "Ada"},
    )
    assert awarded.status_code == 302
    work(runtime)

    earner_client = app.test_client()
    sign_in(earner_client, earner.emails[0].email, PASSWORD)
    wallet = earner_client.get("/wallet").get_data(as_text=True)
    assert "Waiting for your answer" in wallet
    assert "Welding I" in wallet
    award = db.scalars(select(Award).where(Award.user_id == earner.id)).one()
    earner_client.post(
        f"/wallet/awards/{award.id}/accept",
        data={"csrf_token": csrf_token(earner_client, "/wallet")},
    )
    page = earner_client.get(f"/wallet/awards/{award.id}").get_data(as_text=True)
    assert "Verified" in page
    assert "welding" in page
    assert earner_client.get(f"/wallet/awards/{award.id}/image").mimetype == "image/svg+xml"


def test_a_revoked_award_says_so_in_its_hosted_assertion(
    client: FlaskClient, db: Session, runtime: Runtime
) -> None:
    staff = make_user(db)
    sign_in(client, staff.emails[0].email, PASSWORD)
    issuer = _issuer(client, db)
    achievement = _achievement(client, db, issuer)
    submit(
        client, f"/issuers/{issuer.id}/achievements/{achievement.id}", {"email": "x@example.org"}
    )
    dashboard = client.get(f"/issuers/{issuer.id}").get_data(as_text=True)
    revoke = re.search(r'href="(/issuers/\d+/awards/([0-9a-f]{32})/revoke)"', dashboard)
    assert revoke
    ask = client.get(revoke.group(1)).get_data(as_text=True)
    assert "This cannot be undone" in ask
    empty = submit(client, revoke.group(1), {"reason": ""})
    assert empty.status_code == 400
    done = submit(client, revoke.group(1), {"reason": "Awarded by mistake"})
    assert done.status_code == 302
    hosted = json.loads(client.get(f"/ob/v2/assertions/{revoke.group(2)}").data)
    assert hosted["revoked"] is True
    assert hosted["revocationReason"] == "Awarded by mistake"
    assert "revoked: Awarded by mistake" in client.get(f"/issuers/{issuer.id}").get_data(
        as_text=True
    )


def test_an_invited_analyst_joins_sees_data_but_cannot_award_or_read_the_audit_log(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    owner = make_user(db)
    sign_in(client, owner.emails[0].email, PASSWORD)
    issuer = _issuer(client, db)
    achievement = _achievement(client, db, issuer)
    analyst = make_user(db)
    invited = submit(
        client,
        f"/issuers/{issuer.id}/members",
        {"email": analyst.emails[0].email, "role": "analyst"},
    )
    assert invited.status_code == 302
    join = link_in_last_mail(db, analyst.emails[0].email, "/issuers/join/")

    stranger = app.test_client()
    sign_in(stranger, make_user(db).emails[0].email, PASSWORD)
    refused = submit(stranger, join, {})
    assert refused.status_code == 403
    assert "This invitation is for" in refused.get_data(as_text=True)

    other = app.test_client()
    sign_in(other, analyst.emails[0].email, PASSWORD)
    assert submit(other, join, {}).status_code == 302
    assert other.get(f"/issuers/{issuer.id}").status_code == 200
    award = other.post(
        f"/issuers/{issuer.id}/achievements/{achievement.id}",
        data={"csrf_token": csrf_token(other, "/wallet"), "email": "x@example.org"},
    )
    assert award.status_code == 403
    assert other.get(f"/issuers/{issuer.id}/audit").status_code == 403
    assert submit(other, join, {}).status_code == 404  # used once

    log = client.get(f"/issuers/{issuer.id}/audit").get_data(as_text=True)
    for action in ("issuer.created", "achievement.created", "member.invited", "member.joined"):
        assert action in log
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.issuer_id == issuer.id)).all()
    assert "award.created" not in actions


def test_the_last_owner_cannot_leave(client: FlaskClient, db: Session) -> None:
    owner = make_user(db)
    sign_in(client, owner.emails[0].email, PASSWORD)
    issuer = _issuer(client, db)
    left = submit(client, f"/issuers/{issuer.id}/members/{owner.id}/remove", {})
    assert left.status_code == 302
    page = client.get(left.headers["Location"]).get_data(as_text=True)
    assert "An issuer needs at least one owner." in page
    assert client.get(f"/issuers/{issuer.id}").status_code == 200


def test_an_issuer_proves_its_domain_with_a_token_on_its_site(
    client: FlaskClient, db: Session, site: str
) -> None:
    owner = make_user(db)
    sign_in(client, owner.emails[0].email, PASSWORD)
    issuer = _issuer(client, db, url=f"{site}/about")
    missing = submit(client, f"/issuers/{issuer.id}/domain", {})
    assert missing.status_code == 400
    IssuerSite.documents["/.well-known/wallet-issuer.txt"] = b"something else"
    wrong = submit(client, f"/issuers/{issuer.id}/domain", {})
    assert "does not contain your token yet" in wrong.get_data(as_text=True)
    IssuerSite.documents["/.well-known/wallet-issuer.txt"] = issuer.domain_token.encode()
    done = submit(client, f"/issuers/{issuer.id}/domain", {})
    assert done.status_code == 302
    db.refresh(issuer)
    assert issuer.domain_verified_at is not None
    assert "Domain verified" in client.get(f"/issuers/{issuer.id}").get_data(as_text=True)


def test_an_uploaded_svg_picture_is_cleaned_and_a_png_kept(
    client: FlaskClient, db: Session
) -> None:
    staff = make_user(db)
    sign_in(client, staff.emails[0].email, PASSWORD)
    issuer = _issuer(client, db)
    hostile = (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>'
        b'<circle r="40" fill="red"/><a href="javascript:alert(3)"><rect width="9"/></a></svg>'
    )
    token = csrf_token(client, f"/issuers/{issuer.id}/achievements/new")
    fields = {"csrf_token": token, "name": "Pic", "description": "d", "criteria": "c"}
    made = client.post(
        f"/issuers/{issuer.id}/achievements/new",
        data={**fields, "image": (io.BytesIO(hostile), "pic.svg")},
        content_type="multipart/form-data",
    )
    assert made.status_code == 302
    achievement = db.get_one(Achievement, int(made.headers["Location"].rsplit("/", 1)[1]))
    served = client.get(f"/ob/v2/badges/{achievement.public_id}/image")
    assert served.mimetype == "image/svg+xml"
    assert b"<circle" in served.data
    for bad in (b"script", b"onload", b"javascript"):
        assert bad not in served.data
    assert "sandbox" in served.headers["Content-Security-Policy"]

    refused = client.post(
        f"/issuers/{issuer.id}/achievements/new",
        data={**fields, "image": (io.BytesIO(b"GIF89a not allowed"), "pic.gif")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert "Upload the picture as a PNG or SVG file." in refused.get_data(as_text=True)


def test_a_csv_awards_everyone_in_it_in_the_background_with_a_result_per_line(
    client: FlaskClient, db: Session, runtime: Runtime
) -> None:
    staff = make_user(db)
    sign_in(client, staff.emails[0].email, PASSWORD)
    issuer = _issuer(client, db)
    achievement = _achievement(client, db, issuer)
    known = make_user(db)
    csv_text = (
        "Name,Email\n"
        f"Ada,{known.emails[0].email}\n"
        "Bea,bea@example.org\n"
        "Cy,not-an-address\n"
        ",\n"
        "Di,di@example.org\n"
    )
    token = csrf_token(client, f"/issuers/{issuer.id}/achievements/{achievement.id}")
    started = client.post(
        f"/issuers/{issuer.id}/achievements/{achievement.id}/upload",
        data={"csrf_token": token, "file": (io.BytesIO(csv_text.encode()), "cohort.csv")},
        content_type="multipart/form-data",
    )
    assert started.status_code == 302
    page_url = started.headers["Location"]
    status = json.loads(client.get(page_url + "/status").data)
    assert status == {"done": 1, "total": 4, "finished": False}  # the bad address, at once

    work(runtime)
    status = json.loads(client.get(page_url + "/status").data)
    assert status == {"done": 4, "total": 4, "finished": True}
    page = client.get(page_url).get_data(as_text=True)
    assert page.count("✓ awarded") == 3
    assert "not awarded: This is not an email address." in page
    assert "line 4" in page
    work(runtime)  # the deliveries the awards started
    assert db.scalars(select(Award).where(Award.user_id == known.id)).one().acceptance == "pending"


def test_a_csv_without_an_email_column_is_refused_and_awards_nobody(
    client: FlaskClient, db: Session
) -> None:
    staff = make_user(db)
    sign_in(client, staff.emails[0].email, PASSWORD)
    issuer = _issuer(client, db)
    achievement = _achievement(client, db, issuer)
    token = csrf_token(client, f"/issuers/{issuer.id}/achievements/{achievement.id}")
    refused = client.post(
        f"/issuers/{issuer.id}/achievements/{achievement.id}/upload",
        data={"csrf_token": token, "file": (io.BytesIO(b"who\nada@example.org\n"), "x.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "one called email" in refused.get_data(as_text=True)
    assert "Nothing awarded yet." in client.get(f"/issuers/{issuer.id}").get_data(as_text=True)
