"""Pages of an issuer's team (blueprint ``issuer_members``): members, invitations, audit, domain."""

from __future__ import annotations

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
from wtforms.fields.choices import SelectChoice

from wallet import errors
from wallet.issuers import forms
from wallet.issuers import governance
from wallet.issuers import members
from wallet.issuers import queries
from wallet.issuers import service
from wallet.issuers.models import ROLES
from wallet.issuers.views import ROLE_NAMES
from wallet.web import context
from wallet.web.auth import login_required

bp = Blueprint("issuer_members", __name__)

Page = str | Response | tuple[str, int]


def _user_id() -> int:
    return t.cast("int", current_user.id)


@bp.context_processor
def _role_names() -> dict[str, t.Any]:
    return {"role_names": ROLE_NAMES}


def _invite_form(role: str) -> forms.InviteForm:
    form = forms.InviteForm()
    form.role.choices = [
        SelectChoice(name, str(ROLE_NAMES[name]))
        for name in ROLES
        if governance.may_grant(role, name)
    ]
    return form


@bp.route("/issuers/<int:issuer_id>/members", methods=["GET", "POST"])
@login_required
def index(issuer_id: int) -> Page:
    """The team: members with their roles, and a form to invite someone."""
    session = context.db_session()
    issuer, membership = service.get_issuer(session, _user_id(), issuer_id)
    form = _invite_form(membership.role)
    if form.validate_on_submit():
        members.invite(
            session,
            _user_id(),
            issuer.id,
            email=form.email.data or "",
            role=form.role.data or "",
            base_url=context.config().base_url,
        )
        flash(_("We sent an invitation to %(email)s.", email=form.email.data), "success")
        return redirect(url_for("issuer_members.index", issuer_id=issuer.id))
    page = render_template(
        "issuers/members.html",
        issuer=issuer,
        me=_user_id(),
        role=membership.role,
        may_manage=governance.may(membership.role, "manage_members"),
        may_grant=lambda role: governance.may_grant(membership.role, role),
        roles=ROLES,
        members=queries.members_of(session, issuer.id),
        invitations=queries.open_invitations(session, issuer.id),
        form=form,
    )
    return page, 400 if form.errors else 200


@bp.post("/issuers/<int:issuer_id>/members/<int:user_id>/role")
@login_required
def role(issuer_id: int, user_id: int) -> Response:
    """Give a member another role."""
    try:
        members.change_role(
            context.db_session(), _user_id(), issuer_id, user_id, request.form.get("role", "")
        )
    except errors.Conflict as error:
        flash(error.message, "error")
    else:
        flash(_("The role was changed."), "success")
    return redirect(url_for("issuer_members.index", issuer_id=issuer_id))


@bp.route("/issuers/<int:issuer_id>/members/<int:user_id>/remove", methods=["GET", "POST"])
@login_required
def remove(issuer_id: int, user_id: int) -> Page:
    """Ask, then remove a member (or leave the issuer)."""
    session = context.db_session()
    issuer, _membership = service.get_issuer(session, _user_id(), issuer_id)
    if request.method == "GET":
        person = next(
            (u for u, _r in queries.members_of(session, issuer_id) if u.id == user_id), None
        )
        if person is None:
            raise errors.NotFound(_("This person is not a member."))
        return render_template(
            "issuers/confirm_remove.html", issuer=issuer, person=person, me=_user_id()
        )
    try:
        members.remove(session, _user_id(), issuer_id, user_id)
    except errors.Conflict as error:
        flash(error.message, "error")
        return redirect(url_for("issuer_members.index", issuer_id=issuer_id))
    if user_id == _user_id():
        flash(_("You left %(issuer)s.", issuer=issuer.name), "success")
        return redirect(url_for("issuers.index"))
    flash(_("The member was removed."), "success")
    return redirect(url_for("issuer_members.index", issuer_id=issuer_id))


@bp.route(members.JOIN_PATH + "<token>", methods=["GET", "POST"])
@login_required
def join(token: str) -> Page:
    """Accept an invitation to an issuer's team."""
    session = context.db_session()
    invitation = members.invitation_by_token(session, token)
    if request.method == "GET":
        return render_template("issuers/join.html", invitation=invitation, token=token)
    membership = members.accept(session, _user_id(), token)
    flash(_("Welcome to %(issuer)s.", issuer=invitation.issuer.name), "success")
    return redirect(url_for("issuers.dashboard", issuer_id=membership.issuer_id))


@bp.get("/issuers/<int:issuer_id>/audit")
@login_required
def audit(issuer_id: int) -> str:
    """Who changed what, and when (owners only)."""
    session = context.db_session()
    issuer, _membership = service.get_issuer(session, _user_id(), issuer_id)
    entries = members.audit_log(session, _user_id(), issuer_id)
    people = {u.id: u.display_name for u, _r in queries.members_of(session, issuer_id)}
    return render_template("issuers/audit.html", issuer=issuer, entries=entries, people=people)


@bp.route("/issuers/<int:issuer_id>/domain", methods=["GET", "POST"])
@login_required
def domain(issuer_id: int) -> Page:
    """Prove the issuer controls its web site's domain, for the verified mark."""
    session = context.db_session()
    issuer, membership = service.get_issuer(session, _user_id(), issuer_id)
    if not governance.may(membership.role, "manage_profile"):
        raise errors.Forbidden(
            _("Your role in %(issuer)s does not allow this.", issuer=issuer.name)
        )
    status = 200
    if request.method == "POST":
        try:
            members.check_domain(session, _user_id(), issuer_id, context.runtime().http.get)
        except errors.Invalid as error:
            flash(error.message, "error")
            status = 400
        else:
            flash(_("Your domain is verified."), "success")
            return redirect(url_for("issuer_members.domain", issuer_id=issuer_id))
    issuer = session.get_one(type(issuer), issuer_id)
    page = render_template(
        "issuers/domain.html", issuer=issuer, proof_url=members.proof_url(issuer)
    )
    return page, status
