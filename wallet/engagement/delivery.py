"""Deliver webhooks: the dispatcher picks due deliveries, a job POSTs each one and logs it.

Each delivery lives in the database until it succeeds or gives up, so a crash, a lost queue
message or a Redis restart only delays it: the dispatcher leases a due delivery (moves its
``next_attempt_at`` ``LEASE`` seconds ahead) when it enqueues it, and a job that never ran leaves
it due again when the lease ends. Receivers deduplicate on ``webhook-id``.

Retry schedule after the first attempt (each delay +-20 % jitter): 5 s, 5 min, 30 min, 2 h,
5 h, 10 h, 14 h, 20 h, 24 h: ten attempts over about three days. Then the delivery has failed,
the endpoint is disabled and the issuer's owners and admins are mailed. A 410 Gone disables the
endpoint at once. Any 2xx is a success; a redirect is a failure (never followed).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import random
import time
import typing as t

from dramatiq import Message
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from wallet import http
from wallet.accounts.models import User
from wallet.db import utcnow
from wallet.engagement import messages
from wallet.engagement import signing
from wallet.engagement.models import WebhookAttempt
from wallet.engagement.models import WebhookDelivery
from wallet.engagement.models import WebhookEndpoint
from wallet.events import outbox
from wallet.issuers.models import Issuer
from wallet.issuers.models import Membership
from wallet.sealing import unseal

if t.TYPE_CHECKING:
    from dramatiq import Broker
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime

log = logging.getLogger(__name__)

#: Seconds to wait before each retry (the first attempt is immediate).
SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
#: Jitter: each delay is multiplied by a random factor in [1 - JITTER, 1 + JITTER].
JITTER = 0.2
#: Seconds a dispatched delivery is not dispatched again (its job should have run by then).
LEASE = 120
#: Seconds an attempt may take in all.
TIMEOUT = 10.0
#: Deliveries to one endpoint sent by one job, in order (one transaction logs them all).
BATCH = 50
#: Characters of the response kept in the log.
RESPONSE_START = 500
JOB = "deliver_webhook"
QUEUE = "wallet"


def retry_delay(attempts: int, rng: random.Random | None = None) -> float | None:
    """Return the seconds before the next try after ``attempts`` failed ones (None: give up)."""
    if attempts > len(SCHEDULE):
        return None
    base = SCHEDULE[attempts - 1]
    return base * (rng or random).uniform(1 - JITTER, 1 + JITTER)


def dispatch_due(runtime: Runtime, broker: Broker, *, limit: int = 500) -> int:
    """Lease and enqueue the deliveries that are due; return how many."""
    now = utcnow()
    with runtime.db.session() as session:
        query = (
            select(WebhookDelivery)
            .join(WebhookEndpoint)
            .where(
                WebhookDelivery.state == "pending",
                WebhookDelivery.next_attempt_at <= now,
                WebhookEndpoint.disabled_at.is_(None),
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
        )
        if runtime.db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True, of=WebhookDelivery)
        due = session.scalars(query).all()
        by_endpoint: dict[int, list[WebhookDelivery]] = {}
        for delivery in due:
            by_endpoint.setdefault(delivery.endpoint_id, []).append(delivery)
        for group in by_endpoint.values():
            for start in range(0, len(group), BATCH):
                chunk = group[start : start + BATCH]
                broker.enqueue(
                    Message(
                        queue_name=QUEUE,
                        actor_name=JOB,
                        args=(chunk[0].message_id, {"delivery_ids": [d.id for d in chunk]}),
                        kwargs={},
                        options={},
                    )
                )
        for delivery in due:
            delivery.next_attempt_at = now + dt.timedelta(seconds=LEASE)
        session.commit()
        return len(due)


def dispatch_forever(runtime: Runtime, broker: Broker, stop: t.Any, interval: float = 0.5) -> None:
    """Dispatch until ``stop`` (a ``threading.Event``) is set."""
    while not stop.is_set():
        try:
            handled = dispatch_due(runtime, broker)
        except Exception:  # keep dispatching after a database or Redis hiccup
            log.exception("webhook dispatch failed; retrying")
            handled = 0
        if not handled:
            stop.wait(interval)


def client_for(runtime: Runtime) -> http.HttpClient:
    """Return the outbound client with the webhook timeout (same SSRF guard, no redirects)."""
    settings = dataclasses.replace(
        runtime.http.settings,
        read_timeout=TIMEOUT,
        total_timeout=TIMEOUT,
        user_agent="TheWallet-Webhooks/1.0",
    )
    return http.HttpClient(settings)


def secrets_of(endpoint: WebhookEndpoint, keys: tuple[str, ...], now: dt.datetime) -> list[str]:
    """Return the secrets that sign now: the current one, and the previous during a rotation."""
    found = [unseal(keys, endpoint.secret_sealed).decode()]
    until = endpoint.previous_until
    if endpoint.previous_secret_sealed and until is not None and _aware(until) > now:
        found.append(unseal(keys, endpoint.previous_secret_sealed).decode())
    return found


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def attempt_all(session: Session, runtime: Runtime, delivery_ids: t.Sequence[int]) -> int:
    """POST each pending delivery once, in order, then commit their log; return how many ran."""
    rows = session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.id.in_(delivery_ids))
        .options(joinedload(WebhookDelivery.endpoint))
        .order_by(WebhookDelivery.id)
    ).all()
    signers: dict[int, list[str]] = {}
    with client_for(runtime).kept_alive() as client:
        done = sum(
            _attempt(session, runtime, row, client=client, signers=signers) is not None
            for row in rows
        )
    session.commit()
    return done


def attempt(
    session: Session,
    runtime: Runtime,
    delivery_id: int,
    *,
    client: http.HttpClient | None = None,
    commit: bool = True,
) -> WebhookAttempt | None:
    """POST a pending delivery once, log the attempt and decide what follows."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        return None
    record = _attempt(session, runtime, delivery, client=client or client_for(runtime), signers={})
    if commit:
        session.commit()
    return record


