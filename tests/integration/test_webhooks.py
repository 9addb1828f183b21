"""Webhooks reach a real local receiver, signed as Standard Webhooks says, retried, disabled."""

from __future__ import annotations

import datetime as dt
import json
import typing as t

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from tests.background import work
from tests.factories import mails_to
from tests.integration.test_engagement_feed import give
from tests.integration.test_engagement_feed import make_issuer
from tests.receiver import Receiver
from wallet.accounts.models import User
from wallet.db import utcnow
from wallet.engagement import delivery
from wallet.engagement import webhooks
from wallet.engagement.models import WebhookDelivery

if t.TYPE_CHECKING:
    import redis as redis_lib
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


@pytest.fixture
def receiver() -> t.Iterator[Receiver]:
    running = Receiver().start()
    yield running
    running.stop()


def _endpoint(db: Session, runtime: Runtime, owner_id: int, issuer_id: int, url: str, **kw: t.Any):
    return webhooks.create_endpoint(
        db,
        owner_id,
        issuer_id,
        url=url,
        description="Records",
        event_types=kw.get("event_types", []),
        data_keys=runtime.config.data_keys,
        allow_http=True,
    )


def test_a_delivery_verifies_with_standardwebhooks_and_tampering_fails(
    db: Session, runtime: Runtime, redis: redis_lib.Redis, receiver: Receiver
) -> None:
    owner_id, issuer, achievement = make_issuer(db, runtime)
    _endpoint_row, secret = _endpoint(db, runtime, owner_id, issuer.id, receiver.url)
    assert secret.startswith("whsec_")
    award_id = give(db, runtime, owner_id, issuer, achievement, "w@example.org")
    work(runtime)

    [got] = receiver.requests
    event = Webhook(secret).verify(got.body, got.headers)
    assert event["type"] == "award.created"
    assert event["data"]["award"]["id"] == award_id
    assert event["id"] == got.headers["webhook-id"]
    assert set(event) == {"id", "type", "timestamp", "data"}

    tampered = got.body.replace(award_id.encode(), b"0" * len(award_id))
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(tampered, got.headers)
    stale = {**got.headers, "webhook-timestamp": str(int(utcnow().timestamp()) - 600)}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(got.body, stale)


def test_failures_are_retried_on_the_schedule_then_the_endpoint_is_disabled(
    db: Session, runtime: Runtime, redis: redis_lib.Redis, receiver: Receiver
) -> None:
    owner_id, issuer, achievement = make_issuer(db, runtime)
    endpoint, _secret = _endpoint(db, runtime, owner_id, issuer.id, receiver.url)
    receiver.status, receiver.answer = 500, b"database down"
    give(db, runtime, owner_id, issuer, achievement, "r@example.org")
    before = utcnow()
    work(runtime)

    row = db.scalars(select(WebhookDelivery)).one()
    db.refresh(row)
    assert row.state == "pending"
    assert row.attempts == 1
    wait = (row.next_attempt_at.replace(tzinfo=dt.UTC) - before).total_seconds()
    assert 4 <= wait <= 7  # 5 s +- 20 %
    assert row.log[0].status == 500
    assert row.log[0].response_start == "database down"

    # Nothing is sent before its time.
    work(runtime)
    assert len(receiver.requests) == 1

    delays = []
    for _ in range(len(delivery.SCHEDULE)):
        row.next_attempt_at = utcnow() - dt.timedelta(seconds=1)
        db.commit()
        started = utcnow()
        work(runtime)
        db.refresh(row)
        if row.next_attempt_at is not None:
            delays.append((row.next_attempt_at.replace(tzinfo=dt.UTC) - started).total_seconds())
    assert len(receiver.requests) == 1 + len(delivery.SCHEDULE)
    for got, expected in zip(delays, delivery.SCHEDULE[1:], strict=True):
        assert expected * 0.79 <= got <= expected * 1.21
    assert sum(delivery.SCHEDULE) / 86400 == pytest.approx(3.1, abs=0.2)
    assert row.state == "failed"
    db.refresh(endpoint)
    assert endpoint.disabled_reason == "failing"
    owner = db.get_one(User, owner_id)
    [mail] = mails_to(db, owner.emails[0].email)
    assert "disabled" in mail["subject"]


