"""Issuers' public events: numbered gap-free in commit order, only about their own awards."""

from __future__ import annotations

import typing as t

from sqlalchemy import func
from sqlalchemy import select

from tests.background import work
from tests.factories import make_user
from wallet.engagement import feed
from wallet.engagement import pseudonyms
from wallet.engagement.models import EngagementConsent
from wallet.engagement.models import IssuerEvent
from wallet.events import outbox
from wallet.events.catalog import AwardCreated
from wallet.events.models import OutboxMessage
from wallet.issuers import awarding
from wallet.issuers import service as issuers

if t.TYPE_CHECKING:
    import redis as redis_lib
    from sqlalchemy.orm import Session

    from wallet.issuers.models import Achievement
    from wallet.issuers.models import Issuer
    from wallet.runtime import Runtime


def make_issuer(
    db: Session, runtime: Runtime, name: str = "College"
) -> tuple[int, Issuer, Achievement]:
    owner = make_user(db)
    issuer = issuers.create_issuer(
        db,
        owner.id,
        name=name,
        url="https://college.example",
        email="badges@college.example",
        description="",
        data_keys=runtime.config.data_keys,
    )
    achievement = issuers.create_achievement(
        db, owner.id, issuer.id, {"name": "Welding", "description": "d", "criteria": "c"}
    )
    return owner.id, issuer, achievement


def give(
    db: Session,
    runtime: Runtime,
    owner_id: int,
    issuer: Issuer,
    achievement: Achievement,
    email: str,
) -> str:
    issued = awarding.award(
        db,
        owner_id,
        issuer.id,
        achievement.id,
        email=email,
        base_url=runtime.config.base_url,
        data_keys=runtime.config.data_keys,
    )
    return issued.public_id


def test_an_event_that_commits_late_is_numbered_after_and_no_cursor_skips_it(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    owner_id, issuer, achievement = make_issuer(db, runtime)
    first = awarding.award(
        db,
        owner_id,
        issuer.id,
        achievement.id,
        email="a@example.org",
        base_url=runtime.config.base_url,
        data_keys=runtime.config.data_keys,
    )
    late = awarding.award(
        db,
        owner_id,
        issuer.id,
        achievement.id,
        email="b@example.org",
        base_url=runtime.config.base_url,
        data_keys=runtime.config.data_keys,
    )
    work(runtime)
    assert [e.data["award"]["id"] for e in feed.page(db, issuer.id, after=0, limit=10)] == [
        first.public_id,
        late.public_id,
    ]
    # Transaction A draws its outbox id first but commits after transaction B (as PostgreSQL's
    # sequences allow); SQLite has one writer, so A's row is written with the id it drew.
    reserved = (db.scalar(select(func.max(OutboxMessage.id))) or 0) + 1
    with runtime.db.session() as session_b:
        outbox.record(session_b, AwardCreated(issued_award_id=first.id, issuer_id=issuer.id))
        session_b.flush()
        b_row = session_b.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert b_row is not None
        b_row.id = reserved + 1
        session_b.commit()
        b_event = b_row.event_id
    work(runtime)
    seen = feed.page(db, issuer.id, after=0, limit=10)
    cursor = seen[-1].sequence
    assert seen[-1].source_event_id == b_event

    with runtime.db.session() as session_a:
        a_message = outbox.record(
            session_a, AwardCreated(issued_award_id=late.id, issuer_id=issuer.id)
        )
        a_message.id = reserved  # lower than B's: an outbox-id cursor would skip it
        session_a.commit()
        a_event = a_message.event_id
    work(runtime)

    after = feed.page(db, issuer.id, after=cursor, limit=10)
    assert [e.source_event_id for e in after] == [a_event]
    numbers = [e.sequence for e in feed.page(db, issuer.id, after=0, limit=100)]
    assert numbers == list(range(1, len(numbers) + 1))


def test_an_issuer_never_gets_another_issuers_events(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    x_owner, x, x_achievement = make_issuer(db, runtime, "X")
    y_owner, y, y_achievement = make_issuer(db, runtime, "Y")
    x_award = give(db, runtime, x_owner, x, x_achievement, "e1@example.org")
    y_award = give(db, runtime, y_owner, y, y_achievement, "e2@example.org")
    work(runtime)
    assert [e.data["award"]["id"] for e in feed.page(db, x.id, after=0, limit=50)] == [x_award]
    assert [e.data["award"]["id"] for e in feed.page(db, y.id, after=0, limit=50)] == [y_award]


def test_the_earner_is_a_per_issuer_pseudonym_named_only_with_consent(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    owner_id, issuer, achievement = make_issuer(db, runtime)
    earner = make_user(db, display_name="Ada Lovelace")
    give(db, runtime, owner_id, issuer, achievement, earner.emails[0].email)
    work(runtime)  # delivered to the wallet as pending
    from wallet.backpack import service as backpack
    from wallet.backpack.models import Award

    award = db.scalars(select(Award).where(Award.user_id == earner.id)).one()
    backpack.accept_award(db, earner.id, award.id)
    work(runtime)
    accepted = db.scalars(select(IssuerEvent).where(IssuerEvent.type == "award.accepted")).one()
    assert accepted.data["earner"] == {
        "id": pseudonyms.earner_id(runtime.config.secret_key, issuer.id, earner.id)
    }
    assert accepted.data["earner"]["id"] != pseudonyms.earner_id(
        runtime.config.secret_key, issuer.id + 1, earner.id
    )
    db.add(EngagementConsent(user_id=earner.id, issuer_id=issuer.id, identified=True))
    backpack.decline_award(db, earner.id, award.id)
    work(runtime)
    declined = db.scalars(select(IssuerEvent).where(IssuerEvent.type == "award.declined")).one()
    assert declined.data["earner"]["name"] == "Ada Lovelace"
    assert declined.data["earner"]["email"] == earner.emails[0].email


def test_a_relay_pass_that_dies_before_commit_numbers_nothing_and_loses_nothing(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    owner_id, issuer, achievement = make_issuer(db, runtime)
    public_id = give(db, runtime, owner_id, issuer, achievement, "crash@example.org")
    with runtime.db.session() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.relayed_at.is_(None))
        ).all()
        feed.append(
            session,
            rows,
            base_url=runtime.config.base_url,
            secret_key=runtime.config.secret_key,
        )
        session.rollback()  # the process died before its commit
    assert feed.page(db, issuer.id, after=0, limit=10) == []
    work(runtime)
    [event] = feed.page(db, issuer.id, after=0, limit=10)
    assert (event.sequence, event.data["award"]["id"]) == (1, public_id)


def test_erasing_an_account_erases_the_issuers_copy_of_its_events(
    db: Session, runtime: Runtime, redis: redis_lib.Redis
) -> None:
    from tests.factories import PASSWORD
    from wallet.accounts import service as accounts
    from wallet.backpack import service as backpack
    from wallet.backpack.models import Award

    owner_id, issuer, achievement = make_issuer(db, runtime)
    earner = make_user(db)
    give(db, runtime, owner_id, issuer, achievement, earner.emails[0].email)
    work(runtime)
    award = db.scalars(select(Award).where(Award.user_id == earner.id)).one()
    backpack.accept_award(db, earner.id, award.id)
    work(runtime)
    assert db.scalars(select(IssuerEvent).where(IssuerEvent.user_id == earner.id)).all()
    accounts.delete_account(db, earner.id, password=PASSWORD)
    db.expire_all()
    assert db.scalars(select(IssuerEvent).where(IssuerEvent.user_id == earner.id)).all() == []
