"""Co-earned statistics follow the backpack: accepted, declined, taken back, deleted."""

from __future__ import annotations

import itertools
import typing as t

from sqlalchemy import select

from tests.factories import PASSWORD
from tests.factories import make_user
from wallet.accounts import service as accounts
from wallet.backpack import service as backpack
from wallet.badges.report import Report
from wallet.db import utcnow
from wallet.pathways import coearned
from wallet.pathways import recommendation_service
from wallet.pathways.recommendation_models import AchievementStat
from wallet.pathways.recommendation_models import AchievementStatSkill
from wallet.pathways.recommendation_models import CoEarnedPair

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User
    from wallet.backpack.models import Award

_numbers = itertools.count()


def iri(name: str) -> str:
    return f"https://x.example/{name}"


def _award(db: Session, user: User, name: str, *, acceptance: str = "accepted") -> Award:
    report = Report(
        format="ob3-credential",
        checked_at=utcnow(),
        credential={"achievement": {"id": iri(name), "name": name.title()}},
        documents={
            "credential": {
                "credentialSubject": {
                    "achievement": {"id": iri(name), "alignment": [{"targetName": "Welding"}]}
                }
            }
        },
    )
    return backpack.add_award(
        db,
        user.id,
        original=b"{}",
        original_type="application/json",
        report=report,
        credential_id=f"urn:uuid:{next(_numbers)}-{name}",
        acceptance=acceptance,
    )


def _snapshot(db: Session) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    holders = {row.achievement_iri: row.holders for row in db.scalars(select(AchievementStat))}
    pairs = {(row.iri, row.other_iri): row.earners for row in db.scalars(select(CoEarnedPair))}
    return (
        {key: value for key, value in holders.items() if value},
        {key: value for key, value in pairs.items() if value},
    )


def test_statistics_count_earners_once_and_follow_accept_decline_and_delete(db: Session) -> None:
    ada, bob = make_user(db), make_user(db)
    first = _award(db, ada, "a")
    _award(db, ada, "b")
    _award(db, ada, "b")  # a second copy counts once
    _award(db, bob, "a")
    pending = _award(db, bob, "b", acceptance="pending")

    assert _snapshot(db) == (
        {iri("a"): 2, iri("b"): 1},
        {(iri("a"), iri("b")): 1, (iri("b"), iri("a")): 1},
    )

    backpack.accept_award(db, bob.id, pending.id)
    assert _snapshot(db)[1] == {(iri("a"), iri("b")): 2, (iri("b"), iri("a")): 2}

    backpack.decline_award(db, bob.id, pending.id)
    backpack.delete_award(db, ada.id, first.id)
    assert _snapshot(db) == (
        {iri("a"): 1, iri("b"): 1},
        {},
    )

    backpack.accept_award(db, bob.id, pending.id)  # taken back within the grace period
    incremental = _snapshot(db)
    coearned.rebuild(db)
    db.commit()
    assert _snapshot(db) == incremental


def test_skills_are_kept_by_achievement(db: Session) -> None:
    _award(db, make_user(db), "a")
    skills = db.execute(select(AchievementStatSkill.achievement_iri, AchievementStatSkill.name))
    assert skills.all() == [(iri("a"), "Welding")]


def test_a_deleted_account_is_uncounted(db: Session) -> None:
    ada, bob = make_user(db), make_user(db)
    for user in (ada, bob):
        _award(db, user, "a")
        _award(db, user, "b")
    _award(db, ada, "c")

    accounts.delete_account(db, ada.id, password=PASSWORD)

    assert _snapshot(db) == (
        {iri("a"): 1, iri("b"): 1},
        {(iri("a"), iri("b")): 1, (iri("b"), iri("a")): 1},
    )


def test_people_who_earned_one_often_earn_the_other_from_five_earners_on(db: Session) -> None:
    me = make_user(db)
    _award(db, me, "a")
    for _ in range(4):
        other = make_user(db)
        _award(db, other, "a")
        _award(db, other, "b")

    def recommended() -> list[tuple[str, str, dict[str, str]]]:
        found = recommendation_service.recommendations_for(db, me.id, base_url="http://localhost")
        return [(f.item.target, f.item.reason, f.item.reason_params) for f in found]

    assert recommended() == []  # four earners could be told apart: not enough
    fifth = make_user(db)
    _award(db, fifth, "a")
    _award(db, fifth, "b")
    assert recommended() == [(iri("b"), "co_earned", {"held": "A"})]
