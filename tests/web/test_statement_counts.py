"""The wallet and award pages cost the same few SQL statements for 10 awards as for 1,000, and for
one pathway the earner is on as for five."""

from __future__ import annotations

import contextlib
import typing as t

from sqlalchemy import event

from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from tests.pathway_helpers import academy
from tests.pathway_helpers import give
from tests.pathway_helpers import holding
from tests.pathway_helpers import published_pathway
from tests.web.helpers import sign_in

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User
    from wallet.runtime import Runtime


@contextlib.contextmanager
def _counting(runtime: Runtime) -> t.Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: t.Any, _cursor: t.Any, statement: str, *_args: t.Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(runtime.db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(runtime.db.engine, "before_cursor_execute", count)


def _holding(db: Session, count: int) -> tuple[User, int]:
    user = make_user(db)
    for number in range(count):
        award = make_award(
            db, user, commit=False, skills=[f"Skill {number % 7}"], issuer_name=f"I{number % 5}"
        )
    db.commit()
    return user, award.id


def _cost(client: FlaskClient, runtime: Runtime, path: str) -> int:
    with _counting(runtime) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_pages_cost_the_same_statements_for_10_and_1000_awards(
    app: t.Any, db: Session, runtime: Runtime
) -> None:
    costs = []
    for count in (10, 1000):
        user, award_id = _holding(db, count)
        client = app.test_client()
        sign_in(client, user.emails[0].email, PASSWORD)
        costs.append(
            (
                _cost(client, runtime, "/wallet"),
                _cost(client, runtime, "/wallet?skill=skill+3&sort=name"),
                _cost(client, runtime, f"/wallet/awards/{award_id}"),
            )
        )
    assert costs[0] == costs[1], costs
    assert max(costs[1]) <= 10, costs


def test_pathway_progress_costs_the_same_statements_for_1_and_5_pathways(
    app: t.Any, db: Session, runtime: Runtime
) -> None:
    keys = runtime.config.data_keys
    costs = []
    for count in (1, 5):
        schools = [academy(db, keys, name=f"School {n}") for n in range(count)]
        for school in schools:
            published_pathway(db, school)
        user, _award_id = _holding(db, 50 * count)
        for school in schools:
            holding(db, school, "Networking", "Storage", user=user)
        award_id = give(db, user, schools[0].iri(schools[0].achievements[2]), "Security").id
        client = app.test_client()
        sign_in(client, user.emails[0].email, PASSWORD)
        wallet = client.get("/wallet").get_data(as_text=True)
        assert wallet.count('class="pathway-item"') == count
        costs.append(
            (
                _cost(client, runtime, "/wallet"),
                _cost(client, runtime, f"/wallet/awards/{award_id}"),
            )
        )
    assert costs[0] == costs[1], costs
    # The wallet page also lists recommended next steps (six statements of their own).
    assert max(costs[1]) <= 20, costs
