"""A public award's page and everything that shares it, as earners, visitors and crawlers see it."""

from __future__ import annotations

import io
import json
import re
import typing as t
import urllib.parse

from PIL import Image
from sqlalchemy import select

from tests.background import work
from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from tests.factories import signed_badge
from tests.web.helpers import csrf_token
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from wallet import demo
from wallet.accounts.models import User
from wallet.backpack.models import Award
from wallet.badges import baking
from wallet.badges.verify import verify
from wallet.db import utcnow
from wallet.events.models import OutboxMessage
from wallet.http import FetchError

if t.TYPE_CHECKING:
    import redis
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime

BROWSER = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"}


def _meta(html: str, name: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)
    assert match, f"no {name} in the page"
    return match.group(1).replace("&amp;", "&")


def _events(db: Session, kind: str) -> list[dict[str, t.Any]]:
    db.expire_all()
    rows = db.scalars(select(OutboxMessage).where(OutboxMessage.type == kind))
    return [row.payload for row in rows]


def _owner_email(db: Session, award: Award) -> str:
    return db.get_one(User, award.user_id).emails[0].email


def _public_award(db: Session, **fields: t.Any) -> Award:
    owner = make_user(db, display_name="Ada Lovelace")
    return make_award(
        db, owner, **({"visibility": "public", "achievement_name": "Welding"} | fields)
    )


