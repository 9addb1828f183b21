"""The door to cached earner pages: an anonymous visitor gets the very page the app would build,
answered without the app, and never a stale, foreign-language or someone else's page."""

from __future__ import annotations

import gzip
import typing as t

import brotli
import pytest
from sqlalchemy import delete

from tests.factories import PASSWORD
from tests.factories import make_user
from tests.web.helpers import sign_in
from tests.web.test_profiles import public_award
from wallet.backpack import service as backpack
from wallet.backpack.models import Award
from wallet.web.fastpages import DOOR

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.web.fastpages import CachedPages


class _Borrowed:
    """The test's own DBAPI connection, lent to the door (its transaction is the test's)."""

    def __init__(self, connection: t.Any) -> None:
        self._connection = connection

    def cursor(self) -> t.Any:
        return self._connection.cursor()

    def close(self) -> None:
        """Keep the connection open: the test rolls its transaction back."""


class _AppGone:
    """Stands in for the Flask app behind the door: any request reaching it is recorded."""

    def __init__(self) -> None:
        self.reached: list[str] = []

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        self.reached.append(environ["PATH_INFO"])
        start_response("503 SERVICE UNAVAILABLE", [("Content-Type", "text/plain")])
        return [b"the app was asked"]


@pytest.fixture
def door(app: Flask, db: Session, monkeypatch: pytest.MonkeyPatch) -> CachedPages:
    """Return the app's door, reading fingerprints through the test's database connection."""
    found = t.cast("CachedPages", app.extensions[DOOR])
    monkeypatch.setattr(found, "connect", _lend(db))
    return found


def _lend(db: Session) -> t.Callable[[], _Borrowed]:
    dbapi = db.connection().connection.dbapi_connection
    return lambda: _Borrowed(dbapi)


def _without_app(door: CachedPages, monkeypatch: pytest.MonkeyPatch) -> _AppGone:
    gone = _AppGone()
    monkeypatch.setattr(door, "app", gone)
    return gone


def _headers(response: t.Any) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name != "Date"}


def test_a_cached_page_is_answered_without_the_app_and_is_the_same_page(
    client: FlaskClient, db: Session, door: CachedPages, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(db)
    public_award(db, user, "Welding", achievement_name="MIG Welding")
    app = door.app
    for path in (f"/@{user.handle}/skills", f"/@{user.handle}/skills.json", f"/@{user.handle}"):
        built = client.get(path)
        assert built.status_code == 200
        gone = _without_app(door, monkeypatch)

        served = client.get(path)

        assert gone.reached == []
        assert served.status_code == 200
        assert served.get_data() == built.get_data()
        assert _headers(served) == _headers(built)
        door.app = app


@pytest.mark.parametrize("accepts", ["br, gzip", "gzip, deflate", "identity"])
def test_a_browser_gets_the_page_compressed_as_the_app_would_send_it(
    client: FlaskClient,
    db: Session,
    door: CachedPages,
    monkeypatch: pytest.MonkeyPatch,
    accepts: str,
) -> None:
    user = make_user(db)
    public_award(db, user, "Welding", achievement_name="MIG Welding")
    path = f"/@{user.handle}/skills"
    built = client.get(path, headers={"Accept-Encoding": accepts})
    gone = _without_app(door, monkeypatch)

    served = client.get(path, headers={"Accept-Encoding": accepts})
    again = client.get(
        path, headers={"Accept-Encoding": accepts, "If-None-Match": served.headers["ETag"]}
    )

    assert gone.reached == []
    assert _headers(served) == _headers(built)
    assert _decoded(served) == _decoded(built)
    assert "MIG Welding" in _decoded(served).decode()
    assert again.status_code == 304


def _decoded(response: t.Any) -> bytes:
    data = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return t.cast("bytes", brotli.decompress(data))
    if encoding == "gzip":
        return gzip.decompress(data)
    return t.cast("bytes", data)


def test_the_door_answers_not_modified_to_a_client_holding_the_page(
    client: FlaskClient, db: Session, door: CachedPages, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(db)
    public_award(db, user, "Welding")
    etag = client.get(f"/@{user.handle}/skills").headers["ETag"]
    gone = _without_app(door, monkeypatch)

    again = client.get(f"/@{user.handle}/skills", headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert gone.reached == []


def test_a_change_reaches_the_next_visitor_at_once(
    client: FlaskClient, db: Session, door: CachedPages
) -> None:
    user = make_user(db)
    public_award(db, user, "Welding", achievement_name="MIG Welding")
    hidden = public_award(db, user, "Rigging", achievement_name="Crane Rigging")
    assert "Rigging" in client.get(f"/@{user.handle}/skills").get_data(as_text=True)
    assert "Rigging" in client.get(f"/@{user.handle}/skills").get_data(as_text=True)

    backpack.set_visibility(db, user.id, hidden.id, "private")

    page = client.get(f"/@{user.handle}/skills").get_data(as_text=True)
    assert "Rigging" not in page
    assert "Welding" in page


def test_each_language_gets_its_own_page(
    client: FlaskClient, db: Session, door: CachedPages
) -> None:
    user = make_user(db)
    public_award(db, user, "Welding")
    path = f"/@{user.handle}/skills"
    english = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    spanish = client.get(path, headers={"Accept-Language": "es-MX,es;q=0.9"})

    assert spanish.get_data(as_text=True) != english
    assert 'lang="es"' in spanish.get_data(as_text=True)
    again = client.get(path, headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert again == english


def test_a_signed_in_visitor_never_gets_the_anonymous_copy(
    client: FlaskClient, db: Session, door: CachedPages, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = make_user(db)
    public_award(db, owner, "Welding")
    client.get(f"/@{owner.handle}/skills")
    visitor = make_user(db, display_name="Vera Visitor")
    sign_in(client, visitor.emails[0].email, PASSWORD)
    gone = _without_app(door, monkeypatch)

    client.get(f"/@{owner.handle}/skills")

    assert gone.reached == [f"/@{owner.handle}/skills"]
    monkeypatch.undo()
    monkeypatch.setattr(door, "connect", _lend(db))
    assert "Sign out" in client.get(f"/@{owner.handle}/skills").get_data(as_text=True)


def test_unknown_handles_and_other_paths_go_to_the_app(
    client: FlaskClient, door: CachedPages, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = _without_app(door, monkeypatch)

    client.get("/@nobody-has-this/skills")
    client.get("/healthz")

    assert gone.reached == ["/@nobody-has-this/skills", "/healthz"]


def test_a_change_written_without_the_orm_reaches_the_next_visitor_too(
    client: FlaskClient, db: Session, door: CachedPages
) -> None:
    user = make_user(db)
    public_award(db, user, "Welding")
    gone = public_award(db, user, "Rigging", achievement_name="Crane Rigging")
    assert "Rigging" in client.get(f"/@{user.handle}/skills").get_data(as_text=True)

    db.execute(delete(Award).where(Award.id == gone.id))
    db.commit()

    assert "Rigging" not in client.get(f"/@{user.handle}/skills").get_data(as_text=True)
