"""Pages of the backpack (blueprint ``backpack``)."""

from __future__ import annotations

import math
import typing as t

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
from wallet.web import context
from wallet.web.auth import login_required

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


@bp.route("/wallet/import", methods=["GET", "POST"])
@login_required
def import_award() -> Page:
    """Import a badge from a file, pasted text or a link, verifying it first."""
    form = forms.ImportForm()
    if not form.validate_on_submit():
        return render_template("backpack/import.html", form=form), 400 if form.errors else 200
    upload = form.file.data
    data: bytes | str = upload.read(MAX_UPLOAD + 1) if upload else (form.text.data or "").strip()
    if not data:
        form.text.errors = [*form.text.errors, _("Choose a file, or paste a badge or its link.")]
        return render_template("backpack/import.html", form=form), 400
    if len(data) > MAX_UPLOAD:
        form.file.errors = [*form.file.errors, _("The file is larger than 5 MB.")]
        return render_template("backpack/import.html", form=form), 413
    user_id = t.cast("int", current_user.id)
    try:
        award, report = service.import_award(
            context.db_session(), user_id, data, fetch=context.runtime().http.get
        )
    except errors.Conflict as error:
        flash(error.message, "info")
        return render_template("backpack/import.html", form=form), 409
    if award is None:
        return render_template("backpack/import.html", form=form, report=report), 400
    flash(_("The badge is in your wallet."), "success")
    return redirect(url_for("backpack.award", award_id=award.id))


@bp.get("/wallet/awards/<int:award_id>")
@login_required
def award(award_id: int) -> str:
    """Show one award with every verification check and when it ran."""
    user_id = t.cast("int", current_user.id)
    item = service.get_award(context.db_session(), user_id, award_id)
    return render_template("backpack/award.html", award=item)
