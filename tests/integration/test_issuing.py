"""Issuing: every credential we sign verifies, reaches its earner's wallet, and revokes."""

from __future__ import annotations

import datetime as dt
import json
import typing as t

import pytest
from sqlalchemy import select

from tests.background import work
from tests.factories import mails_to
from tests.factories import make_user
from wallet import errors
from wallet.accounts import service as accounts
from wallet.accounts import tokens
from wallet.backpack.models import Award
from wallet.badges.verify import verify
from wallet.issuers import awarding
from wallet.issuers import service
from wallet.issuers.publishing import own_documents_first

if t.TYPE_CHECKING:
    import redis as redis_lib
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime

BASE = "http://localhost"


def _issuer_with_achievement(db: Session, runtime: Runtime) -> tuple[t.Any, t.Any, int]:
    staff = make_user(db)
    issuer = service.create_issuer(
        db,
        staff.id,
        name="Example College",
        url="https://college.example",
        email="badges@college.example",
        description="",
        data_keys=runtime.config.data_keys,
    )
    achievement = service.create_achievement(
        db,
        staff.id,
        issuer.id,
        {
            "name": "Welding I",
            "description": "Safe MIG welding.",
            "criteria": "Pass the practical.",
            "achievement_type": "Course",
            "alignments": [{"name": "welding", "framework": "ESCO", "code": "S6.1"}],
        },
    )
    return issuer, achievement, staff.id


