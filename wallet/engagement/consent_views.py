"""The earner's page of what issuers learn about them (blueprint ``issuer_sharing``)."""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from wallet.engagement import consent
from wallet.engagement import forms
from wallet.web import context
from wallet.web.auth import login_required

bp = Blueprint("issuer_sharing", __name__)


def _user_id() -> int:
    return t.cast("int", current_user.id)


@bp.get("/settings/issuers")
@login_required
def index() -> str:
    """Per issuer the earner holds awards from: what it receives, and the identity switch."""
    entries = consent.sharing_of(
        context.db_session(), _user_id(), base_url=context.config().base_url
    )
    forms_ = {
        entry.issuer.public_id: forms.ToggleForm(value="0" if entry.identified else "1")
        for entry in entries
    }
    return render_template("engagement/sharing.html", entries=entries, forms=forms_)


@bp.post("/settings/issuers/<issuer_public_id>")
@login_required
def update(issuer_public_id: str) -> Response:
    """Turn identified sharing with one issuer on or off."""
    form = forms.ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    entry = consent.set_identified(
        context.db_session(),
        _user_id(),
        issuer_public_id,
        identified=form.value.data == "1",
        base_url=context.config().base_url,
    )
    flash(
        _("%(issuer)s will see your name and email with your activity.", issuer=entry.issuer.name)
        if entry.identified
        else _("%(issuer)s will no longer see your name or email.", issuer=entry.issuer.name),
        "success",
    )
    return redirect(url_for("issuer_sharing.index"))
