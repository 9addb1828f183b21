"""Posting to LinkedIn for the earner (blueprint ``linkedin``): connect, write, post, disconnect.

Only when ``LINKEDIN_CLIENT_ID`` is configured; otherwise every route here is "not found".
"""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from wallet import errors
from wallet.accounts.forms import ActionForm
from wallet.db import utcnow
from wallet.sharing import forms
from wallet.sharing import linkedin
from wallet.sharing import posting
from wallet.web import context
from wallet.web.auth import login_required

bp = Blueprint("linkedin", __name__)

#: Where the flow's one-time ``state`` and the award to come back to wait in the session.
_STATE = "linkedin_state"
_BACK_TO = "linkedin_back_to"


@bp.app_context_processor
def _linkedin_enabled() -> dict[str, bool]:
    return {"linkedin_enabled": context.config().linkedin.enabled}


def _me() -> int:
    return t.cast("int", current_user.id)


def _settings() -> t.Any:
    settings = context.config().linkedin
    if not settings.enabled:
        abort(404)
    return settings


def _callback_url() -> str:
    return context.config().base_url + url_for("linkedin.callback")


def reason_text(reason: str | None) -> str:
    """Return what the earner is told about a failed connection or post."""
    reasons = {
        "reconnect": _("LinkedIn no longer accepts our permission to post. Connect it again."),
        "state": _("That sign-in to LinkedIn was not started here, or was already used."),
        "cancelled": _("You did not allow posting on LinkedIn."),
        "refused": _("LinkedIn refused it."),
        "busy": _("LinkedIn is busy. Try again later."),
        "unreachable": _("LinkedIn could not be reached. Try again later."),
        "private": _("The badge was made private before it was posted."),
    }
    return str(reasons.get(reason or "", reasons["refused"]))


@bp.get("/settings/linkedin/connect")
@login_required
def connect() -> Response:
    """Send the earner to LinkedIn to let us post for them."""
    settings = _settings()
    award_id = request.args.get("award", type=int)
    state = linkedin.new_state()
    session[_STATE] = state
    session[_BACK_TO] = award_id
    return redirect(linkedin.authorization_url(settings, _callback_url(), state))


@bp.get("/settings/linkedin/callback")
@login_required
def callback() -> Response:
    """Where LinkedIn sends the earner back: keep the token, or say why not."""
    settings = _settings()
    expected = session.pop(_STATE, None)
    award_id = session.pop(_BACK_TO, None)
    back = (
        url_for("linkedin.compose", award_id=award_id)
        if isinstance(award_id, int)
        else url_for("accounts.settings") + "#linkedin-heading"
    )
    try:
        code = linkedin.read_callback("?" + request.query_string.decode(), expected)
        grant = linkedin.exchange_code(
            context.runtime().http, settings, code, _callback_url(), now=utcnow()
        )
    except linkedin.LinkedInError as error:
        flash(reason_text(error.reason), "error")
        return redirect(back)
    posting.connect(context.db_session(), context.config().data_keys, _me(), grant)
    flash(_("LinkedIn is connected: you can post there from the wallet."), "success")
    return redirect(back)


@bp.post("/settings/linkedin/disconnect")
@login_required
def disconnect() -> Response:
    """Forget the earner's LinkedIn token."""
    _settings()
    if not ActionForm().validate_on_submit():
        flash(_("This form has expired. Please try again."), "error")
    elif posting.disconnect(context.db_session(), _me()):
        flash(_("LinkedIn is disconnected. We deleted our permission to post."), "success")
    return redirect(url_for("accounts.settings") + "#linkedin-heading")


@bp.route("/wallet/awards/<int:award_id>/linkedin", methods=["GET", "POST"])
@login_required
def compose(award_id: int) -> str | Response | tuple[str, int]:
    """Write a post about a public badge, see it as LinkedIn will show it, and post it."""
    _settings()
    db = context.db_session()
    award = posting.postable_award(db, _me(), award_id)
    form = forms.PostForm(text=posting.default_text(award))
    status = 200
    if form.validate_on_submit():
        if form.publish.data:
            try:
                posting.request_post(db, _me(), award.id, form.text.data)
            except errors.Invalid as error:
                form.text.errors = [*form.text.errors, error.message]
                status = 400
            except errors.Conflict as error:
                flash(error.message, "error")
                status = 409
            else:
                flash(_("Your post is on its way to LinkedIn."), "success")
                return redirect(url_for("linkedin.compose", award_id=award.id) + "#posts-heading")
    elif request.method == "POST":
        status = 400
    connection = posting.connection(db, _me())
    text = form.text.data or ""
    return render_template(
        "sharing/linkedin_post.html",
        award=award,
        form=form,
        action_form=ActionForm(formdata=None),
        connection=connection,
        expired=connection is not None and connection.expired(utcnow()),
        preview_lines=text.strip().splitlines(),
        page_url=context.config().base_url + url_for("sharing.public", public_id=award.public_id),
        posts=posting.posts_of(db, _me(), award.id),
        status_of=posting.status_of,
        reason_text=reason_text,
    ), status
