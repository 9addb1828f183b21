"""Importing a badge: checked first, kept with its checks, duplicates and mismatches explained."""

from __future__ import annotations

import io
import json
import typing as t

from tests.factories import PASSWORD
from tests.factories import make_user
from tests.factories import signed_badge
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
    token = csrf_token(client, "/wallet/import")
    response = client.post(
        "/wallet/import",
        data={"csrf_token": token, "file": (io.BytesIO(image), "badge.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    award_id = int(response.headers["Location"].rsplit("/", 1)[1])
    award = db.get(Award, award_id)
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
