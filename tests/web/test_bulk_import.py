"""Bulk import: a zip or many files become a batch a job imports, with progress and results."""

from __future__ import annotations

import io
import json
import random
import struct
import time
import typing as t
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select

from tests.background import work
from tests.factories import PASSWORD
from tests.factories import make_user
from tests.factories import signed_badge
from tests.web.helpers import csrf_token
from tests.web.helpers import sign_in
from wallet.backpack import bulk_import
from wallet.backpack import service
from wallet.backpack.models import Award
from wallet.backpack.models import ImportBatch
from wallet.backpack.models import ImportItem
from wallet.badges import baking
from wallet.db import utcnow

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User
    from wallet.runtime import Runtime

PNG = (
    Path(__file__).parent.parent / "data/vectors/ob2/openbadges-bakery/public_domain_heart.png"
).read_bytes()
MB = 1024 * 1024


def _earner(client: FlaskClient, db: Session) -> User:
    user = make_user(db)
    sign_in(client, user.emails[0].email, PASSWORD)
    return user


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name.endswith("/"):
                archive.writestr(zipfile.ZipInfo(name), b"")
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def _upload(client: FlaskClient, files: list[tuple[bytes, str]]) -> t.Any:
    token = csrf_token(client, "/wallet/import")
    return client.post(
        "/wallet/import",
        data={"csrf_token": token, "files": [(io.BytesIO(data), name) for data, name in files]},
        content_type="multipart/form-data",
    )


def _baked(email: str, name: str) -> bytes:
    return baking.bake_png(PNG, json.dumps(signed_badge(email, name=name)), standard="ob3")


def _batches(db: Session, user: User) -> int:
    return db.scalar(select(func.count()).where(ImportBatch.user_id == user.id)) or 0


def _run(db: Session, runtime: Runtime, batch_id: int, limit: int | None = None) -> int:
    return bulk_import.run_batch(
        db, batch_id, fetch=runtime.fetcher().get, fetch_image=runtime.http.get, limit=limit
    )


def test_a_zip_of_twelve_badges_is_imported_with_progress_and_a_result_for_each_file(
    client: FlaskClient, db: Session, runtime: Runtime
) -> None:
    user = _earner(client, db)
    email = user.emails[0].email
    already = json.dumps(signed_badge(email, name="Sailing")).encode()
    assert service.import_award(db, user.id, already, fetch=runtime.fetcher().get)[0]
    images = [(f"png/{n:02d} Welding {n}.png", _baked(email, f"Welding {n}")) for n in range(5)]
    documents = [
        (f"json/Painting {n}.json", json.dumps(signed_badge(email, name=f"Painting {n}")).encode())
        for n in range(4)
    ]
    stranger = json.dumps(signed_badge("someone-else@example.org", name="Fencing")).encode()
    entries = [
        *images,
        ("png/", b""),
        *documents,
        ("sailing-again.json", already),
        ("fencing.json", stranger),
        ("notes.txt", b"hello there"),
        ("__MACOSX/png/._01.png", b"\0\5\26\7"),
        (".DS_Store", b"\0\0\0\1Bud1"),
    ]

    response = _upload(client, [(_zip(entries), "My badges.zip")])

    assert response.status_code == 302
    page_url = response.headers["Location"]
    page = client.get(page_url).get_data(as_text=True)
    assert "0 of 12 files checked" in page
    assert page.count("waiting to be checked") == 12
    assert "No file has been checked yet." in page
    assert "__MACOSX" not in page
    assert "DS_Store" not in page
    batch_id = int(page_url.rsplit("/", 1)[1])

    assert _run(db, runtime, batch_id, limit=5) == 5
    status = client.get(f"{page_url}/status").get_json()
    assert status == {
        "status": "running",
        "total": 12,
        "done": 5,
        "finished": False,
        "outcomes": {"added": 5, "duplicate": 0, "refused": 0, "failed": 0},
    }
    assert "5 of 12 files checked" in client.get(page_url).get_data(as_text=True)

    started = time.perf_counter()
    work(runtime)
    print(
        f"the rest of the 12-file zip imported by the job in {time.perf_counter() - started:.2f} s"
    )

    db.expire_all()
    assert client.get(f"{page_url}/status").get_json()["finished"] is True
    page = client.get(page_url).get_data(as_text=True)
    assert "12 of 12 files checked" in page
    assert "All files are checked" in page
    assert "Added: 9. Already in your wallet: 1. Not added: 2. Could not be checked: 0." in page
    assert page.count("✓ added") == 9
    for n in range(4):
        assert f">Painting {n}</a>" in page
    assert "png/00 Welding 0.png" in page
    assert "sailing-again.json</strong>:" in page
    assert "not added: this badge is already in your wallet" in page
    assert "not on your account" in page
    assert "Add and verify the address it was sent to" in page
    assert "neither an image, a link, nor badge text" in page
    names = set(db.scalars(select(Award.achievement_name).where(Award.user_id == user.id)))
    assert names == {
        "Sailing",
        *(f"Welding {n}" for n in range(5)),
        *(f"Painting {n}" for n in range(4)),
    }
    # The uploaded bytes are dropped once each file is processed; awards keep their originals.
    assert (
        db.scalars(select(ImportItem.data).where(ImportItem.batch_id == batch_id)).all()
        == [None] * 12
    )
    award = db.scalar(select(Award).where(Award.achievement_name == "Welding 3"))
    assert award is not None
    assert award.original == images[3][1]


