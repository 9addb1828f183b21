"""Deliver webhooks: the dispatcher picks due deliveries, a job POSTs each one and logs it.

Each delivery lives in the database until it succeeds or gives up, so a crash, a lost queue
message or a Redis restart only delays it: the dispatcher leases a due delivery (moves its
``next_attempt_at`` ``webhook_lease`` seconds ahead) when it enqueues it, and a job that never
ran leaves it due again when the lease ends. Receivers deduplicate on ``webhook-id``.

Retry schedule after the first attempt (``Config.webhook_retry_schedule``, each delay +-20 %
jitter): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h: ten attempts over about three
days. Then the delivery has failed, the endpoint is disabled and the issuer's owners and admins
are mailed. A 410 Gone disables the endpoint at once. Any 2xx is a success; a redirect is a
failure (never followed). When an endpoint looks down (no answer, 429 or 5xx), the rest of the
job's batch waits behind the failed delivery instead of each waiting out its own timeout.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import random
import threading
import time
import typing as t

from dramatiq import Message
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import joinedload

from wallet import http
from wallet.accounts.models import User
from wallet.config import WEBHOOK_RETRY_SCHEDULE
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

#: Seconds to wait before each retry by default (the first attempt is immediate).
SCHEDULE = WEBHOOK_RETRY_SCHEDULE
#: Jitter: each delay is multiplied by a random factor in [1 - JITTER, 1 + JITTER].
JITTER = 0.2
#: Seconds an attempt may take in all.
TIMEOUT = 10.0
#: Deliveries to one endpoint sent by one job, in order (one transaction logs them all).
BATCH = 50
#: Characters of the response kept in the log.
RESPONSE_START = 500
JOB = "deliver_webhook"
QUEUE = "wallet"


def retry_delay(
    attempts: int,
    rng: random.Random | None = None,
    *,
    schedule: t.Sequence[float] = SCHEDULE,
) -> float | None:
    """Return the seconds before the next try after ``attempts`` failed ones (None: give up)."""
    if attempts > len(schedule):
        return None
    base = schedule[attempts - 1]
    return base * (rng or random).uniform(1 - JITTER, 1 + JITTER)


def dispatch_due(runtime: Runtime, broker: Broker, *, limit: int = 500) -> int:
    """Lease and enqueue the deliveries that are due; return how many."""
    now = utcnow()
    with runtime.db.session() as session:
        query = (
            select(WebhookDelivery.id, WebhookDelivery.endpoint_id, WebhookDelivery.message_id)
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
        due = session.execute(query).all()
        if not due:
            return 0
        # The lease commits after the enqueue: when Redis fails half-way nothing is leased and
        # every row stays due (the messages already enqueued may run twice; receivers dedupe).
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_([row.id for row in due]))
            .values(next_attempt_at=now + dt.timedelta(seconds=runtime.config.webhook_lease))
            .execution_options(synchronize_session=False)
        )
        by_endpoint: dict[int, list[t.Any]] = {}
        for row in due:
            by_endpoint.setdefault(row.endpoint_id, []).append(row)
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
        session.commit()
        return len(due)


def dispatch_forever(
    runtime: Runtime,
    broker: Broker,
    stop: threading.Event,
    *,
    wake: threading.Event | None = None,
    interval: float = 0.5,
) -> None:
    """Dispatch until ``stop`` is set; wait ``interval`` when idle unless ``wake`` is set."""
    wake = wake or threading.Event()
    while not stop.is_set():
        try:
            handled = dispatch_due(runtime, broker)
        except Exception:  # keep dispatching after a database or Redis hiccup
            log.exception("webhook dispatch failed; retrying")
            stop.wait(interval)
            continue
        if not handled:
            # The relay sets ``wake`` when it queued deliveries: no polling delay for new events.
            wake.wait(interval)
            wake.clear()


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


@dataclasses.dataclass(frozen=True)
class Outgoing:
    """One delivery to POST, read before any HTTP so no transaction is open during it."""

    delivery_id: int
    endpoint_id: int
    url: str
    message_id: str
    body: str
    secrets: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What one POST got."""

    attempted_at: dt.datetime
    status: int | None
    ok: bool
    said: str
    latency_ms: int

    @property
    def endpoint_down(self) -> bool:
        """Say whether the failure says the endpoint is down or gone (not just this one event)."""
        return not self.ok and (
            self.status is None or self.status in (410, 429) or self.status >= 500
        )


def attempt_all(session: Session, runtime: Runtime, delivery_ids: t.Sequence[int]) -> int:
    """POST each pending delivery once, in order, then log them all; return how many ran.

    Three steps, so no transaction is open while a receiver takes its time (on SQLite an open
    transaction holds the one write lock): read what to send, send it over one kept-alive
    connection per endpoint, then record every attempt in one transaction. When an endpoint looks
    down, the rest of its deliveries wait behind the failed one without an attempt.
    """
    outgoing = _read(session, runtime, delivery_ids)
    session.rollback()
    outcomes: dict[int, Outcome] = {}
    down: set[int] = set()
    with client_for(runtime).kept_alive() as client:
        for item in outgoing:
            if item.endpoint_id in down:
                continue
            outcome = _send(client, item)
            outcomes[item.delivery_id] = outcome
            if outcome.endpoint_down:
                down.add(item.endpoint_id)
    _record(session, runtime, outgoing, outcomes)
    session.commit()
    return len(outcomes)


