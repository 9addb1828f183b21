"""Pages of pathways (blueprint ``pathways``): the issuer's editor and the public pathway page."""

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
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from wallet import errors
from wallet.issuers import governance
from wallet.issuers import queries as issuer_queries
from wallet.issuers import service as issuers
from wallet.pathways import forms
from wallet.pathways import progress as progress_of
from wallet.pathways import queries
from wallet.pathways import rules
from wallet.pathways import service
from wallet.web import context
from wallet.web.auth import login_required

if t.TYPE_CHECKING:
    from wallet.issuers.models import Issuer
    from wallet.pathways.models import Pathway

bp = Blueprint("pathways", __name__)

Page = str | Response | tuple[str, int]


def _user_id() -> int:
    return t.cast("int", current_user.id)


def _viewer_id() -> int | None:
    return t.cast("int", current_user.id) if current_user.is_authenticated else None


def _rule_text(rule: str, required: int | None, count: int) -> str:
    """Say how a group completes in the reader's language: "any 2 of 3"."""
    return rules.rule_text(rule, required, count).render(_)


def _completion_choices(issuer_id: int) -> list[SelectChoice]:
    return [
        SelectChoice("", _("None")),
        *(
            SelectChoice(str(a.id), a.name)
            for a in issuer_queries.achievements_of(context.db_session(), issuer_id)
        ),
    ]


def _completion_id(form: forms.PathwayForm) -> int | None:
    return int(form.completion.data) if form.completion.data else None


@bp.route("/issuers/<int:issuer_id>/pathways", methods=["GET", "POST"])
@login_required
def index(issuer_id: int) -> Page:
    """The issuer's pathways, and a form to start one."""
    session = context.db_session()
    issuer, membership = issuers.get_issuer(session, _user_id(), issuer_id)
    may_manage = governance.may(membership.role, "manage_pathways")
    form = forms.PathwayForm()
    form.completion.choices = _completion_choices(issuer.id)
    if may_manage and form.validate_on_submit():
        pathway = service.create_pathway(
            session,
            _user_id(),
            issuer.id,
            name=form.name.data or "",
            description=form.description.data or "",
            completion_achievement_id=_completion_id(form),
        )
        flash(_("“%(name)s” is a draft: add its first level.", name=pathway.name), "success")
        return redirect(_edit_url(issuer.id, pathway))
    if request.method == "POST" and not may_manage:
        raise errors.Forbidden(
            _("Your role in %(issuer)s does not allow this.", issuer=issuer.name)
        )
    page = render_template(
        "pathways/index.html",
        issuer=issuer,
        pathways=queries.pathways_of(session, issuer.id),
        form=form,
        may_manage=may_manage,
    )
    return page, 400 if form.errors else 200


def _edit_url(issuer_id: int, pathway: Pathway, anchor: str = "") -> str:
    url = url_for("pathways.edit", issuer_id=issuer_id, public_id=pathway.public_id)
    return url + (f"#{anchor}" if anchor else "")


def _group_form(group: t.Any = None) -> forms.GroupForm:
    if group is None:
        form = forms.GroupForm(prefix="new")
        form.first.choices = _completion_choices(int((request.view_args or {})["issuer_id"]))
        return form
    return forms.GroupForm(
        prefix=f"g{group.id}",
        formdata=None,
        data={
            "title": group.title,
            "kind": group.kind,
            "rule": group.rule,
            "required": group.required,
        },
    )


def _editor(
    issuer: Issuer,
    pathway: Pathway,
    *,
    status: int = 200,
    details: forms.PathwayForm | None = None,
    new_group: forms.GroupForm | None = None,
    group_forms: dict[int, forms.GroupForm] | None = None,
    step: forms.StepForm | None = None,
) -> tuple[str, int]:
    """Render the editor, with the forms given (holding errors) or fresh ones."""
    session = context.db_session()
    if details is None:
        details = forms.PathwayForm(
            formdata=None,
            data={
                "name": pathway.name,
                "description": pathway.description,
                "completion": str(pathway.completion_achievement_id or ""),
            },
        )
    details.completion.choices = _completion_choices(issuer.id)
    step = step or forms.StepForm(formdata=None)
    step.group.choices = [SelectChoice(str(g.id), g.title) for g in pathway.groups]
    forms_by_group = {group.id: _group_form(group) for group in pathway.groups}
    forms_by_group.update(group_forms or {})
    search = request.args.get("q", "").strip()[:100]
    page = render_template(
        "pathways/edit.html",
        issuer=issuer,
        pathway=pathway,
        details=details,
        new_group=new_group or _group_form(),
        group_forms=forms_by_group,
        step_form=step,
        search=search,
        found=queries.achievements_matching(session, search) if search else [],
        problems=service.problems_of(pathway),
        rule_text=_rule_text,
    )
    return page, status


