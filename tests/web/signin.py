"""Put a test client in the state a real sign-in leaves it in, without the sign-in pages.

Flask-Login's documented test approach: write the session keys it reads. The accounts pages have
their own tests; everything else needs a signed-in earner and should not depend on them.
"""

from __future__ import annotations

import typing as t

from flask import session
from flask_wtf.csrf import generate_csrf

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient

    from wallet.accounts.models import User


def sign_in_session(client: FlaskClient, user: User) -> None:
    """Make ``client`` signed in as ``user`` (a fresh session, as right after typing a password)."""
    app = client.application
    # Session protection compares this hash of address and user agent with the request's; the
    # test client sends the same ones as a test request context, so it matches. A fresh app
    # context keeps ``g`` left over from the client's previous request out of it.
    with app.app_context(), app.test_request_context():
        identifier = app.login_manager._session_identifier_generator()  # type: ignore[attr-defined]
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
        sess["_id"] = identifier


def csrf_token_for(client: FlaskClient) -> str:
    """Return a CSRF token that ``client``'s session accepts, as a rendered form would hold."""
    app = client.application
    with app.app_context(), app.test_request_context():
        token = generate_csrf()
        field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        raw = session[field]
    with client.session_transaction() as sess:
        sess[field] = raw
    return token
