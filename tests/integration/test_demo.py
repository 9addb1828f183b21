"""``wallet seed-demo`` gives a fresh install an earner to sign in as, once."""

from __future__ import annotations

import re
import typing as t

from sqlalchemy import func
from sqlalchemy import select

from wallet import demo
from wallet.accounts import service
from wallet.accounts.models import User

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
