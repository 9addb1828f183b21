"""Awards are verified again on schedule; one found revoked or expired is marked, earner told."""

from __future__ import annotations

import datetime as dt
import time
import typing as t
from dataclasses import replace

from tests.background import work
from tests.factories import mails_to
from tests.factories import make_user
from tests.issuer_site import IssuerSite
from tests.issuer_site import hosted_ob2
from wallet.accounts.models import User
from wallet.backpack import messages
from wallet.backpack import service
from wallet.backpack.models import Award
from wallet.config import MailConfig
from wallet.db import utcnow
from wallet.events import scheduler
from wallet.events.broker import build_broker

if t.TYPE_CHECKING:
    import redis as redis_lib
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


def _imported(db: Session, runtime: Runtime, site: str, **hosted: t.Any) -> Award:
    user = make_user(db)
    data = hosted_ob2(site, email=user.emails[0].email, **hosted)
    award, report = service.import_award(db, user.id, data, fetch=runtime.http.get)
    assert award is not None, report.to_json()
    return award


def test_the_daily_job_finds_a_revoked_badge_and_mails_its_earner_once(
    db: Session,
    runtime: Runtime,
    redis: redis_lib.Redis,
    site: str,
    smtp_server: tuple[str, int, t.Any],
) -> None:
    host, port, inbox = smtp_server
    runtime = replace(
        runtime,
        config=runtime.config.with_overrides(mail=MailConfig(smtp_host=host, smtp_port=port)),
    )
    award = _imported(db, runtime, site)
    fresh = _imported(db, runtime, site)
    award.verified_at = utcnow() - dt.timedelta(days=2)
    db.commit()
    IssuerSite.gone.add("/a/1")

    broker = build_broker(runtime)
    assert scheduler.enqueue_due_reverifications(runtime, broker) == 1
    assert scheduler.enqueue_due_reverifications(runtime, broker) == 0  # already queued
    broker.close()
    work(runtime)
    work(runtime)  # the mail the job recorded

    db.expire_all()
    assert award.state() == "revoked"
    assert fresh.state() == "valid"  # checked yesterday: not due yet
    assert [m["Subject"] for m in inbox.messages] == ["A badge in your wallet was revoked"]
    assert f"/wallet/awards/{award.id}" in inbox.messages[0].get_content()

    service.reverify_award(db, award.id, fetch=runtime.http.get, base_url="http://localhost")
    assert len(mails_to(db, inbox.messages[0]["To"])) == 1


def test_a_badge_that_expires_is_checked_at_once_and_its_earner_told(
    db: Session, runtime: Runtime, redis: redis_lib.Redis, site: str
) -> None:
    soon = (utcnow() + dt.timedelta(seconds=2)).isoformat()
    award = _imported(db, runtime, site, expires=soon)
    assert award.state() == "valid"
    time.sleep(2.1)

    broker = build_broker(runtime)
    assert scheduler.enqueue_due_reverifications(runtime, broker) == 1
    broker.close()
    work(runtime)

    db.expire_all()
    assert award.state() == "expired"
    assert award.verification_status == "invalid"
    mails = [m for m in mails_to(db, _email_of(db, award)) if "expired" in m["subject"]]
    assert len(mails) == 1


def test_an_award_deleted_before_its_job_runs_is_no_error(db: Session, runtime: Runtime) -> None:
    service.reverify_award(db, 10**9, fetch=runtime.http.get, base_url="http://localhost")


def test_the_mail_is_in_the_earners_language() -> None:
    mail = messages.award_went_bad(
        to="ana@example.org",
        name="Ana",
        locale="es",
        state="revoked",
        achievement="Robótica",
        issuer="Colegio",
        link="http://localhost/wallet/awards/1",
        user_id=1,
    )
    assert mail.subject == "Una insignia de tu cartera fue revocada"
    assert "Colegio ha revocado tu insignia «Robótica»." in mail.text


def _email_of(db: Session, award: Award) -> str:
    user = db.get(User, award.user_id)
    assert user is not None
    assert user.primary_email is not None
    return user.primary_email.email