def _managed(issuer_id: int, public_id: str) -> tuple[Issuer, Pathway]:
    session = context.db_session()
    issuer, _member = issuers.require_role(session, _user_id(), issuer_id, "manage_pathways")
    return issuer, service.get_pathway(session, _user_id(), issuer.id, public_id)


@bp.route("/issuers/<int:issuer_id>/pathways/<public_id>", methods=["GET", "POST"])
@login_required
def edit(issuer_id: int, public_id: str) -> Page:
    """A pathway's editor: its details, levels and steps, and a search for achievements."""
    if request.method == "GET":
        issuer, pathway = _managed(issuer_id, public_id)
        return _editor(issuer, pathway)
    issuer, pathway = _managed(issuer_id, public_id)
    details = forms.PathwayForm()
    details.completion.choices = _completion_choices(issuer.id)
    if not details.validate_on_submit():
        return _editor(issuer, pathway, details=details, status=400)
    try:
        service.update_details(
            context.db_session(),
            _user_id(),
            issuer.id,
            public_id,
            name=details.name.data or "",
            description=details.description.data or "",
            completion_achievement_id=_completion_id(details),
        )
    except errors.WalletError as error:
        details.name.errors = [*details.name.errors, error.message]
        return _editor(issuer, pathway, details=details, status=400)
    flash(_("The pathway was saved."), "success")
    return redirect(_edit_url(issuer.id, pathway))


def _group_spec(form: forms.GroupForm) -> rules.GroupSpec:
    return rules.GroupSpec(
        title=form.title.data or "",
        kind=form.kind.data or "level",
        rule=form.rule.data or "all",
        required=form.required.data,
    )


@bp.post("/issuers/<int:issuer_id>/pathways/<public_id>/groups")
@login_required
def add_group(issuer_id: int, public_id: str) -> Page:
    """Add a level or milestone at the end."""
    issuer, pathway = _managed(issuer_id, public_id)
    form = _group_form()
    if not form.validate_on_submit():
        return _editor(issuer, pathway, new_group=form, status=400)
    try:
        group = service.add_group(
            context.db_session(),
            _user_id(),
            issuer.id,
            public_id,
            _group_spec(form),
            first_achievement_id=int(form.first.data) if form.first.data else None,
            base_url=context.config().base_url,
        )
    except errors.WalletError as error:
        form.required.errors = [*form.required.errors, error.message]
        return _editor(issuer, pathway, new_group=form, status=400)
    flash(_("“%(title)s” was added. Add its steps next.", title=group.title), "success")
    return redirect(_edit_url(issuer.id, pathway, "steps-heading"))


@bp.post("/issuers/<int:issuer_id>/pathways/<public_id>/groups/<int:group_id>")
@login_required
def update_group(issuer_id: int, public_id: str, group_id: int) -> Page:
    """Change a group's title, kind or rule."""
    issuer, pathway = _managed(issuer_id, public_id)
    form = forms.GroupForm(prefix=f"g{group_id}")
    if not form.validate_on_submit():
        return _editor(issuer, pathway, group_forms={group_id: form}, status=400)
    try:
        service.update_group(
            context.db_session(), _user_id(), issuer.id, public_id, group_id, _group_spec(form)
        )
    except errors.Invalid as error:
        form.required.errors = [*form.required.errors, error.message]
        return _editor(issuer, pathway, group_forms={group_id: form}, status=400)
    flash(_("The level was saved."), "success")
    return redirect(_edit_url(issuer.id, pathway, f"group-{group_id}"))


@bp.route(
    "/issuers/<int:issuer_id>/pathways/<public_id>/groups/<int:group_id>/remove",
    methods=["GET", "POST"],
)
@login_required
def remove_group(issuer_id: int, public_id: str, group_id: int) -> Page:
    """Ask, then remove a group with its steps."""
    issuer, pathway = _managed(issuer_id, public_id)
    group = next((g for g in pathway.groups if g.id == group_id), None)
    if group is None:
        raise errors.NotFound(_("This level or milestone does not exist."))
    if request.method == "GET":
        return render_template(
            "pathways/confirm.html",
            issuer=issuer,
            pathway=pathway,
            heading=_("Remove “%(title)s” and its steps?", title=group.title),
            explanation=_("The other levels stay; earners' progress is counted again without it."),
            action=url_for(
                "pathways.remove_group", issuer_id=issuer.id, public_id=public_id, group_id=group_id
            ),
            button=_("Remove it"),
        )
    _submitted()
    try:
        service.remove_group(context.db_session(), _user_id(), issuer.id, public_id, group_id)
    except errors.Invalid as error:
        flash(error.message, "error")
    else:
        flash(_("The level was removed."), "success")
    return redirect(_edit_url(issuer.id, pathway))


def _submitted() -> None:
    """Check the CSRF token of a form that has no fields (a confirmation)."""
    form = FlaskForm()
    if not form.validate_on_submit():
        raise errors.Invalid(_("The form expired. Please try again."))