def test_more_than_a_handful_of_files_go_to_the_background_too(
    client: FlaskClient, db: Session, runtime: Runtime
) -> None:
    user = _earner(client, db)
    email = user.emails[0].email
    files = [(_baked(email, f"Knot {n}"), f"knot-{n}.png") for n in range(6)]

    response = _upload(client, files)

    assert response.status_code == 302
    work(runtime)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "6 of 6 files checked" in page
    assert page.count("✓ added") == 6


def test_a_job_that_runs_twice_or_dies_half_way_does_no_file_twice(
    db: Session, runtime: Runtime, redis: t.Any
) -> None:
    user = make_user(db)
    email = user.emails[0].email
    first = json.dumps(signed_badge(email, name="First")).encode()
    second = json.dumps(signed_badge(email, name="Second")).encode()
    batch = bulk_import.start_batch(
        db, user.id, [("first.json", first), ("second.json", second), ("again.json", second)]
    )
    # A run died after keeping the first award but before marking its file done.
    assert service.import_award(db, user.id, first, fetch=runtime.fetcher().get)[0]
    # Another run holds the batch right now: this one leaves it alone and asks to be retried.
    holder = db.get_one(ImportBatch, batch.id)
    holder.claimed_until = utcnow() + bulk_import.LEASE
    db.commit()
    with pytest.raises(bulk_import.BatchBusy):
        _run(db, runtime, batch.id)
    # Its lease ran out (it died): the next run takes over and finishes.
    holder = db.get_one(ImportBatch, batch.id)
    holder.claimed_until = utcnow() - bulk_import.LEASE
    db.commit()

    assert _run(db, runtime, batch.id) == 3
    assert _run(db, runtime, batch.id) == 0

    items = bulk_import.items_of(db, db.get_one(ImportBatch, batch.id))
    assert [item.status for item in items] == ["added", "added", "duplicate"]
    assert items[0].award is not None
    assert items[0].award.achievement_name == "First"
    assert db.scalar(select(func.count()).where(Award.user_id == user.id)) == 2


def _lying_sizes(data: bytes, claimed: int) -> bytes:
    """Patch a one-entry zip so its headers claim ``claimed`` bytes unpacked (a zip bomb)."""
    raw = bytearray(data)
    local = raw.find(b"PK\x03\x04")
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<I", raw, local + 22, claimed)
    struct.pack_into("<I", raw, central + 24, claimed)
    return bytes(raw)