def _read(session: Session, runtime: Runtime, delivery_ids: t.Sequence[int]) -> list[Outgoing]:
    # A read-only transaction: on SQLite it does not queue for the write lock.
    session.connection(execution_options={"read_only": True})
    rows = session.execute(
        select(
            WebhookDelivery.id,
            WebhookDelivery.endpoint_id,
            WebhookDelivery.message_id,
            WebhookDelivery.body,
        )
        .where(WebhookDelivery.id.in_(delivery_ids), WebhookDelivery.state == "pending")
        .order_by(WebhookDelivery.id)
    ).all()
    endpoints = {
        endpoint.id: endpoint
        for endpoint in session.scalars(
            select(WebhookEndpoint).where(
                WebhookEndpoint.id.in_({row.endpoint_id for row in rows}),
                WebhookEndpoint.disabled_at.is_(None),
            )
        )
    }
    now = utcnow()
    signers = {
        number: tuple(secrets_of(endpoint, runtime.config.data_keys, now))
        for number, endpoint in endpoints.items()
    }
    return [
        Outgoing(
            row.id,
            row.endpoint_id,
            endpoints[row.endpoint_id].url,
            row.message_id,
            row.body,
            signers[row.endpoint_id],
        )
        for row in rows
        if row.endpoint_id in endpoints
    ]


def _send(client: http.HttpClient, item: Outgoing) -> Outcome:
    now = utcnow()
    head = signing.headers(item.message_id, item.body, item.secrets, now)
    started = time.monotonic()
    status: int | None = None
    ok = False
    try:
        fetched = client.post(item.url, body=item.body.encode(), headers=head, max_bytes=4096)
        status, ok = fetched.status, 200 <= fetched.status < 300
        said = fetched.content.decode("utf-8", "replace")
    except http.HTTPStatusError as error:
        status, said = error.status, error.content.decode("utf-8", "replace")
    except http.TooLarge:
        status, ok, said = 200, True, "(the response was longer than 4 KB)"
    except http.FetchError as error:
        said = str(error.message)
    latency = int((time.monotonic() - started) * 1000)
    return Outcome(now, status, ok, said[:RESPONSE_START], latency)


def _record(
    session: Session, runtime: Runtime, outgoing: list[Outgoing], outcomes: dict[int, Outcome]
) -> None:
    """Log the attempts and decide what follows each delivery (no commit).

    Successes, nearly all of them, take two statements for the whole batch (one insert of their
    log, one update); failures and deliveries left waiting are decided one by one.
    """
    if not outgoing:
        return
    states = dict(
        session.execute(
            select(WebhookDelivery.id, WebhookDelivery.state).where(
                WebhookDelivery.id.in_([item.delivery_id for item in outgoing])
            )
        ).all()
    )
    # Deleted, or already decided by another run of the same job: nothing to record.
    pending = [item for item in outgoing if states.get(item.delivery_id) == "pending"]
    done = [item.delivery_id for item in pending if _ok(outcomes.get(item.delivery_id))]
    if done:
        session.execute(
            insert(WebhookAttempt),
            [_log_entry(number, outcomes[number]) for number in done],
        )
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(done))
            .values(
                state="delivered",
                attempts=WebhookDelivery.attempts + 1,
                next_attempt_at=None,
            )
            .execution_options(synchronize_session=False)
        )
    rest = [item for item in pending if not _ok(outcomes.get(item.delivery_id))]
    if not rest:
        return
    rows = {
        row.id: row
        for row in session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.id.in_([item.delivery_id for item in rest]))
            .options(joinedload(WebhookDelivery.endpoint))
        )
    }
    #: Per endpoint that looked down: when its failed delivery is tried again.
    behind: dict[int, dt.datetime] = {}
    for item in rest:
        delivery = rows[item.delivery_id]
        outcome = outcomes.get(item.delivery_id)
        if outcome is None:
            # Not attempted: it waits behind its endpoint's failed delivery, in order.
            delivery.next_attempt_at = behind.get(item.endpoint_id) or utcnow()
            continue
        _decide(session, runtime, delivery, outcome)
        if outcome.endpoint_down:
            behind[item.endpoint_id] = delivery.next_attempt_at or utcnow()


def _ok(outcome: Outcome | None) -> bool:
    return outcome is not None and outcome.ok


def _log_entry(delivery_id: int, outcome: Outcome) -> dict[str, t.Any]:
    """Return the row of the delivery log for one attempt."""
    return {
        "delivery_id": delivery_id,
        "attempted_at": outcome.attempted_at,
        "status": outcome.status,
        "latency_ms": outcome.latency_ms,
        "response_start": outcome.said,
        "ok": outcome.ok,
    }


def _decide(
    session: Session, runtime: Runtime, delivery: WebhookDelivery, outcome: Outcome
) -> None:
    """Log a failed attempt and schedule the retry, or give up and disable the endpoint."""
    session.add(WebhookAttempt(**_log_entry(delivery.id, outcome)))
    endpoint = delivery.endpoint
    delivery.attempts += 1
    if outcome.status == 410:
        delivery.state = "failed"
        delivery.next_attempt_at = None
        disable(session, endpoint, "gone", base_url=runtime.config.base_url)
    else:
        delay = retry_delay(delivery.attempts, schedule=runtime.config.webhook_retry_schedule)
        if delay is None or delivery.type == "webhook.test":
            delivery.state = "failed"
            delivery.next_attempt_at = None
            if delivery.type != "webhook.test":
                disable(session, endpoint, "failing", base_url=runtime.config.base_url)
        else:
            delivery.next_attempt_at = outcome.attempted_at + dt.timedelta(seconds=delay)


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
