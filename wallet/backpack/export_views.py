"""Pages of "Export all my data" (blueprint ``exports``): start, follow, and download an export.

The export's section of the settings page is ``templates/backpack/_export.html``; the settings
view hands it the latest export (``backpack.queries.latest_export``).
"""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import Response
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from wallet import errors
from wallet.backpack import export_service
from wallet.backpack import messages
from wallet.db import utcnow
from wallet.web import context
from wallet.web.auth import login_required
from wallet.web.ratelimit import rate_limit

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Response as BaseResponse

    from wallet.backpack.models import DataExport

bp = Blueprint("exports", __name__)


def _user_id() -> int:
    return t.cast("int", current_user.id)


def describe(export: DataExport) -> str:
    """Return the sentence that tells the earner where their export stands."""
    state = export_state(export)
    if state == "queued":
        text = _("Your export is waiting to start.")
    elif state == "running":
        text = _(
            "Preparing your export: %(done)d of %(total)d badges.",
            done=export.done,
            total=export.total,
        )
    elif state == "ready":
        text = _("Your export is ready.")
    elif state == "expired":
        text = _("Your last export has expired. Make a new one.")
    else:
        text = _("Your last export could not be made. Please try again.")
    return str(text)


def export_state(export: DataExport) -> str:
    """Return the export's state as the earner sees it (a dead job shows as failed)."""
    return export.state(utcnow(), export_service.EXPORT_STALE_AFTER)


@bp.app_template_filter("filesize")
def size_text(size: int) -> str:
    """Return a file size for people to read, in the page's language."""
    return messages.format_size(size, str(get_locale() or "en"))


@bp.app_template_global("export_state")
def _export_state_global(export: DataExport) -> str:
    return export_state(export)


@bp.app_template_global("describe_export")
def _describe_global(export: DataExport) -> str:
    return describe(export)


@bp.post("/settings/export")
@login_required
@rate_limit(lambda: "10 per hour")
def start() -> BaseResponse:
    """Start building a zip of everything in the wallet (or join the one being built)."""
    export = export_service.request_export(context.db_session(), _user_id())
    if export_state(export) in ("queued", "running"):
        flash(_("We are preparing your export. We will also email you a link."), "success")
    return redirect(url_for("accounts.settings", _anchor="export"))


@bp.get("/settings/export/<int:export_id>")
@login_required
def status(export_id: int) -> Response:
    """Say how far an export has got, as JSON for the settings page's progress bar."""
    export = export_service.get_export(context.db_session(), _user_id(), export_id)
    state = export_state(export)
    response = jsonify(
        id=export.id,
        status=state,
        done=export.done,
        total=export.total,
        message=describe(export),
        size=export.size if state == "ready" else None,
        download=url_for("exports.download", export_id=export.id) if state == "ready" else None,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/settings/export/<int:export_id>/download")
@login_required
def download(export_id: int) -> Response | tuple[str, int]:
    """Send the zip of a finished export to its owner."""
    try:
        export = export_service.export_for_download(context.db_session(), _user_id(), export_id)
    except errors.Gone as error:
        return _gone(error)
    return _zip(export)


@bp.get(export_service.EXPORT_LINK_PATH + "<token>")
@login_required
def by_token(token: str) -> Response | tuple[str, int]:
    """Send the zip an emailed link names, to its owner signed in; say so once it expired."""
    try:
        export = export_service.export_by_token(context.db_session(), _user_id(), token)
    except errors.Gone as error:
        return _gone(error)
    return _zip(export)


def _gone(error: errors.Gone) -> tuple[str, int]:
    return render_template("backpack/export_gone.html", message=error.message), 410


def _zip(export: DataExport) -> Response:
    handle = current_user.handle
    day = (export.ready_at or export.created_at).strftime("%Y-%m-%d")
    response = Response(export.content, mimetype="application/zip")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="wallet-export-{handle}-{day}.zip"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
