"""View decorators about who is signed in."""

from __future__ import annotations

import typing as t

from flask_login import login_required as _login_required

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


def login_required(view: F) -> F:
    """Send anonymous visitors to the sign-in page, then back here."""
    return t.cast("F", _login_required(view))
