"""Pages where issuer owners and admins manage webhook endpoints (blueprint ``webhooks``)."""

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

from wallet import errors
from wallet.engagement import forms
from wallet.engagement import webhooks
from wallet.engagement.catalog import PUBLIC_TYPES
from wallet.web import context
from wallet.web.auth import login_required

bp = Blueprint("webhooks", __name__)

Page = str | Response | tuple[str, int]


def _user_id() -> int:
    return t.cast("int", current_user.id)


@bp.route("/issuers/<int:issuer_id>/webhooks", methods=["GET", "POST"])
@login_required
def index(issuer_id: int) -> Page:
    """The issuer's endpoints and a form to add one; a new secret is shown once, here."""
    session = context.db_session()
    issuer, endpoints = webhooks.endpoints_of(session, _user_id(), issuer_id)
    form = forms.EndpointForm()
    created = secret = None
    if form.validate_on_submit():
        try:
            created, secret = webhooks.create_endpoint(
                session,
                _user_id(),
                issuer.id,
                url=form.url.data or "",
                description=form.description.data or "",
                event_types=list(form.event_types.data or []),
                data_keys=context.config().data_keys,
                allow_http=context.config().http_allow_loopback,
            )
        except errors.Invalid as error:
            form.url.errors = [*form.url.errors, error.message]
        else:
            issuer, endpoints = webhooks.endpoints_of(session, _user_id(), issuer_id)
            form = forms.EndpointForm(formdata=None)
    page = render_template(
        "engagement/webhooks.html",
        issuer=issuer,
        endpoints=endpoints,
        form=form,
        created=created,
        secret=secret,
        types=PUBLIC_TYPES,
    )
    return page, 400 if form.errors else 200


@bp.get("/issuers/<int:issuer_id>/webhooks/<endpoint_id>")
@login_required
def endpoint(issuer_id: int, endpoint_id: str) -> Page:
    """One endpoint: its state, its actions, and the log of its latest deliveries."""
    session = context.db_session()
    found = webhooks.get_endpoint(session, _user_id(), issuer_id, endpoint_id)
    return render_template(
        "engagement/endpoint.html",
        issuer=webhooks.endpoint_issuer(session, found),
        endpoint=found,
        deliveries=webhooks.deliveries(session, found),
        toggle=forms.ToggleForm(value="0" if found.enabled else "1"),
        form=forms.ConfirmForm(),
        secret=None,
    )


@bp.post("/issuers/<int:issuer_id>/webhooks/<endpoint_id>/test")
@login_required
def send_test(issuer_id: int, endpoint_id: str) -> Response:
    """Queue a ``webhook.test`` event to the endpoint."""
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    webhooks.send_test(context.db_session(), _user_id(), issuer_id, endpoint_id)
    flash(_("A test event is on its way; its delivery appears below."), "success")
    return redirect(url_for("webhooks.endpoint", issuer_id=issuer_id, endpoint_id=endpoint_id))


@bp.post("/issuers/<int:issuer_id>/webhooks/<endpoint_id>/enabled")
@login_required
def set_enabled(issuer_id: int, endpoint_id: str) -> Response:
    """Turn the endpoint off, or on again."""
    form = forms.ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    found = webhooks.set_enabled(
        context.db_session(), _user_id(), issuer_id, endpoint_id, enabled=form.value.data == "1"
    )
    flash(
        _("The endpoint receives events again.")
        if found.enabled
        else _("The endpoint is turned off: events wait in the feed."),
        "success",
    )
    return redirect(url_for("webhooks.endpoint", issuer_id=issuer_id, endpoint_id=endpoint_id))


@bp.route("/issuers/<int:issuer_id>/webhooks/<endpoint_id>/rotate", methods=["GET", "POST"])
@login_required
def rotate(issuer_id: int, endpoint_id: str) -> Page:
    """Ask for confirmation, then give the endpoint a new secret (shown once)."""
    session = context.db_session()
    found = webhooks.get_endpoint(session, _user_id(), issuer_id, endpoint_id)
    form = forms.ConfirmForm()
    secret = None
    if form.validate_on_submit():
        found, secret = webhooks.rotate_secret(
            session, _user_id(), issuer_id, endpoint_id, data_keys=context.config().data_keys
        )
    return render_template(
        "engagement/rotate.html",
        issuer=webhooks.endpoint_issuer(session, found),
        endpoint=found,
        form=form,
        secret=secret,
    )


@bp.route("/issuers/<int:issuer_id>/webhooks/<endpoint_id>/delete", methods=["GET", "POST"])
@login_required
def delete(issuer_id: int, endpoint_id: str) -> Page:
    """Ask for confirmation, then remove the endpoint."""
    session = context.db_session()
    found = webhooks.get_endpoint(session, _user_id(), issuer_id, endpoint_id)
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        webhooks.delete_endpoint(session, _user_id(), issuer_id, endpoint_id)
        flash(_("The endpoint was removed."), "success")
        return redirect(url_for("webhooks.index", issuer_id=issuer_id))
    return render_template(
        "engagement/delete_endpoint.html",
        issuer=webhooks.endpoint_issuer(session, found),
        endpoint=found,
        form=form,
    )


@bp.post("/issuers/<int:issuer_id>/webhooks/deliveries/<delivery_id>/redeliver")
@login_required
def redeliver(issuer_id: int, delivery_id: str) -> Response:
    """Send a delivery again now."""
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    delivery = webhooks.redeliver(context.db_session(), issuer_id, delivery_id, user_id=_user_id())
    flash(_("The event will be sent again in a moment."), "success")
    return redirect(
        url_for("webhooks.endpoint", issuer_id=issuer_id, endpoint_id=delivery.endpoint.public_id)
    )
