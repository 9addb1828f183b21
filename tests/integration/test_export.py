"""Export all my data: the real job builds the zip of the demo earner, and every credential in it
verifies with the code (and the command) ``wallet verify`` runs."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
import typing as t
import zipfile
from dataclasses import replace

import pytest
from sqlalchemy import event
from sqlalchemy import select

from tests.background import work
from tests.factories import mails_to
from tests.factories import make_user
from tests.factories import signed_badge
from tests.issuer_site import hosted_ob2
from wallet import demo
from wallet import errors
from wallet.accounts import queries as accounts
from wallet.backpack import export_service
from wallet.backpack import service
from wallet.backpack.models import DataExport
from wallet.badges import baking
from wallet.badges.verify import verify
from wallet.cli import main
from wallet.config import MailConfig
from wallet.db import utcnow
from wallet.events.models import OutboxMessage

if t.TYPE_CHECKING:
    from pathlib import Path

    import redis as redis_lib
    from flask import Flask
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User
    from wallet.runtime import Runtime

PNG = (
    __import__("pathlib").Path(__file__).parent.parent
    / "data/vectors/ob2/openbadges-bakery/public_domain_heart.png"
).read_bytes()


def _demo_earner(db: Session) -> User:
    demo.seed(db)
    user = accounts.user_with_verified_email(db, demo.DEMO_EMAIL)
    assert user is not None
    return user


def _zip(export: DataExport) -> zipfile.ZipFile:
    assert export.content is not None
    return zipfile.ZipFile(io.BytesIO(export.content))


def _credential_files(archive: zipfile.ZipFile) -> list[str]:
    return [name for name in archive.namelist() if name.startswith("credentials/")]


def test_the_demo_earners_export_opens_and_every_credential_in_it_verifies(
    app: Flask,
    db: Session,
    runtime: Runtime,
    redis: redis_lib.Redis,
    smtp_server: tuple[str, int, t.Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    host, port, inbox = smtp_server
    runtime = replace(
        runtime,
        config=runtime.config.with_overrides(mail=MailConfig(smtp_host=host, smtp_port=port)),
    )
    user = _demo_earner(db)
    export = export_service.request_export(db, user.id)
    held = len(demo.ACHIEVEMENTS) + 1  # and the one waiting for the earner's answer
    assert (export.status, export.done, export.total) == ("queued", 0, held)

    started = time.perf_counter()
    work(runtime)  # the relay hands export.requested to the build_export job
    elapsed = time.perf_counter() - started
    work(runtime)  # the mail the job recorded
    with capsys.disabled():
        print(f"\nexport of the demo earner (3 badges) built by the worker in {elapsed:.2f} s")

    db.expire_all()
    assert (export.status, export.done, export.total) == ("ready", held, held)
    assert export.expires_at is not None
    assert export.ready_at is not None
    assert export.expires_at - export.ready_at == dt.timedelta(days=7)
    archive = _zip(export)
    assert archive.testzip() is None
    files = _credential_files(archive)
    assert archive.namelist() == [
        "README.txt",
        "profile.json",
        "credentials/001-introduction-to-robotics.json",
        "credentials/002-python-programming.json",
        "credentials/003-team-leadership.json",
        "credentials/004-cloud-fundamentals.json",
        "index.json",
        "presentation.json",
    ]
    assert "NOT signed" in archive.read("README.txt").decode()

    profile = json.loads(archive.read("profile.json"))
    assert profile["handle"] == "demo"
    assert profile["display_name"] == "Demo Earner"
    assert profile["emails"] == [
        {
            "email": demo.DEMO_EMAIL,
            "verified": True,
            "verified_at": profile["emails"][0]["verified_at"],
            "primary": True,
            "added_at": profile["emails"][0]["added_at"],
        }
    ]

    index = json.loads(archive.read("index.json"))
    assert index["count"] == held
    assert [entry["file"] for entry in index["credentials"]] == files
    first = index["credentials"][0]
    assert first["format"] == "ob3-credential"
    assert first["issuer"]["name"] == demo.DEMO_ISSUER
    assert first["achievement"] == {"name": "Introduction to Robotics", "type": "Course"}
    assert first["state"] == "valid"
    assert first["visibility"] == "public"  # the demo shares its first two badges
    assert {check["status"] for check in first["verification"]["checks"]} == {"pass"}

    presentation = json.loads(archive.read("presentation.json"))
    assert presentation["type"] == ["VerifiablePresentation"]
    assert presentation["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    originals = [json.loads(archive.read(name)) for name in files]
    assert presentation["verifiableCredential"] == originals

    # Every file is the original, untouched, and verifies with the code `wallet verify` runs...
    for name in files:
        report = verify(archive.read(name), fetch=runtime.http.get, recipients=[demo.DEMO_EMAIL])
        assert report.status == "valid", (name, report.to_json())
    # ...and through the command itself, from the unpacked zip.
    archive.extractall(tmp_path)
    runner = app.test_cli_runner()
    for name in files:
        result = runner.invoke(
            main, args=["verify", str(tmp_path / name), "--recipient", demo.DEMO_EMAIL]
        )
        assert result.exit_code == 0, result.output
        assert result.output.startswith("VALID (ob3-credential)")

    [mail] = inbox.messages
    assert mail["To"] == demo.DEMO_EMAIL
    assert mail["Subject"] == "Your wallet export is ready"
    text = mail.get_content()
    assert f"{held} badges" in text
    link = next(word for word in text.split() if "/export/" in word)
    token = link.rsplit("/", 1)[1]
    assert export_service.export_by_token(db, user.id, token).id == export.id
    assert export.token_hash == export_service.export_token_hash(token)
    assert token not in json.dumps([export.token_hash, export.status])


def test_baked_images_give_their_credential_to_the_presentation_and_ob2_stays_out(
    db: Session, runtime: Runtime, site: str
) -> None:
    user = _demo_earner(db)
    baked = baking.bake_png(PNG, json.dumps(signed_badge(demo.DEMO_EMAIL, name="Welding")), "ob3")
    award, report = service.import_award(db, user.id, baked, fetch=runtime.http.get)
    assert award is not None, report.to_json()
    hosted, report = service.import_award(
        db, user.id, hosted_ob2(site, email=demo.DEMO_EMAIL), fetch=runtime.http.get
    )
    assert hosted is not None, report.to_json()
    export = export_service.request_export(db, user.id)

    export_service.build_export(db, export.id, "http://localhost")

    archive = _zip(export)
    files = _credential_files(archive)
    assert files[4:] == ["credentials/005-welding.png", "credentials/006-robotics.json"]
    assert archive.read(files[4]) == baked  # the image, byte for byte
    index = json.loads(archive.read("index.json"))["credentials"]
    assert [entry["in_presentation"] for entry in index] == [True] * 5 + [False]
    assert index[5]["format"] == "ob2-assertion"
    credentials = json.loads(archive.read("presentation.json"))["verifiableCredential"]
    assert credentials[4] == json.loads(baking.extract(baked).text)
    for name in files:
        report = verify(archive.read(name), fetch=runtime.http.get, recipients=[demo.DEMO_EMAIL])
        assert report.status == "valid", (name, report.to_json())


def test_progress_is_committed_as_the_export_is_built(db: Session) -> None:
    user = make_user(db)
    for number in range(5):
        badge = json.dumps(signed_badge(user.emails[0].email, name=f"Badge {number}"))
        service.import_award(db, user.id, badge, fetch=_offline)
    export = export_service.request_export(db, user.id)
    seen: list[tuple[str, int, int]] = []

    def _after_commit(_session: Session) -> None:
        seen.append((export.status, export.done, export.total))

    event.listen(db, "after_commit", _after_commit)
    try:
        export_service.build_export(db, export.id, "http://localhost", every=2)
    finally:
        event.remove(db, "after_commit", _after_commit)

    assert seen == [
        ("running", 0, 5),
        ("running", 2, 5),
        ("running", 4, 5),
        ("running", 5, 5),
        ("ready", 5, 5),
    ]


def test_one_export_at_a_time_and_a_dead_one_gives_way(db: Session) -> None:
    user = make_user(db)
    first = export_service.request_export(db, user.id)
    assert export_service.request_export(db, user.id).id == first.id
    assert len(_requested(db, user.id)) == 1

    first.created_at = utcnow() - export_service.EXPORT_STALE_AFTER - dt.timedelta(minutes=1)
    db.commit()
    second = export_service.request_export(db, user.id)

    assert second.id != first.id
    assert first.status == "failed"
    assert len(_requested(db, user.id)) == 2


def test_a_job_run_twice_builds_and_mails_once(db: Session) -> None:
    user = make_user(db)
    export = export_service.request_export(db, user.id)
    export_service.build_export(db, export.id, "http://localhost")
    content = export.content
    export_service.build_export(db, export.id, "http://localhost")
    assert export.content == content
    assert len(mails_to(db, user.emails[0].email)) == 1


def test_an_expired_export_is_gone_and_its_zip_dropped(db: Session) -> None:
    user = make_user(db)
    other = make_user(db)
    export = export_service.request_export(db, user.id)
    export_service.build_export(db, export.id, "http://localhost")
    token = _token_in_mail(db, user)
    assert export_service.export_for_download(db, user.id, export.id).content

    assert export.expires_at is not None
    assert (
        export_service.purge_expired_exports(db, now=export.expires_at - dt.timedelta(seconds=1))
        == 0
    )
    export.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.commit()
    assert export_service.purge_expired_exports(db) == 1

    db.expire_all()
    assert export.content is None
    with pytest.raises(errors.Gone, match="expired"):
        export_service.export_for_download(db, user.id, export.id)
    with pytest.raises(errors.Gone, match="expired"):
        export_service.export_by_token(db, user.id, token)
    # Strangers learn nothing, not even that it expired.
    with pytest.raises(errors.NotFound):
        export_service.export_for_download(db, other.id, export.id)
    with pytest.raises(errors.NotFound):
        export_service.export_by_token(db, other.id, token)
    with pytest.raises(errors.NotFound):
        export_service.export_by_token(db, user.id, "not-" + token)


def test_the_mail_is_in_the_earners_language(db: Session) -> None:
    user = make_user(db)
    user.locale = "es"
    db.commit()
    export = export_service.request_export(db, user.id)
    export_service.build_export(db, export.id, "http://localhost")
    [mail] = mails_to(db, user.emails[0].email)
    assert mail["subject"] == "La exportación de tu cartera está lista"
    assert "http://localhost/export/" in mail["text"]


def _requested(db: Session, user_id: int) -> list[OutboxMessage]:
    return list(
        db.scalars(
            select(OutboxMessage).where(
                OutboxMessage.type == "export.requested", OutboxMessage.user_id == user_id
            )
        )
    )


def _token_in_mail(db: Session, user: User) -> str:
    text = mails_to(db, user.emails[0].email)[-1]["text"]
    link = next(word for word in text.split() if "/export/" in word)
    return link.rsplit("/", 1)[1]


def _offline(url: str, *, accept: t.Sequence[str]) -> t.Any:
    raise AssertionError(f"the test badges verify offline, yet {url} was fetched")