def test_an_award_to_a_wallet_holder_arrives_pending_and_verifies(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    issuer, achievement, staff = _issuer_with_achievement(db, runtime)
    earner = make_user(db)
    issued = awarding.award(
        db,
        staff,
        issuer.id,
        achievement.id,
        email=earner.emails[0].email.upper(),
        base_url=BASE,
        data_keys=runtime.config.data_keys,
    )
    report = verify(
        json.dumps(issued.credential),
        fetch=own_documents_first(db, runtime.config, runtime.http.get),
        recipients=[earner.emails[0].email],
    )
    assert report.status == "valid", report.to_json()
    assert {c.name for c in report.checks} >= {"signature", "key", "revocation", "recipient"}

    work(runtime)
    held = db.scalars(select(Award).where(Award.user_id == earner.id)).one()
    assert held.acceptance == "pending"
    assert held.verification_status == "valid", held.verification
    assert held.achievement_name == "Welding I"
    assert [skill.name for skill in held.skills] == ["welding"]


def test_a_revoked_award_shows_revoked_in_the_wallet_and_its_earner_is_told(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    issuer, achievement, staff = _issuer_with_achievement(db, runtime)
    earner = make_user(db)
    issued = awarding.award(
        db,
        staff,
        issuer.id,
        achievement.id,
        email=earner.emails[0].email,
        base_url=BASE,
        data_keys=runtime.config.data_keys,
    )
    work(runtime)
    awarding.revoke(db, staff, issuer.id, issued.public_id, reason="Issued in error")
    work(runtime)

    held = db.scalars(select(Award).where(Award.user_id == earner.id)).one()
    db.refresh(held)
    assert held.state() == "revoked"
    assert any(
        m["subject"] == "A badge in your wallet was revoked"
        for m in mails_to(db, earner.emails[0].email)
    )
    report = verify(
        json.dumps(issued.credential),
        fetch=own_documents_first(db, runtime.config, runtime.http.get),
        recipients=[earner.emails[0].email],
    )
    assert report.status == "invalid"
    assert report.revoked


def test_an_award_to_a_stranger_mails_a_claim_and_arrives_once_they_verify_the_address(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    issuer, achievement, staff = _issuer_with_achievement(db, runtime)
    awarding.award(
        db,
        staff,
        issuer.id,
        achievement.id,
        email="newcomer@example.org",
        base_url=BASE,
        data_keys=runtime.config.data_keys,
    )
    work(runtime)
    work(runtime)
    claims = mails_to(db, "newcomer@example.org")
    assert [m["subject"] for m in claims] == ["Example College awarded you a badge"]

    unverified = make_user(db, email="newcomer@example.org", verified=False)
    assert db.scalars(select(Award).where(Award.user_id == unverified.id)).all() == []
    # Verifying the address (the real service, as the link in the mail does) delivers it.
    address = unverified.emails[0]
    token = tokens.make_token(
        runtime.config.secret_key, tokens.VERIFY_EMAIL, {"e": address.id, "a": address.normalized}
    )
    accounts.verify_email(db, runtime.config, token)
    work(runtime)
    held = db.scalars(select(Award).where(Award.user_id == unverified.id)).one()
    assert held.acceptance == "pending"


def test_another_issuers_member_cannot_award_or_revoke(db: Session, runtime: Runtime) -> None:
    issuer, achievement, _staff = _issuer_with_achievement(db, runtime)
    outsider = make_user(db)
    with pytest.raises(errors.NotFound):
        awarding.award(
            db,
            outsider.id,
            issuer.id,
            achievement.id,
            email="x@example.org",
            base_url=BASE,
            data_keys=runtime.config.data_keys,
        )
    with pytest.raises(errors.NotFound):
        awarding.revoke(db, outsider.id, issuer.id, "0" * 32, reason="")


def test_an_expired_award_shows_expired_in_the_wallet_and_when_checked(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    issuer, achievement, staff = _issuer_with_achievement(db, runtime)
    earner = make_user(db)
    issued = awarding.award(
        db,
        staff,
        issuer.id,
        achievement.id,
        email=earner.emails[0].email,
        base_url=BASE,
        data_keys=runtime.config.data_keys,
    )
    work(runtime)
    awarding.expire(
        db, staff, issuer.id, issued.public_id, base_url=BASE, data_keys=runtime.config.data_keys
    )
    work(runtime)

    held = db.scalars(select(Award).where(Award.user_id == earner.id)).one()
    db.refresh(held)
    assert held.state() == "expired"
    assert any(
        m["subject"] == "A badge in your wallet has expired"
        for m in mails_to(db, earner.emails[0].email)
    )
    db.refresh(issued)
    assert "validUntil" in issued.credential
    report = verify(
        json.dumps(issued.credential),
        fetch=own_documents_first(db, runtime.config, runtime.http.get),
        recipients=[earner.emails[0].email],
    )
    assert report.expired, report.to_json()
    assert {c.name: c.status for c in report.checks}["signature"] == "pass"


def test_an_award_cannot_expire_before_it_was_issued(db: Session, runtime: Runtime) -> None:
    issuer, achievement, staff = _issuer_with_achievement(db, runtime)
    issued = awarding.award(
        db,
        staff,
        issuer.id,
        achievement.id,
        email="x@example.org",
        base_url=BASE,
        data_keys=runtime.config.data_keys,
    )
    with pytest.raises(errors.Invalid):
        awarding.expire(
            db,
            staff,
            issuer.id,
            issued.public_id,
            at=issued.issued_at - dt.timedelta(days=2),
            base_url=BASE,
            data_keys=runtime.config.data_keys,
        )


def test_a_replaced_award_is_revoked_naming_the_new_one_which_reaches_the_wallet(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    issuer, achievement, staff = _issuer_with_achievement(db, runtime)
    earner = make_user(db)
    old = awarding.award(
        db,
        staff,
        issuer.id,
        achievement.id,
        email="typo@example.org",
        name="Ana Lopez",
        base_url=BASE,
        data_keys=runtime.config.data_keys,
    )
    new = awarding.replace(
        db,
        staff,
        issuer.id,
        old.public_id,
        email=earner.emails[0].email,
        name="Ana López",
        base_url=BASE,
        data_keys=runtime.config.data_keys,
    )
    work(runtime)
    db.refresh(old)
    assert old.revoked_at is not None
    assert old.replaced_by_public_id == new.public_id
    assert new.public_id in old.revocation_reason
    assert new.recipient_name == "Ana López"
    held = db.scalars(select(Award).where(Award.user_id == earner.id)).one()
    assert held.acceptance == "pending"
    assert held.state() != "revoked"
    with pytest.raises(errors.Conflict):
        awarding.replace(
            db, staff, issuer.id, old.public_id, base_url=BASE, data_keys=runtime.config.data_keys
        )


def test_another_issuers_member_cannot_expire_or_replace(db: Session, runtime: Runtime) -> None:
    issuer, achievement, staff = _issuer_with_achievement(db, runtime)
    issued = awarding.award(
        db,
        staff,
        issuer.id,
        achievement.id,
        email="x@example.org",
        base_url=BASE,
        data_keys=runtime.config.data_keys,
    )
    outsider = make_user(db)
    keys = runtime.config.data_keys
    with pytest.raises(errors.NotFound):
        awarding.expire(db, outsider.id, issuer.id, issued.public_id, base_url=BASE, data_keys=keys)
    with pytest.raises(errors.NotFound):
        awarding.replace(
            db, outsider.id, issuer.id, issued.public_id, base_url=BASE, data_keys=keys
        )
