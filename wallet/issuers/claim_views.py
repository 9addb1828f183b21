"""Claim links: an earner adds an award made out to their web address or phone number."""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from wallet.issuers import awarding
from wallet.issuers import forms
from wallet.issuers.publishing import own_documents_first
from wallet.web import context
from wallet.web.auth import login_required

bp = Blueprint("claims", __name__)


@bp.route(awarding.CLAIM_PATH + "<token>", methods=["GET", "POST"])
@login_required
def claim(token: str) -> str | Response:
    """Show the badge a claim link names, then add it to the signed-in earner's wallet."""
    session = context.db_session()
    issued = awarding.award_by_claim(session, context.config().secret_key, token)
    form = forms.ClaimForm()
    if form.validate_on_submit():
        award = awarding.claim(
            session,
            context.config().secret_key,
            token,
            t.cast("int", current_user.id),
            base_url=context.config().base_url,
            fetch=own_documents_first(session, context.config(), context.runtime().fetcher().get),
        )
        flash(_("The badge is in your wallet, waiting for your answer."), "success")
        return redirect(url_for("backpack.award", award_id=award.id))
    return render_template("issuers/claim.html", issued=issued, form=form, token=token)
