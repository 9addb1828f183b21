"""Property: through every page, a private award is seen by its owner only, and a revoked award is
never shown as valid, whatever the earners, awards, visibilities, collections and viewers.

The employer pages (profile, skills page, its JSON and the directory, where every earner here is
listed) show neither a private award nor its skills, to anyone."""

from __future__ import annotations

import typing as t
import uuid
from pathlib import Path

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from tests.web.helpers import sign_in
from wallet.backpack import policy
from wallet.backpack.collection_service import link_token
from wallet.backpack.models import Award
from wallet.backpack.models import Collection
from wallet.backpack.models import CollectionItem
from wallet.db import utcnow

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User

PNG = (
    Path(__file__).parent.parent / "data/vectors/ob2/openbadges-bakery/public_domain_heart.png"
).read_bytes()

AWARD = st.fixed_dictionaries(
    {
        "owner": st.integers(0, 2),
        "visibility": st.sampled_from(policy.AWARD_VISIBILITIES),
        "acceptance": st.sampled_from(("accepted", "pending", "declined")),
        "revoked": st.booleans(),
        "picture": st.booleans(),
    }
)
COLLECTION = st.fixed_dictionaries(
    {
        "owner": st.integers(0, 2),
        "visibility": st.sampled_from(policy.COLLECTION_VISIBILITIES),
        "members": st.sets(st.integers(0, 7), max_size=8),
    }
)


def _people(app: Flask, db: Session) -> list[tuple[User | None, FlaskClient]]:
    """Three signed-in earners and one anonymous visitor, made once per test."""
    if "people" not in db.info:
        people: list[tuple[User | None, FlaskClient]] = []
        for _ in range(3):
            user = make_user(db)
            user.listed = True
            db.commit()
            client = app.test_client()
            sign_in(client, user.emails[0].email, PASSWORD)
            people.append((user, client))
        people.append((None, app.test_client()))
        db.info["people"] = people
    return t.cast("list[tuple[User | None, FlaskClient]]", db.info["people"])


def _visible_to_others(award: Award) -> bool:
    return award.acceptance == "accepted" and award.visibility == "public"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(awards=st.lists(AWARD, min_size=1, max_size=8), collections=st.lists(COLLECTION, max_size=3))
def test_no_page_shows_a_private_award_to_anyone_but_its_owner(
    app: Flask, db: Session, awards: list[dict[str, t.Any]], collections: list[dict[str, t.Any]]
) -> None:
    people = _people(app, db)
    made: list[Award] = []
    for spec in awards:
        owner = people[spec["owner"]][0]
        assert owner is not None
        extra = {"original": PNG + uuid.uuid4().bytes, "original_type": "image/png"}
        skill = f"Skill {uuid.uuid4().hex}"
        made.append(
            make_award(
                db,
                owner,
                achievement_name=f"Award {uuid.uuid4().hex}",
                skills=[skill],
                details={"alignments": [{"name": skill, "url": "", "framework": "", "code": ""}]},
                visibility=spec["visibility"],
                acceptance=spec["acceptance"],
                revoked_at=utcnow() if spec["revoked"] else None,
                **(extra if spec["picture"] else {}),
            )
        )
    links = []
    for spec in collections:
        owner = people[spec["owner"]][0]
        assert owner is not None
        collection = Collection(user_id=owner.id, name="C", visibility=spec["visibility"])
        mine = [a for i, a in enumerate(made) if i in spec["members"] and a.user_id == owner.id]
        collection.items = [CollectionItem(award_id=a.id) for a in mine]
        db.add(collection)
        db.commit()
        links.append(f"/c/{link_token(app.config['SECRET_KEY'], collection)}")

    ids = [award.id for award in made]
    listed = set(db.scalars(select(Award.id).where(Award.id.in_(ids), policy.public_awards())))
    assert listed == {award.id for award in made if policy.may_view_award(award, None)}

    for viewer, client in people:
        viewer_id = viewer.id if viewer else None
        employer_pages = "".join(
            client.get(path).get_data(as_text=True)
            for owner, _ in people
            if owner is not None
            for path in (
                f"/@{owner.handle}",
                f"/@{owner.handle}/skills",
                f"/@{owner.handle}/skills.json",
            )
        ) + "".join(
            # Searched by the hex part only: the page repeats the search, never the full name.
            client.get(f"/directory?skill={award.skills[0].name.split()[1]}").get_data(as_text=True)
            for award in made
        )
        wallet = client.get("/wallet").get_data(as_text=True) if viewer else ""
        shared_pages = "".join(client.get(link).get_data(as_text=True) for link in links)
        for award in made:
            owns = viewer_id == award.user_id
            page = client.get(f"/a/{award.public_id}")
            image = client.get(f"/a/{award.public_id}/image")
            own_page = client.get(f"/wallet/awards/{award.id}")
            if owns or _visible_to_others(award):
                assert page.status_code == 200
                text = page.get_data(as_text=True)
                if award.revoked_at is not None:
                    assert "Revoked by its issuer" in text
                    assert "✓</span> Verified" not in text
            else:
                assert page.status_code == 404
                assert image.status_code == 404
                assert award.achievement_name not in shared_pages
            assert own_page.status_code == (200 if owns else 404 if viewer else 302)
            if not _visible_to_others(award):
                assert award.achievement_name not in employer_pages
                assert award.skills[0].name not in employer_pages
            elif award.revoked_at is None:
                assert award.achievement_name in employer_pages
                assert award.skills[0].name in employer_pages
            if not owns:
                assert award.achievement_name not in wallet
