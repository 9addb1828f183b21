"""Two awards completing a pathway arrive together: two evaluations run at once, in two sessions
on two connections of the real database, and the milestone badge is still awarded exactly once.

The usual ``db`` fixture keeps each test inside one connection's savepoint, which two threads
cannot share, so this module commits for real and deletes what it made afterwards.
"""

from __future__ import annotations

import threading
import typing as t

import pytest
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from tests.pathway_helpers import BASE_URL
from tests.pathway_helpers import academy
from tests.pathway_helpers import give
from tests.pathway_helpers import holding
from tests.pathway_helpers import published_pathway
from wallet.accounts.models import User
from wallet.events.models import OutboxMessage
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer
from wallet.pathways import milestones
from wallet.pathways.models import PathwayCompletion

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


@pytest.fixture
def sessions(runtime: Runtime) -> sessionmaker[Session]:
    """Return a session factory on the engine itself (each session its own connection)."""
    return sessionmaker(bind=runtime.db.engine, expire_on_commit=False)


@pytest.fixture
def db(sessions: sessionmaker[Session]) -> t.Iterator[Session]:
    """Return a session that commits for real; delete the rows the test made afterwards."""
    session = sessions()
    last_message = session.scalar(select(func.max(OutboxMessage.id))) or 0
    last_user = session.scalar(select(func.max(User.id))) or 0
    last_issuer = session.scalar(select(func.max(Issuer.id))) or 0
    session.commit()
    try:
        yield session
    finally:
        session.rollback()
        session.execute(delete(OutboxMessage).where(OutboxMessage.id > last_message))
        session.execute(delete(Issuer).where(Issuer.id > last_issuer))
        session.execute(delete(User).where(User.id > last_user))
        session.commit()
        session.close()


def test_two_awards_arriving_together_award_the_milestone_once(
    db: Session, runtime: Runtime, sessions: sessionmaker[Session]
) -> None:
    keys = runtime.config.data_keys
    school = academy(db, keys)
    pathway = published_pathway(db, school)
    earner = holding(db, school)
    # Both awards that complete the pathway arrive in the same moment.
    arrived = [
        give(db, earner, school.iri(school.achievements[0]), "Networking"),
        give(db, earner, school.iri(school.achievements[2]), "Security"),
    ]
    award_ids = [award.id for award in arrived]
    start = threading.Barrier(2)
    completed: list[list[str]] = []
    failures: list[BaseException] = []

    def evaluate(award_id: int) -> None:
        with sessions() as session:
            try:
                start.wait(timeout=10)
                completed.append(
                    milestones.evaluate(
                        session, earner.id, award_id=award_id, base_url=BASE_URL, data_keys=keys
                    )
                )
            except BaseException as error:  # noqa: BLE001 (reported by the test below)
                failures.append(error)

    threads = [threading.Thread(target=evaluate, args=(award_id,)) for award_id in award_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert sorted(completed) == [[], [pathway.public_id]]
    db.expire_all()
    assert (
        db.scalar(
            select(func.count())
            .select_from(PathwayCompletion)
            .where(PathwayCompletion.pathway_id == pathway.id)
        )
        == 1
    )
    assert (
        db.scalar(
            select(func.count())
            .select_from(IssuedAward)
            .where(IssuedAward.achievement_id == school.milestone.id)
        )
        == 1
    )
    completed_events = db.scalars(
        select(OutboxMessage.id).where(
            OutboxMessage.type == "pathway.completed", OutboxMessage.user_id == earner.id
        )
    ).all()
    assert len(completed_events) == 1
