"""Rate limits through Redis (Flask-Limiter), one limiter per app.

Views mark themselves with ``@rate_limit(...)``; ``init_app`` builds the app's own ``Limiter`` and
applies the marks. A module-level ``Limiter`` would keep its storage and on/off switch on the shared
instance, so a second app in the same process (as tests build) would silently reconfigure the first.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from flask import Flask
from flask import Response
from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


@dataclass(frozen=True)
class Mark:
    """A limit a view asked for."""

    #: Returns the limit string, e.g. "10 per minute;50 per hour" (read from config per request).
    limit: t.Callable[[], str]
    #: Returns the key the limit counts by; None means the client's address.
    key: t.Callable[[], str] | None
    methods: tuple[str, ...]
    #: Count only requests whose response makes this true (e.g. failed sign-ins).
    deduct_when: t.Callable[[Response], bool] | None


def rate_limit(
    limit: t.Callable[[], str],
    *,
    key: t.Callable[[], str] | None = None,
    methods: tuple[str, ...] = ("POST",),
    deduct_when: t.Callable[[Response], bool] | None = None,
) -> t.Callable[[F], F]:
    """Mark a view to be rate-limited once the app's limiter is built."""

    def mark(view: F) -> F:
        marks: list[Mark] = getattr(view, "wallet_rate_limits", [])
        view.wallet_rate_limits = [*marks, Mark(limit, key, methods, deduct_when)]  # type: ignore[attr-defined]
        return view

    return mark


def submitted_email() -> str:
    """Key a limit by the account being tried, so one address cannot be hammered from many IPs."""
    return "email:" + request.form.get("email", "").strip().lower()


def init_app(app: Flask, storage_uri: str, client_name: str) -> Limiter:
    """Build the app's limiter on ``storage_uri`` and apply every view's marks."""
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri
    app.config["RATELIMIT_STORAGE_OPTIONS"] = {"client_name": client_name}
    limiter = Limiter(key_func=get_remote_address, default_limits=[])
    limiter.init_app(app)
    # Flask-Limiter keeps only a weak reference when RATELIMIT_ENABLED is off: without this one,
    # the limiter is collected and every marked view fails with ReferenceError.
    app.extensions["wallet_limiter"] = limiter
    for endpoint, original in list(app.view_functions.items()):
        view: t.Any = original
        for mark in getattr(original, "wallet_rate_limits", []):
            view = limiter.limit(
                mark.limit,
                key_func=mark.key,
                methods=list(mark.methods),
                deduct_when=mark.deduct_when,
            )(view)
        app.view_functions[endpoint] = view
    return limiter
