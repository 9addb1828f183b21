"""Production HTTP settings as a browser or a CDN meets them: compression, validators, caching."""

from __future__ import annotations

import gzip
import os
import re
import typing as t
import urllib.parse

import brotli
from flask import Flask
from flask import url_for

from tests.factories import make_award
from tests.factories import make_user
from wallet import gunicorn_conf
from wallet.issuers import documents
from wallet.issuers import service as issuers
from wallet.web import assets

if t.TYPE_CHECKING:
    from pathlib import Path

    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

YEAR = "public, max-age=31536000, immutable"


def _stylesheet(html: str) -> str:
    match = re.search(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert match, "no stylesheet link in the page"
    return match.group(1).replace("&amp;", "&")


def test_a_page_travels_compressed_when_the_browser_accepts_it(client: FlaskClient) -> None:
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    squeezed = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    zipped = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert squeezed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(squeezed.get_data()) == plain.get_data()
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert len(squeezed.get_data()) < len(plain.get_data()) / 2
    assert "Accept-Encoding" in squeezed.headers["Vary"]


def test_json_and_stylesheets_are_compressed_too(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert document.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(document.get_data()).startswith(b"{")
    stylesheet = client.get("/static/css/app.css", headers={"Accept-Encoding": "br"})
    assert stylesheet.headers["Content-Encoding"] == "br"
    assert b"{" in brotli.decompress(stylesheet.get_data())


def test_pages_link_fingerprinted_static_files_kept_for_a_year(client: FlaskClient) -> None:
    href = _stylesheet(client.get("/").get_data(as_text=True))
    assert re.fullmatch(r"/static/css/app\.css\?v=[0-9a-f]{12}", href)
    response = client.get(href)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == YEAR


def test_a_static_url_without_its_fingerprint_still_works_but_is_revalidated(
    client: FlaskClient,
) -> None:
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert b"{" in response.get_data()
    assert response.headers["Cache-Control"] == "public, no-cache"
    stale = client.get("/static/css/app.css?v=000000000000")
    assert stale.status_code == 200
    assert stale.headers["Cache-Control"] == "public, no-cache"


def test_the_fingerprint_changes_when_the_file_changes(tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text("body { color: black }")
    app = Flask("fingerprint-check", static_folder=str(tmp_path), static_url_path="/static")
    assets.init_app(app)
    with app.test_request_context():
        before = url_for("static", filename="site.css")
        (tmp_path / "site.css").write_text("body { color: navy; }")
        after = url_for("static", filename="site.css")
        missing = url_for("static", filename="gone.css")
    assert before != after
    assert before.startswith("/static/site.css?v=")
    assert after.startswith("/static/site.css?v=")
    assert missing == "/static/gone.css"
    client = app.test_client()
    fresh = client.get(after)
    assert fresh.headers["Cache-Control"] == YEAR
    assert fresh.get_data() == b"body { color: navy; }"
    old = client.get(before)
    assert old.headers["Cache-Control"] == "public, no-cache"


def test_a_public_award_page_answers_304_to_a_browser_that_has_it(
    client: FlaskClient, db: Session
) -> None:
    award = make_award(db, make_user(db), visibility="public", achievement_name="Welding")
    first = client.get(f"/a/{award.public_id}")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get(f"/a/{award.public_id}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_gunicorn_settings_follow_the_cores_and_recycle_workers() -> None:
    two, eight = gunicorn_conf.settings(2), gunicorn_conf.settings(8)
    assert (two["workers"], eight["workers"]) == (4, 16)
    assert two["worker_class"] == "gthread"
    assert two["preload_app"] is True
    assert two["max_requests"] > 0
    assert 0 < two["max_requests_jitter"] < two["max_requests"]
    assert gunicorn_conf.workers == gunicorn_conf.settings(os.cpu_count())["workers"]


def test_an_issuers_published_profile_answers_304_to_a_verifier_that_has_it(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    owner = make_user(db)
    issuer = issuers.create_issuer(
        db,
        owner.id,
        name="Cached College",
        url="https://cached.example",
        email="badges@cached.example",
        description="",
        data_keys=app.extensions["wallet"].config.data_keys,
    )
    path = urllib.parse.urlsplit(documents.Urls("http://localhost").profile(issuer)).path
    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
