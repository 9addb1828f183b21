"""Awards to a web address or phone number: published with that identity, claimed by link."""

from __future__ import annotations

import json
import typing as t

import pytest
from sqlalchemy import select

from tests.background import work
from tests.factories import make_user
from wallet import errors
from wallet.backpack.models import Award
from wallet.badges.verify import verify
from wallet.issuers import awarding
from wallet.issuers import documents
from wallet.issuers import service
from wallet.issuers.publishing import own_documents_first

if t.TYPE_CHECKING:
    import redis as redis_lib
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime

BASE = "http://localhost"


def _issuer(db: Session, runtime: Runtime) -> tuple[int, int, int]:
    staff = make_user(db)
    issuer = service.create_issuer(
        db,
        staff.id,
        name="Harbour Trade School",
        url="https://harbour.example",
        email="badges@harbour.example",
        description="",
        data_keys=runtime.config.data_keys,
    )
    achievement = service.create_achievement(
        db, staff.id, issuer.id, {"name": "Rope Work", "description": "d", "criteria": "c"}
    )
    return staff.id, issuer.id, achievement.id


@pytest.mark.parametrize(
    ("field", "given", "folded", "ob2_type", "ob3_type"),
    [
        ("url", "HTTPS://Ana.Example/portfolio#top", "https://ana.example/portfolio", "url", "url"),
        ("phone", "+44 (20) 7946-0958", "+442079460958", "telephone", "phoneNumber"),
    ],
)
def test_an_award_to_a_url_or_phone_is_claimed_by_its_link_and_verifies(
    db: Session,
    runtime: Runtime,
    redis: redis_lib.Redis,
    field: str,
    given: str,
    folded: str,
    ob2_type: str,
    ob3_type: str,
) -> None:
    staff, issuer_id, achievement_id = _issuer(db, runtime)
    issued = awarding.award(
        db,
        staff,
        issuer_id,
        achievement_id,
        **{field: given},
        base_url=BASE,
        data_keys=runtime.config.data_keys,
    )
    assert issued.recipient_normalized == folded
    identifier = issued.credential["credentialSubject"]["identifier"][0]
    assert identifier["identityType"] == ob3_type
    assert folded not in json.dumps(issued.credential)  # hashed, never published
    assertion = documents.ob2_assertion(documents.Urls(BASE), issued)
    assert assertion["recipient"]["type"] == ob2_type

    work(runtime)  # nothing to match and nobody to mail: it waits for its link
    earner = make_user(db)
    assert db.scalars(select(Award).where(Award.user_id == earner.id)).all() == []

    link = awarding.claim_url(runtime.config.secret_key, BASE, issued)
    assert link is not None
    token = link.rsplit("/", 1)[1]
    fetch = own_documents_first(db, runtime.config, runtime.http.get)
    held = awarding.claim(
        db, runtime.config.secret_key, token, earner.id, base_url=BASE, fetch=fetch
    )
    assert held.acceptance == "pending"
    assert held.verification_status == "valid", held.verification
    # Opening it again from the same wallet is harmless; from another wallet it is refused.
    again = awarding.claim(
        db, runtime.config.secret_key, token, earner.id, base_url=BASE, fetch=fetch
    )
    assert again.id == held.id
    with pytest.raises(errors.Conflict):
        awarding.claim(
            db, runtime.config.secret_key, token, make_user(db).id, base_url=BASE, fetch=fetch
        )
    report = verify(json.dumps(issued.credential), fetch=fetch, recipients=[folded])
    assert report.status == "valid", report.to_json()


def test_a_forged_or_revoked_claim_link_finds_nothing(db: Session, runtime: Runtime) -> None:
    staff, issuer_id, achievement_id = _issuer(db, runtime)
    issued = awarding.award(
        db,
        staff,
        issuer_id,
        achievement_id,
        phone="+15550100200",
        base_url=BASE,
        data_keys=runtime.config.data_keys,
    )
    secret = runtime.config.secret_key
    link = awarding.claim_url(secret, BASE, issued)
    assert link is not None
    with pytest.raises(errors.NotFound):
        awarding.award_by_claim(db, secret, link.rsplit("/", 1)[1] + "x")
    awarding.revoke(db, staff, issuer_id, issued.public_id, reason="Wrong person")
    with pytest.raises(errors.NotFound):
        awarding.award_by_claim(db, secret, link.rsplit("/", 1)[1])


@pytest.mark.parametrize(
    "recipient",
    [{"url": "ftp://ana.example"}, {"phone": "12345"}, {"email": "", "url": "", "phone": ""}],
)
def test_an_unusable_recipient_is_refused(
    db: Session, runtime: Runtime, recipient: dict[str, str]
) -> None:
    staff, issuer_id, achievement_id = _issuer(db, runtime)
    with pytest.raises(errors.Invalid):
        awarding.award(
            db,
            staff,
            issuer_id,
            achievement_id,
            **recipient,
            base_url=BASE,
            data_keys=runtime.config.data_keys,
        )
