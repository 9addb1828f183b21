"""Export all my data from the settings page: start, follow, download, and the mailed link."""

from __future__ import annotations

import datetime as dt
import io
import json
import typing as t
import zipfile

from sqlalchemy import select

from tests.factories import PASSWORD
from tests.factories import link_in_last_mail
from tests.factories import make_user
from tests.factories import signed_badge
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from wallet.backpack import export_service
from wallet.backpack import service
from wallet.backpack.models import DataExport
from wallet.db import utcnow

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User


def _signed_in(client: FlaskClient, db: Session) -> User:
    user = make_user(db)
    assert sign_in(client, user.emails[0].email, PASSWORD).status_code == 302
    return user


def _with_badges(db: Session, user: User, count: int) -> None:
    for number in range(count):
        badge = json.dumps(signed_badge(user.emails[0].email, name=f"Skill {number}"))
        award, _report = service.import_award(db, user.id, badge, fetch=_offline)
        assert award is not None


def _exports(db: Session, user: User) -> list[DataExport]:
    db.expire_all()
    return list(db.scalars(select(DataExport).where(DataExport.user_id == user.id)))


def test_starting_an_export_shows_its_progress_until_the_download_link(
    client: FlaskClient, db: Session
) -> None:
    user = _signed_in(client, db)
    _with_badges(db, user, 2)
    page = client.get("/settings").get_data(as_text=True)
    assert "Download my data" in page
    assert "Export my data" in page

    started = submit(client, "/settings", {}, action="/settings/export")
    assert started.status_code == 302
    assert started.headers["Location"].endswith("/settings#export")
    again = submit(client, "/settings", {}, action="/settings/export")
    assert again.status_code == 302
    [export] = _exports(db, user)  # the second request joined the first

    page = client.get("/settings").get_data(as_text=True)
    assert f'data-export-status="/settings/export/{export.id}"' in page
    assert '<progress id="export-progress" max="2" value="0">' in page
    assert "Your export is waiting to start." in page
    assert "/static/js/export.js" in page
    assert "<noscript>" in page
    assert "Export my data</button>" not in page  # one export at a time

    # Half-way, as the job commits its progress.
    export.status, export.done = "running", 1
    db.commit()
    status = client.get(f"/settings/export/{export.id}", headers={"Accept": "application/json"})
    assert status.status_code == 200
    assert status.headers["Cache-Control"] == "no-store"
    assert status.json == {
        "id": export.id,
        "status": "running",
        "done": 1,
        "total": 2,
        "message": "Preparing your export: 1 of 2 badges.",
        "size": None,
        "download": None,
    }
    assert '<progress id="export-progress" max="2" value="1">' in client.get("/settings").get_data(
        as_text=True
    )

    export_service.build_export(db, export.id, "http://localhost")
    status = client.get(f"/settings/export/{export.id}").json
    assert status is not None
    assert status["status"] == "ready"
    assert status["download"] == f"/settings/export/{export.id}/download"
    page = client.get("/settings").get_data(as_text=True)
    assert "Your export is ready." in page
    assert f'href="/settings/export/{export.id}/download"' in page
    assert "Download my data (ZIP," in page
    assert "The download works until" in page
    assert "Make a new export" in page

    download = client.get(status["download"])
    assert download.status_code == 200
    assert download.mimetype == "application/zip"
    assert download.headers["Content-Disposition"].startswith(
        f'attachment; filename="wallet-export-{user.handle}-'
    )
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert names[2:4] == ["credentials/001-skill-0.json", "credentials/002-skill-1.json"]


def test_the_mailed_link_downloads_for_its_owner_signed_in(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    export = export_service.request_export(db, user.id)
    export_service.build_export(db, export.id, "http://localhost")
    link = link_in_last_mail(db, user.emails[0].email, "/export/")

    anonymous = client.get(link)
    assert anonymous.status_code == 302
    assert "/sign-in" in anonymous.headers["Location"]

    stranger = app.test_client()
    _signed_in(stranger, db)
    assert stranger.get(link).status_code == 404
    assert stranger.get(f"/settings/export/{export.id}").status_code == 404
    assert stranger.get(f"/settings/export/{export.id}/download").status_code == 404

    sign_in(client, user.emails[0].email, PASSWORD)
    download = client.get(link)
    assert download.status_code == 200
    assert download.data == export.content


def test_an_expired_link_says_so_and_offers_a_new_export(client: FlaskClient, db: Session) -> None:
    user = _signed_in(client, db)
    export = export_service.request_export(db, user.id)
    export_service.build_export(db, export.id, "http://localhost")
    link = link_in_last_mail(db, user.emails[0].email, "/export/")
    export.expires_at = utcnow() - dt.timedelta(minutes=1)
    db.commit()

    for path in (link, f"/settings/export/{export.id}/download"):
        response = client.get(path)
        assert response.status_code == 410
        page = response.get_data(as_text=True)
        assert "<h1>This download has expired</h1>" in page
        assert "its download worked for 7 days" in page
        assert 'href="/settings#export"' in page

    page = client.get("/settings").get_data(as_text=True)
    assert "Your last export has expired. Make a new one." in page
    assert "Export my data</button>" in page


def test_an_export_whose_job_died_can_be_started_again(client: FlaskClient, db: Session) -> None:
    user = _signed_in(client, db)
    export = export_service.request_export(db, user.id)
    export.created_at = utcnow() - export_service.EXPORT_STALE_AFTER - dt.timedelta(minutes=1)
    db.commit()

    page = client.get("/settings").get_data(as_text=True)
    assert "Your last export could not be made. Please try again." in page
    submit(client, "/settings", {}, action="/settings/export")
    assert [e.status for e in _exports(db, user)] == ["failed", "queued"]


def test_the_export_section_is_in_spanish(client: FlaskClient, db: Session) -> None:
    user = _signed_in(client, db)
    user.locale = "es"
    db.commit()
    submit(client, "/settings", {}, action="/settings/export")
    page = client.get("/settings").get_data(as_text=True)
    assert "Descargar mis datos" in page
    assert "Tu exportación está esperando para empezar." in page


def _offline(url: str, *, accept: t.Sequence[str]) -> t.Any:
    raise AssertionError(f"the test badges verify offline, yet {url} was fetched")
