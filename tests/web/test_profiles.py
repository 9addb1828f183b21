"""Public profile, skills page and its JSON, and the directory: what strangers may see, fresh."""

from __future__ import annotations

import datetime as dt
import json
import typing as t

from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from tests.factories import signed_badge
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from tests.web.test_statement_counts import _counting
from wallet.db import utcnow

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User
    from wallet.backpack.models import Award
    from wallet.runtime import Runtime


def aligned(*names: str, framework: str = "", code: str = "") -> dict[str, t.Any]:
    """Return award details stating ``names`` as skills."""
    return {
        "alignments": [
            {"name": name, "url": "", "framework": framework, "code": code, "description": ""}
            for name in names
        ],
        "evidence": [{"name": "Portfolio", "url": "https://me.example/work", "narrative": ""}],
    }


def public_award(db: Session, user: User, *skills: str, **fields: t.Any) -> Award:
    """Add a public, accepted award stating ``skills``."""
    fields.setdefault("visibility", "public")
    return make_award(db, user, details=aligned(*skills), skills=list(skills), **fields)


def test_the_profile_groups_public_awards_by_issuer_and_type(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db, display_name="Olga Berg")
    user.headline = "Welder, Rotterdam"
    db.commit()
    public_award(db, user, achievement_name="MIG Welding", issuer_name="Port School")
    public_award(
        db,
        user,
        achievement_name="Safety",
        issuer_name="Port School",
        achievement_type="Certification",
    )
    public_award(db, user, achievement_name="Knots", issuer_name="Aardvark Academy")
    make_award(db, user, achievement_name="Secret degree")

    page = client.get(f"/@{user.handle}")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Olga Berg" in text
    assert "Welder, Rotterdam" in text
    assert "Secret degree" not in text
    assert text.index("Aardvark Academy") < text.index("Port School")
    port = text[text.index("Port School") :]
    assert port.index("Certification") < port.index("Course")
    assert client.get("/@nobody-has-this").status_code == 404


