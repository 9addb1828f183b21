"""Verify a credential, for anyone (blueprint ``verify_tool``): no account, rate-limited per client.

The same code as ``wallet verify``: ``wallet.badges.verify.verify`` with the SSRF-guarded fetcher
(``wallet.http`` through its Redis cache); our own issuers' documents are read from the database.
Nothing is stored: the credential is checked and the report shown.
"""

from __future__ import annotations

from flask import Blueprint
from flask import render_template
from flask_babel import gettext as _

from wallet.badges.verify import verify
from wallet.issuers.publishing import own_documents_first
from wallet.profiles import forms
from wallet.web import context
from wallet.web.ratelimit import rate_limit

bp = Blueprint("verify_tool", __name__)

#: Largest credential file accepted.
MAX_UPLOAD = 5 * 1024 * 1024


@bp.route("/verify", methods=["GET", "POST"])
@rate_limit(lambda: "10 per minute;100 per hour")
def verify_credential() -> tuple[str, int]:
    """Check a credential brought as a file, pasted text or a web address; show every check."""
    form = forms.VerifyForm()
    if not form.validate_on_submit():
        return render_template("profiles/verify.html", form=form), 400 if form.errors else 200
    upload = form.file.data
    data: bytes | str = ""
    if upload and upload.filename:
        data = upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            form.file.errors = [*form.file.errors, _("The file is larger than 5 MB.")]
            return render_template("profiles/verify.html", form=form), 413
    elif (form.text.data or "").strip():
        data = (form.text.data or "").strip()
    else:
        form.text.errors = [
            *form.text.errors,
            _("Choose a file, or paste a credential or its link."),
        ]
        return render_template("profiles/verify.html", form=form), 400
    runtime = context.runtime()
    session = context.db_session()
    report = verify(data, fetch=own_documents_first(session, runtime.config, runtime.fetcher().get))
    # The lookups of our own documents are reads: end them before the page renders.
    session.rollback()
    return render_template("profiles/verify.html", form=form, report=report), 200
