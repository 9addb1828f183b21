"""Pages speak the earner's language: their setting first, else what the browser asks for."""

from __future__ import annotations

import typing as t

from tests.factories import PASSWORD
from tests.factories import make_user
from tests.web.helpers import sign_in
from wallet.accounts.models import User

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session


def test_a_spanish_browser_gets_spanish_pages(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"})
    text = page.get_data(as_text=True)
    assert 'lang="es"' in text
    assert "Crea tu cartera" in text


def test_an_unsupported_language_falls_back_to_english(client: FlaskClient) -> None:
    text = client.get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert 'lang="en"' in text
    assert "Create your wallet" in text


def test_the_earners_setting_wins_over_the_browser(client: FlaskClient, db: Session) -> None:
    user = make_user(db)
    stored = db.get(User, user.id)
    assert stored is not None
    stored.locale = "es"
    db.commit()
    sign_in(client, user.emails[0].email, PASSWORD)

    text = client.get("/settings", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Ajustes" in text
    assert "Direcciones de correo" in text
