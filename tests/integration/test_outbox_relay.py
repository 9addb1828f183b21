"""Side effects go through the outbox: recorded with the change, relayed after commit, run once."""

from __future__ import annotations

import logging
import typing as t
from dataclasses import replace

import pytest
from dramatiq import Worker
from sqlalchemy import select

from wallet.config import MailConfig
from wallet.events import outbox
from wallet.events.broker import QUEUE
from wallet.events.broker import build_broker
from wallet.events.catalog import MailRequested
from wallet.events.models import OutboxMessage
from wallet.events.relay import relay_once
from wallet.runtime import Runtime

if t.TYPE_CHECKING:
    import redis as redis_lib
    from sqlalchemy.orm import Session


def _mail(to: str = "ada@example.org") -> MailRequested:
    return MailRequested(
        to=to,
        subject="Verify your email",
        text="Open http://localhost/verify-email/abc to verify.",
        about_user_id=7,
    )


@pytest.fixture
def runtime_with_mail(runtime: Runtime, redis: redis_lib.Redis) -> t.Callable[..., Runtime]:
    """Return a factory of runtimes on the test database and Redis with other mail settings."""

    def build(mail: MailConfig) -> Runtime:
        return replace(runtime, config=runtime.config.with_overrides(mail=mail))

    return build


def _run_jobs(runtime: Runtime) -> None:
    broker = build_broker(runtime)
    worker = Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        broker.join(QUEUE, timeout=10_000)
        worker.join()
    finally:
        worker.stop()
        broker.close()


def test_an_event_rolled_back_with_its_transaction_is_never_relayed(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    outbox.record(db, _mail())
    db.rollback()

    assert relay_once(runtime, build_broker(runtime)) == 0
    assert db.scalars(select(OutboxMessage)).all() == []


def test_a_committed_event_is_relayed_exactly_once(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    outbox.record(db, _mail())
    db.commit()
    broker = build_broker(runtime)

    assert relay_once(runtime, broker) == 1
    assert relay_once(runtime, broker) == 0
    assert broker.client.llen(f"wallet-jobs:{QUEUE}") == 1
    row = db.scalars(select(OutboxMessage)).one()
    db.refresh(row)
    assert row.relayed_at is not None
    assert row.user_id == 7


def test_the_worker_sends_mail_through_smtp(
    db: Session,
    runtime_with_mail: t.Callable[..., Runtime],
    smtp_server: tuple[str, int, t.Any],
) -> None:
    host, port, inbox = smtp_server
    runtime = runtime_with_mail(MailConfig(smtp_host=host, smtp_port=port))
    outbox.record(db, _mail("grace@example.org"))
    db.commit()

    relay_once(runtime, build_broker(runtime))
    _run_jobs(runtime)

    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "grace@example.org"
    assert message["Subject"] == "Verify your email"
    assert "http://localhost/verify-email/abc" in message.get_content()


def test_without_smtp_the_mail_is_written_to_a_file_and_its_link_logged(
    db: Session,
    runtime_with_mail: t.Callable[..., Runtime],
    tmp_path: t.Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    runtime = runtime_with_mail(MailConfig(outbox_dir=tmp_path / "mail"))
    outbox.record(db, _mail())
    db.commit()
    relay_once(runtime, build_broker(runtime))

    with caplog.at_level(logging.INFO, logger="wallet.events.mail"):
        _run_jobs(runtime)

    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    assert b"Subject: Verify your email" in files[0].read_bytes()
    assert "http://localhost/verify-email/abc" in caplog.text


def test_an_event_type_without_a_job_does_not_stop_the_relay(
    db: Session, runtime: Runtime, redis: redis_lib.Redis, caplog: pytest.LogCaptureFixture
) -> None:
    db.add(OutboxMessage(event_id="e-unknown", type="nobody.listens", payload={}))
    outbox.record(db, _mail())
    db.commit()
    broker = build_broker(runtime)

    assert relay_once(runtime, broker) == 2
    assert "nobody.listens" in caplog.text
    assert broker.client.llen(f"wallet-jobs:{QUEUE}") == 1