def test_410_gone_disables_the_endpoint_at_once(
    db: Session, runtime: Runtime, redis: redis_lib.Redis, receiver: Receiver
) -> None:
    owner_id, issuer, achievement = make_issuer(db, runtime)
    endpoint, _secret = _endpoint(db, runtime, owner_id, issuer.id, receiver.url)
    receiver.status = 410
    give(db, runtime, owner_id, issuer, achievement, "g@example.org")
    work(runtime)
    db.refresh(endpoint)
    assert endpoint.disabled_reason == "gone"
    give(db, runtime, owner_id, issuer, achievement, "h@example.org")
    work(runtime)
    assert len(receiver.requests) == 1


def test_a_rotation_signs_with_both_secrets_for_a_day(
    db: Session, runtime: Runtime, redis: redis_lib.Redis, receiver: Receiver
) -> None:
    owner_id, issuer, achievement = make_issuer(db, runtime)
    endpoint, old = _endpoint(db, runtime, owner_id, issuer.id, receiver.url)
    _same, new = webhooks.rotate_secret(
        db, owner_id, issuer.id, endpoint.public_id, data_keys=runtime.config.data_keys
    )
    give(db, runtime, owner_id, issuer, achievement, "k@example.org")
    work(runtime)
    [got] = receiver.requests
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(got.body, got.headers)
    Webhook(new).verify(got.body, got.headers)

    endpoint.previous_until = utcnow() - dt.timedelta(seconds=1)
    db.commit()
    webhooks.send_test(db, owner_id, issuer.id, endpoint.public_id)
    work(runtime)
    test = receiver.requests[-1]
    assert json.loads(test.body)["type"] == "webhook.test"
    Webhook(new).verify(test.body, test.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(test.body, test.headers)


def test_filters_and_manual_redelivery(
    db: Session, runtime: Runtime, redis: redis_lib.Redis, receiver: Receiver
) -> None:
    owner_id, issuer, achievement = make_issuer(db, runtime)
    _endpoint(db, runtime, owner_id, issuer.id, receiver.url, event_types=["award.revoked"])
    give(db, runtime, owner_id, issuer, achievement, "f@example.org")
    work(runtime)
    assert receiver.requests == []
    other, _secret = _endpoint(db, runtime, owner_id, issuer.id, receiver.url + "2")
    give(db, runtime, owner_id, issuer, achievement, "g@example.org")
    work(runtime)
    [first] = receiver.requests
    row = db.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == other.id)).one()
    webhooks.redeliver(db, issuer.id, row.public_id, user_id=owner_id)
    work(runtime)
    assert [r.headers["webhook-id"] for r in receiver.requests] == [first.headers["webhook-id"]] * 2


def test_an_issuer_never_receives_another_issuers_events(
    db: Session, runtime: Runtime, redis: redis_lib.Redis, receiver: Receiver
) -> None:
    x_owner, x, x_achievement = make_issuer(db, runtime, "X")
    y_owner, y, _y_achievement = make_issuer(db, runtime, "Y")
    _endpoint(db, runtime, y_owner, y.id, receiver.url)
    give(db, runtime, x_owner, x, x_achievement, "x@example.org")
    work(runtime)
    assert receiver.requests == []


def test_a_lost_delivery_job_is_dispatched_again_when_its_lease_ends(
    db: Session, runtime: Runtime, redis: redis_lib.Redis, receiver: Receiver
) -> None:
    from wallet.events.broker import build_broker
    from wallet.events.relay import relay_once

    owner_id, issuer, achievement = make_issuer(db, runtime)
    _endpoint(db, runtime, owner_id, issuer.id, receiver.url)
    give(db, runtime, owner_id, issuer, achievement, "lost@example.org")
    broker = build_broker(runtime)
    relay_once(runtime, broker)
    assert delivery.dispatch_due(runtime, broker) == 1
    broker.close()
    redis.flushdb()  # the queue is lost (a Redis restart without persistence)
    work(runtime)
    assert receiver.requests == []  # leased: not dispatched again yet

    row = db.scalars(select(WebhookDelivery)).one()
    db.refresh(row)
    row.next_attempt_at = utcnow() - dt.timedelta(seconds=1)  # the lease ended
    db.commit()
    work(runtime)
    assert len(receiver.requests) == 1
    db.refresh(row)
    assert row.state == "delivered"
