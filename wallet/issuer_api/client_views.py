"""Pages where issuer admins manage their API clients (blueprint ``api_clients``)."""

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

from wallet import errors
from wallet.issuer_api import forms
from wallet.issuer_api import service
from wallet.issuer_api.scopes import SCOPES
from wallet.web import context
from wallet.web.auth import login_required

bp = Blueprint("api_clients", __name__)

Page = str | Response | tuple[str, int]


def _user_id() -> int:
    return t.cast("int", current_user.id)


@bp.route("/issuers/<int:issuer_id>/clients", methods=["GET", "POST"])
@login_required
def index(issuer_id: int) -> Page:
    """The issuer's API clients and a form to add one; a new secret is shown once, here."""
    session = context.db_session()
    issuer, clients = service.clients_of(session, _user_id(), issuer_id)
    form = forms.ClientForm()
    created = secret = None
    if form.validate_on_submit():
        try:
            created, secret = service.create_client(
                session,
                _user_id(),
                issuer.id,
                name=form.name.data or "",
                scopes=list(form.scopes.data or []),
            )
        except errors.Invalid as error:
            form.name.errors = [*form.name.errors, error.message]
        else:
            issuer, clients = service.clients_of(session, _user_id(), issuer_id)
            form = forms.ClientForm(formdata=None)
    page = render_template(
        "issuer_api/clients.html",
        issuer=issuer,
        clients=clients,
        form=form,
        created=created,
        secret=secret,
        scopes=SCOPES,
    )
    return page, 400 if form.errors else 200


@bp.route("/issuers/<int:issuer_id>/clients/<int:client_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke(issuer_id: int, client_id: int) -> Page:
    """Ask for confirmation, then revoke a client."""
    session = context.db_session()
    client = service.get_client(session, _user_id(), issuer_id, client_id)
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        service.revoke_client(session, _user_id(), issuer_id, client_id)
        flash(_("“%(name)s” was revoked: its tokens no longer work.", name=client.name), "success")
        return redirect(url_for("api_clients.index", issuer_id=issuer_id))
    return render_template(
        "issuer_api/revoke_client.html", issuer=client.issuer, client=client, form=form
    )
