"""Helpers for driving pages like a browser: read the CSRF token from a form, submit it."""

from __future__ import annotations

import re
import typing as t

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient
    from werkzeug.test import TestResponse

_TOKEN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token(client: FlaskClient, path: str) -> str:
    """Open ``path`` and return the CSRF token of its first form."""
    page = client.get(path)
    match = _TOKEN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1) or match.group(2)


def submit(
    client: FlaskClient, form_path: str, data: dict[str, t.Any], *, action: str | None = None
) -> TestResponse:
    """Open the page at ``form_path``, then post ``data`` with its CSRF token to ``action``."""
    token = csrf_token(client, form_path)
    return client.post(action or form_path, data={**data, "csrf_token": token})


def sign_in(client: FlaskClient, email: str, password: str) -> TestResponse:
    """Sign in through the real form."""
    return submit(client, "/sign-in", {"email": email, "password": password})
