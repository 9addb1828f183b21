"""Importing a badge: checked first, kept with its checks, duplicates and mismatches explained."""

from __future__ import annotations

import io
import json
import typing as t

from tests.factories import PASSWORD
from tests.factories import mails_to
from tests.factories import make_user
from tests.factories import signed_badge
from tests.issuer_site import IssuerSite
from tests.issuer_site import hosted_ob2
from tests.web.helpers import csrf_token
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from wallet.backpack.models import Award
from wallet.badges import baking

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User

PNG = (
    __import__("pathlib").Path(__file__).parent.parent
    / "data/vectors/ob2/openbadges-bakery/public_domain_heart.png"
).read_bytes()


def _award_id(location: str) -> int:
    return int(location.rstrip("/").rsplit("/", 1)[1])


def _upload(client: FlaskClient, files: list[tuple[bytes, str]]) -> t.Any:
    token = csrf_token(client, "/wallet/import")
    return client.post(
        "/wallet/import",
        data={"csrf_token": token, "files": [(io.BytesIO(data), name) for data, name in files]},
        content_type="multipart/form-data",
    )


def _earner(client: FlaskClient, db: Session) -> User:
    user = make_user(db)
    sign_in(client, user.emails[0].email, PASSWORD)
    return user


def test_a_pasted_badge_is_verified_kept_and_explained(client: FlaskClient, db: Session) -> None:
    user = _earner(client, db)
    badge = signed_badge(user.emails[0].email)

    response = submit(client, "/wallet/import", {"text": json.dumps(badge)})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Robotics" in page
    assert "Test Institute" in page
    for check in ("Format", "Key", "Signature", "Revocation", "Validity", "Recipient"):
        assert check in page
    assert "The badge was awarded to one of your addresses." in page
    assert "Robotics" in client.get("/wallet").get_data(as_text=True)


def test_the_same_badge_twice_says_it_is_already_there(client: FlaskClient, db: Session) -> None:
    user = _earner(client, db)
    text = json.dumps(signed_badge(user.emails[0].email))
    submit(client, "/wallet/import", {"text": text})
    again = submit(client, "/wallet/import", {"text": text})
    assert again.status_code == 409
    assert "already in your wallet" in again.get_data(as_text=True)


def test_a_tampered_badge_is_refused_with_its_checks(client: FlaskClient, db: Session) -> None:
    user = _earner(client, db)
    badge = {**signed_badge(user.emails[0].email), "name": "Advanced Robotics"}
    response = submit(client, "/wallet/import", {"text": json.dumps(badge)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This badge was not added" in page
    assert "changed after it was signed" in page


def test_a_badge_for_another_address_offers_to_add_it(client: FlaskClient, db: Session) -> None:
    _earner(client, db)
    badge = signed_badge("someone-else@example.org")
    response = submit(client, "/wallet/import", {"text": json.dumps(badge)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "not on your account" in page
    assert "Add and verify the address it was sent to" in page


def test_a_baked_image_is_uploaded_and_kept_as_it_came(client: FlaskClient, db: Session) -> None:
    user = _earner(client, db)
    image = baking.bake_png(PNG, json.dumps(signed_badge(user.emails[0].email)), standard="ob3")
    response = _upload(client, [(image, "badge.png")])
    assert response.status_code == 302
    award = db.get(Award, _award_id(response.headers["Location"]))
    assert award is not None
    assert award.original == image
    assert award.original_type == "image/png"


def test_an_empty_form_and_garbage_get_clear_messages(client: FlaskClient, db: Session) -> None:
    _earner(client, db)
    empty = submit(client, "/wallet/import", {"text": ""})
    assert empty.status_code == 400
    assert "Choose a file, or paste a badge" in empty.get_data(as_text=True)
    garbage = submit(client, "/wallet/import", {"text": "hello there"})
    assert garbage.status_code == 400
    assert "neither an image, a link, nor badge text" in garbage.get_data(as_text=True)


def test_another_earners_award_is_not_found(app: t.Any, client: FlaskClient, db: Session) -> None:
    owner_client = app.test_client()
    owner = make_user(db)
    sign_in(owner_client, owner.emails[0].email, PASSWORD)
    location = submit(
        owner_client, "/wallet/import", {"text": json.dumps(signed_badge(owner.emails[0].email))}
    ).headers["Location"]
    _earner(client, db)
    assert client.get(location).status_code == 404


def test_several_files_at_once_each_get_their_own_result(client: FlaskClient, db: Session) -> None:
    user = _earner(client, db)
    email = user.emails[0].email
    files = [
        (baking.bake_png(PNG, json.dumps(signed_badge(email, name=name)), standard="ob3"), name)
        for name in ("Welding.png", "Painting.png")
    ]
    stranger = json.dumps(signed_badge("someone-else@example.org", name="Sailing")).encode()
    response = _upload(client, [*files, (stranger, "sailing.json"), (b"hello", "notes.txt")])

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 of 4 badges added." in page
    for name in ("Welding.png", "Painting.png", "sailing.json", "notes.txt"):
        assert name in page
    assert page.count("✓ added") == 2
    assert "not on your account" in page
    assert "neither an image, a link, nor badge text" in page
    assert db.query(Award).filter_by(user_id=user.id).count() == 2


def test_more_files_than_one_import_takes_are_refused_before_any_is_read(
    client: FlaskClient, db: Session
) -> None:
    user = _earner(client, db)
    response = _upload(client, [(b"{}", f"badge-{n}.json") for n in range(201)])
    assert response.status_code == 400
    assert "Choose at most 200 files at once." in response.get_data(as_text=True)
    assert db.query(Award).filter_by(user_id=user.id).count() == 0


def test_a_50_mb_upload_is_refused_with_a_clear_message(client: FlaskClient, db: Session) -> None:
    _earner(client, db)
    response = _upload(client, [(b"\x89PNG" + b"\0" * (50 * 1024 * 1024), "huge.png")])
    assert response.status_code == 413
    assert "larger than we accept" in response.get_data(as_text=True)


def test_a_file_over_5_mb_says_so(client: FlaskClient, db: Session) -> None:
    _earner(client, db)
    response = _upload(client, [(b"\x89PNG" + b"\0" * (6 * 1024 * 1024), "big.png")])
    assert response.status_code == 413
    assert "The file is larger than 5 MB." in response.get_data(as_text=True)


def test_recheck_shows_a_revoked_badge_plainly_and_mails_the_earner_once(
    client: FlaskClient, db: Session, site: str
) -> None:
    user = _earner(client, db)
    email = user.emails[0].email
    imported = submit(client, "/wallet/import", {"text": hosted_ob2(site, email=email)})
    assert imported.status_code == 302
    location = imported.headers["Location"]
    assert "Verified" in client.get(location).get_data(as_text=True)

    IssuerSite.gone.add("/a/1")
    for _ in range(2):
        response = submit(client, location, {}, action=f"{location}/recheck")
        assert response.status_code == 302

    page = client.get(location).get_data(as_text=True)
    assert "Checked again just now." in page
    assert "Revoked by its issuer on" in page
    assert "The issuer has revoked this badge." in page
    assert "Revoked by its issuer on" in client.get("/wallet").get_data(as_text=True)
    mails = mails_to(db, email)
    assert [mail["subject"] for mail in mails].count("A badge in your wallet was revoked") == 1
    assert location in mails[-1]["text"]