def _damaged(data: bytes) -> bytes:
    raw = bytearray(data)
    start = raw.find(b"PK\x03\x04") + 30 + len("badge.json")
    for offset in range(start, start + 8):
        raw[offset] ^= 0xFF
    return bytes(raw)


BADGE = json.dumps(signed_badge("x@example.org")).encode()
REFUSED_ZIPS = {
    "201 entries": (
        _zip([(f"badge-{n}.json", b"{}") for n in range(201)]),
        400,
        "This zip holds more files than one import takes (at most 200).",
    ),
    "an entry over 5 MB": (
        _zip([("big.png", b"\0" * (6 * MB))]),
        400,
        "“big.png” in the zip is larger than 5 MB.",
    ),
    # Unpacking stops where the headers say the entry ends; the rest fails its checksum.
    "a bomb whose headers lie": (
        _lying_sizes(_zip([("bomb.json", b"\0" * (60 * MB))]), 100),
        400,
        "“bomb.json” in the zip is damaged.",
    ),
    "a damaged entry": (
        _damaged(_zip([("badge.json", BADGE * 20)])),
        400,
        "“badge.json” in the zip is damaged.",
    ),
    "a truncated zip": (
        _zip([("badge.json", BADGE)])[:-30],
        400,
        "This file is not a zip archive we can open.",
    ),
    "not a zip at all": (b"hello, I am text", 400, "This file is not a zip archive we can open."),
    "an empty zip": (_zip([("empty/", b""), (".hidden", b"x")]), 400, "This zip holds no files"),
}


@pytest.mark.parametrize("case", REFUSED_ZIPS, ids=list(REFUSED_ZIPS))
def test_a_zip_we_cannot_take_is_refused_with_a_clear_message_and_nothing_kept(
    client: FlaskClient, db: Session, case: str
) -> None:
    user = _earner(client, db)
    data, status, message = REFUSED_ZIPS[case]

    response = _upload(client, [(data, "badges.zip")])

    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert message in page
    assert 'aria-invalid="true"' in page  # the message is tied to the file field
    assert _batches(db, user) == 0
    assert db.scalar(select(func.count()).where(Award.user_id == user.id)) == 0


def test_a_zip_larger_than_one_badge_may_be_is_read_whole(
    client: FlaskClient, db: Session, runtime: Runtime
) -> None:
    user = _earner(client, db)
    email = user.emails[0].email
    # Three badges beside random (incompressible) files: a zip over 5 MB, each file under it.
    entries = [
        (f"{n}.json", json.dumps(signed_badge(email, name=f"Big {n}")).encode()) for n in range(3)
    ]
    noise = [(f"noise-{n}.bin", random.Random(n).randbytes(2 * MB)) for n in range(3)]
    data = _zip([*entries, *noise])
    assert len(data) > 5 * MB

    response = _upload(client, [(data, "big.zip")])

    assert response.status_code == 302
    work(runtime)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.count("✓ added") == 3
    assert page.count("not added: something is wrong with it") == 3


def test_a_file_over_5_mb_in_a_bulk_upload_is_refused(client: FlaskClient, db: Session) -> None:
    user = _earner(client, db)
    files = [(b"{}", f"b{n}.json") for n in range(5)] + [(b"\0" * (6 * MB), "huge.png")]
    response = _upload(client, files)
    assert response.status_code == 413
    assert "“huge.png” is larger than 5 MB." in response.get_data(as_text=True)
    assert _batches(db, user) == 0


def test_another_earner_cannot_see_a_bulk_import(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    owner_client = app.test_client()
    owner = make_user(db)
    sign_in(owner_client, owner.emails[0].email, PASSWORD)
    location = _upload(owner_client, [(_zip([("a.json", b"{}")]), "a.zip")]).headers["Location"]
    assert owner_client.get(location).status_code == 200

    _earner(client, db)
    assert client.get(location).status_code == 404
    status = client.get(f"{location}/status", headers={"Accept": "application/json"})
    assert status.status_code == 404
    assert "a.json" not in client.get(location).get_data(as_text=True)
