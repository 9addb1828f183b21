"""Verify a credential, for anyone: the same checks as ``wallet verify``, nothing kept, limited."""

from __future__ import annotations

import io
import json
import typing as t
from pathlib import Path

from sqlalchemy import func
from sqlalchemy import select

from tests.factories import signed_badge
from tests.issuer_site import hosted_ob2
from tests.web.helpers import csrf_token
from tests.web.helpers import submit
from wallet.backpack.models import Award
from wallet.badges import baking

PNG = (
    Path(__file__).parent.parent / "data/vectors/ob2/openbadges-bakery/public_domain_heart.png"
).read_bytes()

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session


def test_a_pasted_credential_gets_the_full_report_without_an_account(
    client: FlaskClient, db: Session
) -> None:
    before = db.scalar(select(func.count(Award.id)))
    page = submit(client, "/verify", {"text": json.dumps(signed_badge("ada@example.org"))})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Every check passed" in text
    assert "Robotics" in text
    assert "Test Institute" in text
    for check in ("Format", "Key", "Signature", "Revocation", "Validity"):
        assert check in text
    assert db.scalar(select(func.count(Award.id))) == before


def test_a_tampered_credential_is_reported_wrong(client: FlaskClient) -> None:
    badge = {**signed_badge("ada@example.org"), "name": "Advanced Robotics"}
    text = submit(client, "/verify", {"text": json.dumps(badge)}).get_data(as_text=True)
    assert "Something is wrong with this credential" in text
    assert "Every check passed" not in text


def test_an_uploaded_baked_image_and_a_url_are_checked(client: FlaskClient, site: str) -> None:
    baked = baking.bake_png(
        PNG,
        json.dumps(signed_badge("ada@example.org")),
        standard="ob3",
    )
    page = client.post(
        "/verify",
        data={"csrf_token": csrf_token(client, "/verify"), "file": (io.BytesIO(baked), "b.png")},
        content_type="multipart/form-data",
    )
    assert "Every check passed" in page.get_data(as_text=True)

    hosted = json.loads(hosted_ob2(site))["id"]
    text = submit(client, "/verify", {"text": hosted}).get_data(as_text=True)
    assert "Every check passed" in text


def test_the_tool_is_rate_limited_per_client(client: FlaskClient) -> None:
    statuses = [submit(client, "/verify", {"text": "not a badge"}).status_code for _ in range(11)]
    assert statuses[0] == 200
    assert statuses[-1] == 429
