"""Security headers on every response, and the few routes allowed to be framed."""

from __future__ import annotations

import typing as t

from flask import Flask
from flask import Response
from flask import request

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: No inline script or style anywhere; pages load only our own assets.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors {ancestors}"
)


def embeddable(view: F) -> F:
    """Mark a view as meant for embedding in other sites' pages (an iframe)."""
    view.wallet_embeddable = True  # type: ignore[attr-defined]
    return view


def _is_embeddable(app: Flask) -> bool:
    view = app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "wallet_embeddable", False))


def headers(*, framed: bool, secure: bool) -> list[tuple[str, str]]:
    """Return the security headers of a response (``framed``: an embeddable page)."""
    ancestors = "*" if framed else "'none'"
    found = [("Content-Security-Policy", CONTENT_SECURITY_POLICY.format(ancestors=ancestors))]
    if not framed:
        found.append(("X-Frame-Options", "DENY"))
    found += [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if secure:
        found.append(("Strict-Transport-Security", "max-age=63072000; includeSubDomains"))
    return found


def register_security_headers(app: Flask) -> None:
    """Add the headers every response carries."""

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in headers(framed=_is_embeddable(app), secure=request.is_secure):
            response.headers.setdefault(name, value)
        if "Cache-Control" not in response.headers and response.mimetype == "text/html":
            # Pages can hold personal data: keep them out of shared caches.
            response.headers["Cache-Control"] = "no-store"
        return response