def _attempt(
    session: Session,
    runtime: Runtime,
    delivery: WebhookDelivery,
    *,
    client: http.HttpClient,
    signers: dict[int, list[str]],
) -> WebhookAttempt | None:
    if delivery.state != "pending" or not delivery.endpoint.enabled:
        return None
    endpoint = delivery.endpoint
    now = utcnow()
    if endpoint.id not in signers:
        signers[endpoint.id] = secrets_of(endpoint, runtime.config.data_keys, now)
    head = signing.headers(delivery.message_id, delivery.body, signers[endpoint.id], now)
    started = time.monotonic()
    status: int | None = None
    ok = False
    try:
        fetched = client.post(
            endpoint.url, body=delivery.body.encode(), headers=head, max_bytes=4096
        )
        status, ok = fetched.status, 200 <= fetched.status < 300
        said = fetched.content.decode("utf-8", "replace")
    except http.HTTPStatusError as error:
        status, said = error.status, error.content.decode("utf-8", "replace")
    except http.TooLarge:
        status, ok, said = 200, True, "(the response was longer than 4 KB)"
    except http.FetchError as error:
        said = str(error.message)
    record = WebhookAttempt(
        delivery_id=delivery.id,
        attempted_at=now,
        status=status,
        latency_ms=int((time.monotonic() - started) * 1000),
        response_start=said[:RESPONSE_START],
        ok=ok,
    )
    session.add(record)
    delivery.attempts += 1
    if ok:
        delivery.state = "delivered"
        delivery.next_attempt_at = None
    elif status == 410:
        delivery.state = "failed"
        delivery.next_attempt_at = None
        disable(session, endpoint, "gone", base_url=runtime.config.base_url)
    else:
        delay = retry_delay(delivery.attempts)
        if delay is None or delivery.type == "webhook.test":
            delivery.state = "failed"
            delivery.next_attempt_at = None
            if delivery.type != "webhook.test":
                disable(session, endpoint, "failing", base_url=runtime.config.base_url)
        else:
            delivery.next_attempt_at = now + dt.timedelta(seconds=delay)
    return record


def disable(session: Session, endpoint: WebhookEndpoint, reason: str, *, base_url: str) -> None:
    """Stop delivering to ``endpoint`` and mail the issuer's owners and admins (no commit)."""
    if endpoint.disabled_at is not None:
        return
    endpoint.disabled_at = utcnow()
    endpoint.disabled_reason = reason
    issuer = session.get_one(Issuer, endpoint.issuer_id)
    admins = session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.issuer_id == issuer.id, Membership.role.in_(("owner", "admin")))
    ).all()
    link = f"{base_url}/issuers/{issuer.id}/webhooks/{endpoint.public_id}"
    for admin in admins:
        primary = admin.primary_email
        if primary is not None:
            outbox.record(
                session,
                messages.endpoint_disabled(
                    to=primary.email,
                    issuer=issuer.name,
                    url=endpoint.url,
                    gone=reason == "gone",
                    link=link,
                    locale=admin.locale,
                ),
            )