@bp.post("/issuers/<int:issuer_id>/pathways/<public_id>/steps")
@login_required
def add_step(issuer_id: int, public_id: str) -> Page:
    """Add an achievement to a group: a platform one from the search, or one issued elsewhere."""
    issuer, pathway = _managed(issuer_id, public_id)
    form = forms.StepForm()
    form.group.choices = [SelectChoice(str(g.id), g.title) for g in pathway.groups]
    if not form.validate_on_submit():
        if not pathway.groups:
            form.group.errors = [_("Add a level or milestone first.")]
        return _editor(issuer, pathway, step=form, status=400)
    chosen = (form.achievement_id.data or "").strip()
    try:
        service.add_step(
            context.db_session(),
            _user_id(),
            issuer.id,
            public_id,
            int(form.group.data),
            achievement_id=int(chosen) if chosen.isdigit() else None,
            iri=form.iri.data or "",
            title=form.title.data or "",
            base_url=context.config().base_url,
        )
    except errors.WalletError as error:
        field = form.title if error.field == "title" else form.iri
        field.errors = [*field.errors, error.message]
        if chosen:
            flash(error.message, "error")
            return redirect(_edit_url(issuer.id, pathway, "steps-heading"))
        return _editor(issuer, pathway, step=form, status=400)
    flash(_("The step was added."), "success")
    return redirect(_edit_url(issuer.id, pathway, f"group-{form.group.data}"))


@bp.post("/issuers/<int:issuer_id>/pathways/<public_id>/steps/<int:step_id>/remove")
@login_required
def remove_step(issuer_id: int, public_id: str, step_id: int) -> Response:
    """Take a step out of its group."""
    issuer, pathway = _managed(issuer_id, public_id)
    _submitted()
    try:
        service.remove_step(context.db_session(), _user_id(), issuer.id, public_id, step_id)
    except errors.Invalid as error:
        flash(error.message, "error")
    else:
        flash(_("The step was removed."), "success")
    return redirect(_edit_url(issuer.id, pathway, "steps-heading"))


@bp.route("/issuers/<int:issuer_id>/pathways/<public_id>/publish", methods=["GET", "POST"])
@login_required
def publish(issuer_id: int, public_id: str) -> Page:
    """Ask, then publish a pathway: earners see it and their progress along it."""
    issuer, pathway = _managed(issuer_id, public_id)
    if request.method == "GET":
        return render_template(
            "pathways/confirm.html",
            issuer=issuer,
            pathway=pathway,
            heading=_("Publish “%(name)s”?", name=pathway.name),
            explanation=_(
                "Earners holding any of its achievements see their progress along it, and "
                "anyone can open its page. You can still change it; it must stay complete."
            ),
            problems=service.problems_of(pathway),
            action=url_for("pathways.publish", issuer_id=issuer.id, public_id=public_id),
            button=_("Publish"),
            safe=True,
        )
    _submitted()
    try:
        service.publish(context.db_session(), _user_id(), issuer.id, public_id)
    except errors.Invalid as error:
        flash(error.message, "error")
        return redirect(_edit_url(issuer.id, pathway))
    flash(_("“%(name)s” is published.", name=pathway.name), "success")
    return redirect(url_for("pathways.show", public_id=public_id))


@bp.route("/issuers/<int:issuer_id>/pathways/<public_id>/archive", methods=["GET", "POST"])
@login_required
def archive(issuer_id: int, public_id: str) -> Page:
    """Ask, then archive a pathway."""
    issuer, pathway = _managed(issuer_id, public_id)
    if request.method == "GET":
        return render_template(
            "pathways/confirm.html",
            issuer=issuer,
            pathway=pathway,
            heading=_("Archive “%(name)s”?", name=pathway.name),
            explanation=_(
                "Earners no longer see it or their progress along it, and it can no longer "
                "change. Badges already awarded for completing it stay valid. This cannot be "
                "undone."
            ),
            action=url_for("pathways.archive", issuer_id=issuer.id, public_id=public_id),
            button=_("Archive"),
        )
    _submitted()
    service.archive(context.db_session(), _user_id(), issuer.id, public_id)
    flash(_("“%(name)s” is archived.", name=pathway.name), "success")
    return redirect(url_for("pathways.index", issuer_id=issuer.id))


@bp.get("/pathways/<public_id>")
def show(public_id: str) -> str:
    """A pathway's public page: its levels in order and what each asks, with ticks on what the
    signed-in earner holds."""
    session = context.db_session()
    viewer = _viewer_id()
    found = queries.public_pathway(session, public_id, viewer)
    held = queries.held_iris(session, viewer) if viewer is not None else set()
    return render_template(
        "pathways/show.html",
        found=found,
        pathway=found.pathway,
        held=held,
        signed_in=viewer is not None,
        progress=progress_of.progress(progress_of.shape_of(found.pathway), held),
        rule_text=_rule_text,
    )
