"""Turn errors into responses: an HTML page, or problem+json (RFC 9457) under ``/api/``.

Domain errors (``wallet.errors``) carry no HTTP status; this module is the one place that maps them.
"""

from __future__ import annotations

import logging

from flask import Flask
from flask import Response
from flask import jsonify
from flask import render_template
from flask import request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from wallet import errors

log = logging.getLogger(__name__)

#: HTTP status of each domain error.
STATUS_OF: dict[type[errors.WalletError], int] = {
    errors.Invalid: 400,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.Gone: 410,
    errors.RateLimited: 429,
}


def _titles() -> dict[int, str]:
    return {
        400: _("This request could not be understood"),
        401: _("Please sign in"),
        403: _("You may not do this"),
        404: _("Page not found"),
        405: _("This action is not allowed here"),
        409: _("This clashes with something that already exists"),
        410: _("This is no longer available"),
        413: _("That is too large"),
        415: _("This kind of content is not accepted"),
        422: _("Some of what you sent is not valid"),
        429: _("Too many attempts"),
        500: _("Something went wrong on our side"),
    }


def _details() -> dict[int, str]:
    return {
        400: _("Check what you entered and try again."),
        401: _("Sign in to see this page."),
        403: _("Your account does not have access to this page."),
        404: _("The page you asked for does not exist or is not shared with you."),
        405: _("Go back and use the buttons on the page."),
        413: _("The upload or form is larger than we accept. Try a smaller file."),
        429: _("You have tried this too often. Wait a few minutes and try again."),
        500: _("We have been told about it. Please try again in a moment."),
    }


def wants_problem_json() -> bool:
    """Answer API paths (and clients that ask for JSON only) with problem+json."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes.accept_html


def error_response(
    status: int, detail: str | None = None, *, headers: dict[str, str] | None = None
) -> Response:
    """Build the error response for ``status`` in the form the client expects."""
    title = _titles().get(status, _("Something went wrong"))
    detail = detail or _details().get(status, "")
    if wants_problem_json():
        body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        response = jsonify(body)
        response.mimetype = "application/problem+json"
    else:
        html = render_template("errors/error.html", status=status, title=title, detail=detail)
        response = Response(html, mimetype="text/html")
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on ``app``."""

    @app.errorhandler(errors.WalletError)
    def _domain_error(error: errors.WalletError) -> Response:
        return error_response(status_for(error), error.message)

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> Response:
        return error_response(
            400,
            _(
                "This form has expired or lost its security token. "
                "Reload the page and submit it again."
            ),
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        headers: dict[str, str] = {}
        if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
            headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        if status == 429:
            headers["Retry-After"] = "60"
        # Werkzeug's own descriptions are English and technical; ours are written for people.
        return error_response(status, None, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        if isinstance(error, HTTPException):
            return _http_error(error)
        log.error("unhandled error on %s %s", request.method, request.path, exc_info=error)
        return error_response(InternalServerError.code)


def status_for(error: errors.WalletError) -> int:
    """Return the HTTP status a domain error maps to."""
    return next((code for kind, code in STATUS_OF.items() if isinstance(error, kind)), 400)
