"""Collections: grouped and ordered; private, by link or public; links die when made private."""

from __future__ import annotations

import re
import typing as t

from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from tests.web.helpers import csrf_token
from tests.web.helpers import sign_in
from wallet.backpack.models import Collection

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session


def _post(client: FlaskClient, path: str, data: dict[str, t.Any] | None = None) -> t.Any:
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, "/wallet")})


def _collection(client: FlaskClient, db: Session, name: str) -> Collection:
    created = _post(client, "/wallet/collections", {"name": name})
    assert created.status_code == 302
    return db.get_one(Collection, int(created.headers["Location"].rsplit("/", 1)[1]))


def test_a_collection_shared_by_link_shows_its_public_awards_in_order_until_made_private(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    sign_in(client, user.emails[0].email, PASSWORD)
    first = make_award(db, user, achievement_name="First Public", visibility="public")
    second = make_award(db, user, achievement_name="Second Public", visibility="public")
    hidden = make_award(db, user, achievement_name="Still Private")
    collection = _collection(client, db, "  Job   applications ")
    assert collection.name == "Job applications"
    for award in (first, second, hidden):
        _post(
            client, "/wallet/collections/items", {"collection": collection.id, "award_id": award.id}
        )
    _post(
        client, f"/wallet/collections/{collection.id}/items/{second.id}/move", {"direction": "up"}
    )

    page = client.get(f"/wallet/collections/{collection.id}").get_data(as_text=True)
    assert page.index("Second Public") < page.index("First Public") < page.index("Still Private")
    assert "/c/" not in page  # private: no link is shown

    _post(client, f"/wallet/collections/{collection.id}/visibility", {"visibility": "link"})
    page = client.get(f"/wallet/collections/{collection.id}").get_data(as_text=True)
    link = re.search(r'href="http://localhost(/c/[^"]+)"', page)
    assert link, page
    stranger = app.test_client()
    shared = stranger.get(link.group(1)).get_data(as_text=True)
    assert shared.index("Second Public") < shared.index("First Public")
    assert "Still Private" not in shared

    ask = _post(
        client, f"/wallet/collections/{collection.id}/visibility", {"visibility": "private"}
    )
    assert "will stop working at once" in ask.get_data(as_text=True)
    assert stranger.get(link.group(1)).status_code == 200
    _post(
        client,
        f"/wallet/collections/{collection.id}/visibility",
        {"visibility": "private", "confirm": "1"},
    )
    assert stranger.get(link.group(1)).status_code == 404
    _post(client, f"/wallet/collections/{collection.id}/visibility", {"visibility": "link"})
    assert stranger.get(link.group(1)).status_code == 404  # the old link stays dead


def test_collections_are_renamed_reordered_and_deleted_without_touching_awards(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    sign_in(client, user.emails[0].email, PASSWORD)
    award = make_award(db, user)
    one, two = _collection(client, db, "One"), _collection(client, db, "Two")
    _post(client, "/wallet/collections/items", {"collection": one.id, "award_id": award.id})
    _post(client, f"/wallet/collections/{two.id}/move", {"direction": "up"})
    listing = client.get("/wallet/collections").get_data(as_text=True)
    assert listing.index(">Two<") < listing.index(">One<")
    assert "1 badge" in listing

    _post(client, f"/wallet/collections/{one.id}/rename", {"name": "Renamed"})
    assert ">Renamed<" in client.get("/wallet/collections").get_data(as_text=True)
    assert "cannot" not in client.get(f"/wallet/collections/{one.id}/delete").get_data(as_text=True)
    _post(client, f"/wallet/collections/{one.id}/delete")
    assert client.get(f"/wallet/collections/{one.id}").status_code == 404
    assert client.get(f"/wallet/awards/{award.id}").status_code == 200


def test_another_earners_award_cannot_be_put_in_my_collection(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db)
    theirs = make_award(db, make_user(db))
    sign_in(client, user.emails[0].email, PASSWORD)
    mine = _collection(client, db, "Mine")
    response = _post(
        client, "/wallet/collections/items", {"collection": mine.id, "award_id": theirs.id}
    )
    assert response.status_code == 404
    db.refresh(mine)
    assert mine.items == []


def test_an_empty_name_is_refused_with_a_message(client: FlaskClient, db: Session) -> None:
    user = make_user(db)
    sign_in(client, user.emails[0].email, PASSWORD)
    response = _post(client, "/wallet/collections", {"name": "   "})
    assert response.status_code == 400
    assert 'class="field-error"' in response.get_data(as_text=True)
    assert db.query(Collection).filter_by(user_id=user.id).count() == 0
