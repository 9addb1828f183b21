"""A Spanish-speaking earner reads every verification check in Spanish, now and later."""

from __future__ import annotations

import datetime as dt
import html
import json
import typing as t

from tests.factories import PASSWORD
from tests.factories import make_user
from tests.factories import signed_badge
from tests.web.helpers import csrf_token
from tests.web.helpers import sign_in
from tests.web.helpers import submit
from wallet.accounts.models import User
from wallet.backpack import service
from wallet.backpack.models import Award
from wallet.badges.report import Report
from wallet.db import utcnow

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

SPANISH = {"Accept-Language": "es-ES,es;q=0.9"}


def _earner(client: FlaskClient, db: Session, *, locale: str | None = None) -> User:
    user = make_user(db)
    if locale:
        stored = db.get(User, user.id)
        assert stored is not None
        stored.locale = locale
        db.commit()
    sign_in(client, user.emails[0].email, PASSWORD)
    return user


def _text(response: t.Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_an_expired_badge_is_explained_in_the_earners_saved_language(
    client: FlaskClient, db: Session
) -> None:
    user = _earner(client, db, locale="es")
    badge = signed_badge(user.emails[0].email, expires=dt.datetime(2026, 6, 30, tzinfo=dt.UTC))

    response = submit(client, "/wallet/import", {"text": json.dumps(badge)})

    assert response.status_code == 400
    page = _text(response)
    assert "Vigencia" in page
    assert "La insignia caducó el 2026-06-30." in page
    assert "Firma" in page
    assert "coincide: no se modificó nada." in page
    assert "La insignia se otorgó a una de tus direcciones." in page
    assert "The badge expired" not in page


def test_a_parser_error_is_explained_in_the_browsers_language(
    client: FlaskClient, db: Session
) -> None:
    _earner(client, db)
    duplicated = '{"id": "urn:uuid:1", "id": "urn:uuid:2"}'

    page = _text(submit_as_spanish(client, {"text": duplicated}))

    assert "Formato" in page
    assert 'El JSON nombra "id" dos veces; una credencial lo nombra una sola vez.' in page


def test_every_missing_field_of_a_broken_badge_is_named_in_spanish(
    client: FlaskClient, db: Session
) -> None:
    _earner(client, db)
    broken = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "badge": 1}

    page = _text(submit_as_spanish(client, {"text": json.dumps(broken)}))

    assert "A la insignia le faltan campos obligatorios: recipient" in page
    assert "is missing required fields" not in page


def test_a_badge_kept_in_english_is_shown_later_in_spanish(
    client: FlaskClient, db: Session
) -> None:
    user = _earner(client, db)
    badge = signed_badge(user.emails[0].email)
    response = submit(client, "/wallet/import", {"text": json.dumps(badge)})
    assert response.status_code == 302
    award_page = response.headers["Location"]
    assert "The badge was awarded to one of your addresses." in _text(client.get(award_page))

    page = _text(client.get(award_page, headers=SPANISH))

    assert "Destinatario" in page
    assert "La insignia se otorgó a una de tus direcciones." in page
    assert "La insignia no caduca." in page


def test_a_report_stored_before_translations_still_shows(client: FlaskClient, db: Session) -> None:
    user = _earner(client, db)
    report = Report(format="ob3-credential", checked_at=utcnow())
    report.add("signature", "pass", "The signature matches: nothing was changed.")
    award = service.add_award(
        db, user.id, original=b"{}", original_type="application/json", report=report
    )
    stored = db.get(Award, award.id)
    assert stored is not None
    # The shape every award had before messages kept their template.
    stored.verification = {
        **stored.verification,
        "checks": [{"name": "signature", "status": "pass", "message": "Checked in 2025."}],
    }
    db.commit()

    page = _text(client.get(f"/wallet/awards/{award.id}", headers=SPANISH))

    assert page.count("Checked in 2025.") == 1
    assert "Firma" in page


def submit_as_spanish(client: FlaskClient, data: dict[str, t.Any]) -> t.Any:
    """Post the import form from a browser that asks for Spanish."""
    token = csrf_token(client, "/wallet/import")
    return client.post("/wallet/import", data={**data, "csrf_token": token}, headers=SPANISH)