def test_the_skills_page_aggregates_public_valid_awards_only(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    public_award(db, user, "Welding", "Rigging", issuer_name="Port School")
    public_award(db, user, "welding", issuer_name="Dock School", achievement_type="Certification")
    public_award(db, user, "Expired skill", expires_at=utcnow() - dt.timedelta(days=1))
    public_award(db, user, "Revoked skill", revoked_at=utcnow())
    make_award(db, user, details=aligned("Private skill"))
    public_award(db, user, "Pending skill", acceptance="pending")

    text = client.get(f"/@{user.handle}/skills").get_data(as_text=True)

    assert "Welding" in text
    assert "Backed by 2 awards" in text
    assert "Port School, Dock School" in text or "Dock School, Port School" in text
    assert "Verified: every check passed" in text
    assert "https://me.example/work" in text
    for hidden in ("Expired skill", "Revoked skill", "Private skill", "Pending skill"):
        assert hidden not in text

    only_dock = client.get(f"/@{user.handle}/skills?issuer=Dock+School").get_data(as_text=True)
    assert "Rigging" not in only_dock
    assert "welding" in only_dock.lower()


def test_a_skill_with_a_failed_check_is_not_called_verified(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    public_award(db, user, "Welding")
    public_award(
        db,
        user,
        "Welding",
        verification_status="unverifiable",
        verification={"status": "unverifiable", "checks": [{"name": "key", "status": "warn"}]},
    )
    text = client.get(f"/@{user.handle}/skills").get_data(as_text=True)
    assert "Backed by 2 awards" in text
    assert "Not every check passed" in text
    assert "Verified: every check passed" not in text


def test_a_revoked_or_hidden_award_drops_out_at_once_despite_the_cache(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    revoked = public_award(db, user, "Welding")
    hidden = public_award(db, user, "Rigging")
    public_award(db, user, "Sailing")
    path = f"/@{user.handle}/skills"
    first = client.get(path).get_data(as_text=True)
    assert "Welding" in first
    assert "Rigging" in first
    assert client.get(path).get_data(as_text=True) == first  # served from Redis

    revoked.revoked_at = utcnow()
    hidden.visibility = "private"
    db.commit()

    text = client.get(path).get_data(as_text=True)
    assert "Welding" not in text
    assert "Rigging" not in text
    assert "Sailing" in text
    document = client.get(f"{path}.json").get_json()
    assert [s["name"] for s in document["skills"]] == ["Sailing"]


def test_a_cached_page_costs_one_statement_and_a_changed_headline_shows_at_once(
    client: FlaskClient, db: Session, runtime: Runtime
) -> None:
    user = make_user(db)
    public_award(db, user, "Welding")
    client.get(f"/@{user.handle}")
    with _counting(runtime) as statements:
        assert client.get(f"/@{user.handle}").status_code == 200
    assert len(statements) == 1

    sign_in(client, user.emails[0].email, PASSWORD)
    submit(
        client,
        "/settings",
        {"display_name": "Olga", "handle": user.handle, "locale": "", "headline": "Rigger"},
        action="/settings/profile",
    )
    client.post("/sign-out", data={})
    assert "Rigger" in client.get(f"/@{user.handle}").get_data(as_text=True)


def test_public_pages_answer_304_to_a_known_etag(client: FlaskClient, db: Session) -> None:
    user = make_user(db)
    public_award(db, user, "Welding")
    for path in (f"/@{user.handle}", f"/@{user.handle}/skills", f"/@{user.handle}/skills.json"):
        first = client.get(path)
        assert first.headers["ETag"]
        assert "no-cache" in first.headers["Cache-Control"]
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, path
        assert again.get_data() == b""


def test_the_skills_json_is_readable_from_any_origin(client: FlaskClient, db: Session) -> None:
    user = make_user(db)
    public_award(db, user, "Welding", issuer_name="Port School")
    make_award(db, user, details=aligned("Private skill"), achievement_name="Secret")

    response = client.get(f"/@{user.handle}/skills.json")

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    document = response.get_json()
    assert document["handle"] == user.handle
    (skill,) = document["skills"]
    assert skill["name"] == "Welding"
    assert skill["issuers"] == ["Port School"]
    assert skill["verified"] is True
    assert skill["count"] == 1
    assert "Secret" not in response.get_data(as_text=True)


def test_the_presentation_holds_the_original_public_credentials(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    shown = signed_badge(user.emails[0].email, name="Welding")
    hidden = signed_badge(user.emails[0].email, name="Secret")
    public_award(db, user, "Welding", original=json.dumps(shown).encode())
    make_award(db, user, details=aligned("X"), original=json.dumps(hidden).encode())

    response = client.get(f"/@{user.handle}/skills/presentation.json")

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    document = response.get_json()
    assert document["type"] == ["VerifiablePresentation"]
    assert document["verifiableCredential"] == [shown]


def test_the_directory_lists_only_earners_who_opted_in(client: FlaskClient, db: Session) -> None:
    listed = make_user(db, display_name="Listed Lena")
    listed.listed = True
    unlisted = make_user(db, display_name="Quiet Quinn")
    db.commit()
    public_award(db, listed, "Underwater welding", issuer_name="Port School")
    make_award(db, listed, details=aligned("Secret art"), skills=["Secret art"])
    public_award(db, unlisted, "Underwater welding", issuer_name="Port School")

    found = client.get("/directory?skill=underwater").get_data(as_text=True)
    assert "Listed Lena" in found
    assert "Quiet Quinn" not in found
    assert "Secret art" not in found
    by_issuer = client.get("/directory?issuer=port").get_data(as_text=True)
    assert "Listed Lena" in by_issuer
    assert "Quiet Quinn" not in by_issuer
    assert "Listed Lena" not in client.get("/directory?skill=secret").get_data(as_text=True)
    assert "Quiet Quinn" not in client.get("/directory").get_data(as_text=True)


def test_the_skills_page_costs_the_same_few_statements_for_10_and_1000_awards(
    app: t.Any, db: Session, runtime: Runtime, redis: t.Any
) -> None:
    viewer = make_user(db)
    costs = []
    for count in (10, 1000):
        user = make_user(db)
        for number in range(count):
            make_award(
                db,
                user,
                commit=False,
                visibility="public",
                details=aligned(f"Skill {number % 7}", framework="ESCO", code=str(number % 7)),
                issuer_name=f"I{number % 5}",
            )
        db.commit()
        anonymous, signed_in = app.test_client(), app.test_client()
        sign_in(signed_in, viewer.emails[0].email, PASSWORD)
        row = []
        for client, path in (
            (anonymous, f"/@{user.handle}/skills"),
            (anonymous, f"/@{user.handle}/skills?framework=ESCO&issuer=I3"),
            (signed_in, f"/@{user.handle}/skills"),
            (anonymous, f"/@{user.handle}"),
            (anonymous, f"/@{user.handle}/skills.json"),
        ):
            redis.flushdb()
            with _counting(runtime) as statements:
                page = client.get(path)
            assert page.status_code == 200
            row.append(len(statements))
        assert "Skill 3" in client.get(f"/@{user.handle}/skills").get_data(as_text=True)
        costs.append(row)
    assert costs[0] == costs[1], costs
    assert max(costs[1]) <= 10, costs
