"""``wallet seed-demo`` gives a fresh install an earner to sign in as, once."""

from __future__ import annotations

import re
import typing as t

from sqlalchemy import func
from sqlalchemy import select

from wallet import demo
from wallet.accounts import service
from wallet.accounts.models import User
from wallet.pathways import queries as pathway_queries
from wallet.surveys import service as surveys
from wallet.surveys.models import Survey

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.runtime import Runtime


def _password(lines: list[str]) -> str:
    match = re.search(r"password[^:]*: (demo-[\w-]+)", " ".join(lines))
    assert match, lines
    return match.group(1)


def test_the_demo_earner_is_created_once_and_can_sign_in(db: Session, runtime: Runtime) -> None:
    first = demo.seed(db)
    second = demo.seed(db)

    assert db.scalar(select(func.count(User.id)).where(User.handle == "demo")) == 1
    assert "exists" in " ".join(second)
    user = service.authenticate(
        db, runtime.config, email=demo.DEMO_EMAIL, password=_password(first)
    )
    assert user.display_name == "Demo Earner"


def test_resetting_the_demo_password_prints_one_that_works(db: Session, runtime: Runtime) -> None:
    demo.seed(db)
    lines = demo.seed(db, reset_password=True)
    user = service.authenticate(
        db, runtime.config, email=demo.DEMO_EMAIL, password=_password(lines)
    )
    assert user.handle == "demo"


def test_the_demo_includes_a_survey_with_enough_answers_to_show(
    db: Session, runtime: Runtime
) -> None:
    lines = demo.seed(db, data_keys=runtime.config.data_keys)
    assert any(demo.SURVEY in line for line in lines)
    demo.seed(db, data_keys=runtime.config.data_keys)
    survey = db.scalars(select(Survey).where(Survey.title == demo.SURVEY)).one()
    owner = db.scalars(select(User).where(User.handle == "demo")).one()
    selection = surveys.results_for_member(db, owner.id, survey.issuer_id, survey.id)
    assert selection.results.shown
    assert selection.results.responses == len(demo.SURVEY_ANSWERS)
    assert selection.results.questions[0].nps == 50  # 4 promoters, 1 passive, 1 detractor of 6
    texts = selection.results.questions[2]
    assert texts.shown
    assert len(texts.texts) == 5
    assert [name for name, _answer in texts.named] == ["Respondent 6"]


def test_the_demo_earner_is_along_the_demo_pathway(db: Session, runtime: Runtime) -> None:
    lines = demo.seed(db, data_keys=runtime.config.data_keys)
    assert any(demo.PATHWAY in line for line in lines)
    demo.seed(db, data_keys=runtime.config.data_keys)
    owner = db.scalars(select(User).where(User.handle == "demo")).one()
    (on,) = pathway_queries.earner_pathways(db, owner.id)
    assert on.name == demo.PATHWAY
    assert (on.progress.done, on.progress.needed) == (2, 3)
    assert [step.title for step in on.progress.current.left] == ["Cloud Fundamentals"]
