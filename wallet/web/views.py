"""Pages and probes that belong to no domain: the home page, health and readiness."""

from __future__ import annotations

import logging

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from wallet.web import context

log = logging.getLogger(__name__)

bp = Blueprint("core", __name__)


@bp.get("/")
def home() -> str | BaseResponse:
    """Show the landing page, or send a signed-in earner to their awards."""
    if current_user.is_authenticated:
        return redirect(url_for("backpack.awards"))
    return render_template("home.html")


@bp.get("/healthz")
def healthz() -> Response:
    """Say that the process is up (no dependency is checked)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Say whether the database and Redis answer; 503 when one does not."""
    runtime = context.runtime()
    checks: dict[str, str] = {}
    for name, probe in (("database", runtime.db.ping), ("redis", runtime.redis.ping)):
        try:
            probe()
            checks[name] = "ok"
        except Exception:  # any failure means "not ready"; the log keeps the reason
            log.warning("readiness check %s failed", name, exc_info=True)
            checks[name] = "unavailable"
    status = 200 if all(value == "ok" for value in checks.values()) else 503
    response = jsonify(checks)
    response.headers["Cache-Control"] = "no-store"
    return response, status