def test_the_page_has_open_graph_tags_with_an_absolute_1200_by_627_preview(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    award = _public_award(db)
    html = client.get(f"/a/{award.public_id}", headers=BROWSER).get_data(as_text=True)
    base = app.extensions["wallet"].config.base_url
    image = _meta(html, "og:image")
    assert image == f"{base}/a/{award.public_id}/preview.png"
    assert urllib.parse.urlsplit(image).scheme in ("http", "https")
    assert _meta(html, "twitter:image") == image
    assert _meta(html, "twitter:card") == "summary_large_image"
    assert _meta(html, "og:url") == f"{base}/a/{award.public_id}"
    assert _meta(html, "og:title") == "Welding, issued by Example Issuer"
    assert (_meta(html, "og:image:width"), _meta(html, "og:image:height")) == ("1200", "627")
    assert "Earned by Ada Lovelace" in html

    preview = client.get(urllib.parse.urlsplit(image).path)
    assert preview.status_code == 200
    assert preview.mimetype == "image/png"
    assert Image.open(io.BytesIO(preview.data)).size == (1200, 627)
    again = client.get(
        urllib.parse.urlsplit(image).path, headers={"If-None-Match": preview.headers["ETag"]}
    )
    assert again.status_code == 304  # caches ask again each time, and get a cheap answer

    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert found
    document = json.loads(found.group(1))
    assert document["@type"] == "EducationalOccupationalCredential"
    assert document["name"] == "Welding"
    assert document["recognizedBy"]["name"] == "Example Issuer"


def test_a_hostile_badge_name_stays_data_in_the_json_ld(client: FlaskClient, db: Session) -> None:
    award = _public_award(db, achievement_name="</script><script>alert(1)</script>")
    html = client.get(f"/a/{award.public_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert found
    assert json.loads(found.group(1))["name"] == "</script><script>alert(1)</script>"


def test_a_private_award_is_not_found_on_any_of_its_sharing_routes(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    owner = make_user(db)
    award = make_award(db, owner, visibility="public")
    paths = [
        f"/a/{award.public_id}{suffix}"
        for suffix in (
            "",
            "/preview.png",
            "/qr.svg",
            "/embed",
            "/baked.png",
            "/baked.svg",
            "/image",
            "/share/linkedin",
            "/share/linkedin-profile",
        )
    ]
    assert all(client.get(path).status_code in (200, 302, 404) for path in paths)
    award.visibility = "private"
    db.commit()
    stranger = app.test_client()
    sign_in(stranger, make_user(db).emails[0].email, PASSWORD)
    for visitor in (client, stranger):
        for path in paths:
            assert visitor.get(path).status_code == 404, path
    owner_client = app.test_client()
    sign_in(owner_client, owner.emails[0].email, PASSWORD)
    assert owner_client.get(f"/a/{award.public_id}/preview.png").status_code == 200


def test_only_the_embed_may_be_framed(client: FlaskClient, db: Session) -> None:
    award = _public_award(db)
    page = client.get(f"/a/{award.public_id}")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    embed = client.get(f"/a/{award.public_id}/embed")
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    assert "Welding" in embed.get_data(as_text=True)
    # The page offers the snippet that frames exactly that route.
    assert f"/a/{award.public_id}/embed" in page.get_data(as_text=True)
    qr = client.get(f"/a/{award.public_id}/qr.svg")
    assert qr.mimetype == "image/svg+xml"
    assert qr.data.lstrip().startswith(b"<svg")


def test_the_baked_downloads_carry_the_credential_our_verifier_reads(
    client: FlaskClient, db: Session
) -> None:
    earner = make_user(db)
    sign_in(client, earner.emails[0].email, PASSWORD)
    badge = json.dumps(signed_badge(earner.emails[0].email, name="Robotics"))
    response = submit(client, "/wallet/import", {"text": badge})
    assert response.status_code == 302, response.get_data(as_text=True)
    award = db.scalars(select(Award).where(Award.user_id == earner.id)).one()
    award.visibility = "public"
    db.commit()

    def offline(url: str, *, accept: t.Sequence[str]) -> t.Any:
        raise FetchError("offline", url)

    for kind, media_type in (("png", "image/png"), ("svg", "image/svg+xml")):
        download = client.get(f"/a/{award.public_id}/baked.{kind}")
        assert download.status_code == 200
        assert download.mimetype == media_type
        assert download.headers["Content-Disposition"].startswith("attachment")
        found = baking.extract(download.data)
        assert (found.standard, found.text) == ("ob3", badge.strip())
        report = verify(download.data, fetch=offline, recipients=[earner.emails[0].email])
        assert report.status == "valid", report.to_json()
        assert report.credential["achievement"]["name"] == "Robotics"


def test_an_anonymous_recheck_verifies_again_and_is_rate_limited(
    client: FlaskClient, db: Session
) -> None:
    earner = make_user(db)
    sign_in(client, earner.emails[0].email, PASSWORD)
    submit(client, "/wallet/import", {"text": json.dumps(signed_badge(earner.emails[0].email))})
    award = db.scalars(select(Award).where(Award.user_id == earner.id)).one()
    award.visibility = "public"
    award.verification_status = "unverifiable"
    db.commit()
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/wallet")})

    page = client.get(f"/a/{award.public_id}").get_data(as_text=True)
    assert "Check again now" in page
    token = csrf_token(client, f"/a/{award.public_id}")
    answer = client.post(f"/a/{award.public_id}/recheck", data={"csrf_token": token})
    assert answer.status_code == 302
    db.expire_all()
    assert db.get_one(Award, award.id).verification_status == "valid"
    page = client.get(f"/a/{award.public_id}").get_data(as_text=True)
    assert "Checked again just now." in page
    assert re.search(r"Checked \d+ seconds? ago, on", page)
    statuses = [
        client.post(f"/a/{award.public_id}/recheck", data={"csrf_token": token}).status_code
        for _ in range(3)
    ]
    assert statuses[-1] == 429


def test_revoked_and_expired_awards_say_so_on_the_page_and_the_preview(
    client: FlaskClient, db: Session
) -> None:
    award = _public_award(db, revoked_at=utcnow())
    html = client.get(f"/a/{award.public_id}").get_data(as_text=True)
    assert "Revoked by its issuer on" in html
    preview = client.get(f"/a/{award.public_id}/preview.png")
    # The red band along the top of a card for a revoked award.
    assert Image.open(io.BytesIO(preview.data)).convert("RGB").getpixel((600, 4)) == (176, 0, 32)


def test_a_view_counts_once_per_viewer_per_day_and_never_stores_the_address(
    app: Flask, client: FlaskClient, db: Session, redis: redis.Redis
) -> None:
    award = _public_award(db)
    path = f"/a/{award.public_id}"
    for _ in range(3):
        assert client.get(path, headers=BROWSER).status_code == 200
    assert len(_events(db, "award.viewed")) == 1
    client.get(path, headers={"User-Agent": "Mozilla/5.0 (Macintosh) Firefox/140.0"})
    assert len(_events(db, "award.viewed")) == 2  # another browser is another viewer
    client.get(path, headers={"User-Agent": "LinkedInBot/1.0 (compatible; Mozilla/5.0)"})
    owner = app.test_client()
    sign_in(owner, _owner_email(db, award), PASSWORD)
    owner.get(path, headers=BROWSER)
    events = _events(db, "award.viewed")
    assert len(events) == 2  # neither the crawler nor the earner counts
    assert events[0] == {"award_id": award.id, "issuer_id": None, "about_user_id": award.user_id}
    keys = [key.decode() for key in redis.scan_iter("sharing:*")]
    assert keys
    assert not any("127.0.0.1" in key or "Mozilla" in key for key in keys)


def test_the_earners_shares_are_recorded_with_their_channel(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    award = _public_award(db)
    owner = app.test_client()
    sign_in(owner, _owner_email(db, award), PASSWORD)
    to = owner.get(f"/a/{award.public_id}/share/linkedin").headers["Location"]
    assert to.startswith("https://www.linkedin.com/sharing/share-offsite/?url=")
    owner.get(f"/a/{award.public_id}/share/x")
    token = csrf_token(owner, f"/a/{award.public_id}")
    assert (
        owner.post(f"/a/{award.public_id}/share/copy", data={"csrf_token": token}).status_code
        == 204
    )
    client.get(f"/a/{award.public_id}/share/facebook")  # a visitor's share is not the earner's
    assert [e["channel"] for e in _events(db, "award.shared")] == ["linkedin", "x", "copy"]
    assert owner.get(f"/a/{award.public_id}/share/myspace").status_code == 404


def test_downloads_are_recorded_once_per_viewer_per_day(client: FlaskClient, db: Session) -> None:
    award = _public_award(db)
    for _ in range(2):
        assert client.get(f"/a/{award.public_id}/baked.png").status_code == 200
    client.get(f"/a/{award.public_id}/baked.svg")
    assert sorted(e["format"] for e in _events(db, "award.downloaded")) == ["png", "svg"]


def test_our_own_issuers_linkedin_page_goes_in_the_add_to_profile_link(
    app: Flask, client: FlaskClient, db: Session, runtime: Runtime
) -> None:
    staff = make_user(db)
    sign_in(client, staff.emails[0].email, PASSWORD)
    created = submit(
        client,
        "/issuers",
        {"name": "Dock School", "url": "https://dock.example", "email": "d@dock.example"},
    )
    issuer_id = int(created.headers["Location"].rsplit("/", 1)[1])
    saved = submit(
        client,
        f"/issuers/{issuer_id}/linkedin",
        {"organization_id": "https://www.linkedin.com/company/1337/admin/"},
    )
    assert saved.status_code == 302
    assert "now link to your page" in client.get(saved.headers["Location"]).get_data(as_text=True)
    refused = submit(client, f"/issuers/{issuer_id}/linkedin", {"organization_id": "dock"})
    assert "Enter the number" in client.get(refused.headers["Location"]).get_data(as_text=True)
    made = submit(
        client,
        f"/issuers/{issuer_id}/achievements/new",
        {"name": "Knots", "achievement_type": "Course", "description": "d", "criteria": "c"},
    )
    achievement_id = int(made.headers["Location"].rsplit("/", 1)[1])
    earner = make_user(db)
    submit(
        client,
        f"/issuers/{issuer_id}/achievements/{achievement_id}",
        {"email": earner.emails[0].email, "name": "Ada"},
    )
    work(runtime)
    award = db.scalars(select(Award).where(Award.user_id == earner.id)).one()
    award.acceptance, award.visibility = "accepted", "public"
    db.commit()

    html = client.get(f"/a/{award.public_id}").get_data(as_text=True)
    assert "Dock School" in html
    location = (
        app.test_client().get(f"/a/{award.public_id}/share/linkedin-profile").headers["Location"]
    )
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    assert query["organizationId"] == "1337"
    assert "organizationName" not in query
    assert query["name"] == "Knots"
    assert query["issueMonth"] == str(award.issued_at.month)  # type: ignore[union-attr]
    assert query["certUrl"].endswith(f"/a/{award.public_id}")
    assert query["certId"] == award.credential_id


def test_the_demo_earners_public_award_page_has_a_correct_preview(
    app: Flask, client: FlaskClient, db: Session, runtime: Runtime
) -> None:
    demo.seed(db, data_keys=runtime.config.data_keys)
    owner = db.scalars(select(User).where(User.handle == "demo")).one()
    award = db.scalars(
        select(Award).where(Award.user_id == owner.id, Award.visibility == "public")
    ).first()
    assert award is not None
    html = client.get(f"/a/{award.public_id}", headers=BROWSER).get_data(as_text=True)
    base = app.extensions["wallet"].config.base_url
    assert _meta(html, "og:image") == f"{base}/a/{award.public_id}/preview.png"
    assert _meta(html, "og:title").startswith(award.achievement_name)
    assert "Earned by Demo Earner" in html
    preview = client.get(f"/a/{award.public_id}/preview.png")
    assert preview.status_code == 200
    picture = Image.open(io.BytesIO(preview.data))
    assert picture.size == (1200, 627)
    colours = picture.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50  # a drawn card, not a blank image
