"""Pages of the backpack (blueprint ``backpack``)."""

from __future__ import annotations

import math
import typing as t
from dataclasses import dataclass

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from wallet import errors
from wallet.backpack import forms
from wallet.backpack import queries
from wallet.backpack import service
from wallet.backpack.models import Award
from wallet.badges.report import Report
from wallet.web import context
from wallet.web.auth import login_required
from wallet.web.ratelimit import rate_limit

bp = Blueprint("backpack", __name__)

Page = str | Response | tuple[str, int]
#: Largest file accepted for import.
MAX_UPLOAD = 5 * 1024 * 1024


@bp.get("/wallet")
@login_required
def awards() -> str:
    """Show the earner's awards, newest first, a page at a time."""
    page = request.args.get("page", 1, type=int) or 1
    user_id = t.cast("int", current_user.id)
    items, total = queries.awards_page(context.db_session(), user_id, page)
    pages = max(1, math.ceil(total / queries.PAGE_SIZE))
    return render_template(
        "backpack/awards.html", awards=items, total=total, page=min(page, pages), pages=pages
    )


@dataclass
class Outcome:
    """What happened to one file (or the pasted text) of an import."""

    label: str
    award: Award | None = None
    report: Report | None = None
    problem: str = ""


@bp.route("/wallet/import", methods=["GET", "POST"])
@login_required
def import_award() -> Page:
    """Import badges from files, pasted text or a link, verifying each first."""
    form = forms.ImportForm()
    if not form.validate_on_submit():
        return render_template("backpack/import.html", form=form), 400 if form.errors else 200
    uploads = [upload for upload in form.files.data or [] if upload and upload.filename]
    text = (form.text.data or "").strip()
    if not uploads and not text:
        form.text.errors = [*form.text.errors, _("Choose a file, or paste a badge or its link.")]
        return render_template("backpack/import.html", form=form), 400
    if len(uploads) > forms.MAX_FILES:
        message = _("Choose at most %(count)d files at once.", count=forms.MAX_FILES)
        form.files.errors = [*form.files.errors, message]
        return render_template("backpack/import.html", form=form), 400
    items: list[tuple[str, bytes | str]] = [
        (upload.filename, upload.read(MAX_UPLOAD + 1)) for upload in uploads
    ]
    if text:
        items.append((_("The pasted text"), text))
    outcomes = [_import_one(label, data) for label, data in items]
    if len(outcomes) > 1:
        added = sum(outcome.award is not None for outcome in outcomes)
        flash(
            _("%(added)d of %(count)d badges added.", added=added, count=len(outcomes)),
            "success" if added == len(outcomes) else "info",
        )
        return render_template("backpack/import.html", form=form, outcomes=outcomes)
    outcome = outcomes[0]
    if outcome.award is not None:
        flash(_("The badge is in your wallet."), "success")
        return redirect(url_for("backpack.award", award_id=outcome.award.id))
    if outcome.report is not None:
        return render_template("backpack/import.html", form=form, report=outcome.report), 400
    if outcome.problem == TOO_LARGE:
        form.files.errors = [*form.files.errors, _("The file is larger than 5 MB.")]
        return render_template("backpack/import.html", form=form), 413
    flash(outcome.problem, "info")
    return render_template("backpack/import.html", form=form), 409


#: ``Outcome.problem`` of a file over ``MAX_UPLOAD``.
TOO_LARGE = "too-large"


def _import_one(label: str, data: bytes | str) -> Outcome:
    if len(data) > MAX_UPLOAD:
        return Outcome(label, problem=TOO_LARGE)
    user_id = t.cast("int", current_user.id)
    try:
        award, report = service.import_award(
            context.db_session(), user_id, data, fetch=context.runtime().fetcher().get
        )
    except errors.Conflict as error:
        return Outcome(label, problem=error.message)
    return Outcome(label, award=award, report=None if award else report)


@bp.get("/wallet/awards/<int:award_id>")
@login_required
def award(award_id: int) -> str:
    """Show one award with every verification check and when it ran."""
    user_id = t.cast("int", current_user.id)
    item = service.get_award(context.db_session(), user_id, award_id)
    return render_template("backpack/award.html", award=item)


@bp.post("/wallet/awards/<int:award_id>/recheck")
@login_required
@rate_limit(lambda: "10 per minute;60 per hour")
def recheck(award_id: int) -> Response:
    """Verify an award again now, fetching everything fresh from its issuer."""
    user_id = t.cast("int", current_user.id)
    service.recheck_award(
        context.db_session(),
        user_id,
        award_id,
        fetch=context.runtime().http.get,
        base_url=context.config().base_url,
    )
    flash(_("Checked again just now."), "success")
    return redirect(url_for("backpack.award", award_id=award_id))
