"""The issuer's survey pages (blueprint ``surveys``): define, edit, results and their CSV.

Authorization is the services': ``manage_surveys`` (owners, admins) to define and edit,
``view_survey_results`` (owners, admins, analysts) to read results.
"""

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

from wallet.issuers import governance
from wallet.issuers import queries as issuer_queries
from wallet.issuers import service as issuers
from wallet.surveys import forms
from wallet.surveys import results
from wallet.surveys import service
from wallet.surveys.models import Survey
from wallet.web import context
from wallet.web.auth import login_required

bp = Blueprint("surveys", __name__)

Page = str | Response | tuple[str, int]


def _user_id() -> int:
    return t.cast("int", current_user.id)


@bp.get("/issuers/<int:issuer_id>/surveys")
@login_required
def index(issuer_id: int) -> str:
    """The issuer's surveys."""
    session = context.db_session()
    issuer, membership = issuers.get_issuer(session, _user_id(), issuer_id)
    surveys = service.surveys_for_member(session, _user_id(), issuer_id)
    return render_template(
        "surveys/index.html",
        issuer=issuer,
        surveys=surveys,
        may_manage=governance.may(membership.role, "manage_surveys"),
    )


def _form(session: t.Any, issuer_id: int, survey: Survey | None) -> forms.SurveyForm:
    data: dict[str, t.Any] | None = None
    if survey is not None and request.method == "GET":
        rows = [
            {**item, "options": "\n".join(item.get("options") or []), "max_length": None}
            if item["type"] != "text"
            else {**item, "options": ""}
            for item in survey.current.questions
        ]
        kinds = {(tr.kind, tr.days) for tr in survey.active_triggers()}
        data = {
            "title": survey.title,
            "intro": survey.intro,
            "achievements": survey.achievement_ids,
            "on_accept": ("accepted", 0) in kinds,
            "days_after": next((d for k, d in kinds if k == "days_after"), None),
            "on_pathway": ("pathway_completed", 0) in kinds,
            "expires_after_days": survey.expires_after_days,
            "remind_after_days": survey.remind_after_days,
            "questions": rows + [{}] * forms.BLANK_ROWS,
        }
    form = forms.SurveyForm(data=data) if data else forms.SurveyForm()
    form.achievements.choices = [
        SelectChoice(a.id, a.name) for a in issuer_queries.achievements_of(session, issuer_id)
    ]
    return form


def _definition(form: forms.SurveyForm) -> service.Definition:
    return service.Definition(
        title=form.title.data or "",
        intro=form.intro.data or "",
        questions=[
            {
                "id": row.form.id.data or "",
                "type": row.form.type.data,
                "text": row.form.text.data or "",
                "required": bool(row.form.required.data),
                "options": row.form.options.data or "",
                "max_length": row.form.max_length.data,
            }
            for row in form.questions
        ],
        achievement_ids=list(form.achievements.data or []),
        on_accept=bool(form.on_accept.data),
        days_after=form.days_after.data or None,
        on_pathway=bool(form.on_pathway.data),
        expires_after_days=form.expires_after_days.data or 30,
        remind_after_days=form.remind_after_days.data or 0,
    )


def _show_problems(form: forms.SurveyForm, problems: dict[str, t.Any]) -> None:
    for key, message in problems.items():
        text = message.render(_)
        if key.startswith("questions."):
            target = form.questions[int(key.split(".")[1])].form.text
        else:
            target = {
                "triggers": form.on_accept,
                "questions": form.questions[0].form.text,
            }.get(key) or getattr(form, key)
        target.errors = [*target.errors, text]


def _edit(issuer_id: int, survey: Survey | None) -> Page:
    session = context.db_session()
    issuer, membership = issuers.get_issuer(session, _user_id(), issuer_id)
    if survey is None:
        # Say "forbidden" before showing a form the member could not submit.
        issuers.require_role(session, _user_id(), issuer_id, "manage_surveys")
    form = _form(session, issuer_id, survey)
    if form.validate_on_submit():
        try:
            if survey is None:
                survey = service.create_survey(session, _user_id(), issuer_id, _definition(form))
                flash(_("The survey “%(title)s” is ready.", title=survey.title), "success")
            else:
                before = survey.current.number
                survey = service.update_survey(
                    session, _user_id(), issuer_id, survey.id, _definition(form)
                )
                flash(
                    _(
                        "Saved as version %(number)d. Answers given before keep the questions "
                        "they answered.",
                        number=survey.current.number,
                    )
                    if survey.current.number != before
                    else _("Saved."),
                    "success",
                )
        except service.DefinitionInvalid as error:
            session.rollback()
            _show_problems(form, error.problems)
        else:
            return redirect(
                url_for("surveys.results_page", issuer_id=issuer_id, survey_id=survey.id)
            )
    page = render_template(
        "surveys/edit.html",
        issuer=issuer,
        survey=survey,
        form=form,
        type_names=forms.TYPE_NAMES,
    )
    return page, 400 if request.method == "POST" else 200


@bp.route("/issuers/<int:issuer_id>/surveys/new", methods=["GET", "POST"])
@login_required
def new(issuer_id: int) -> Page:
    """Define a survey."""
    return _edit(issuer_id, None)


@bp.route("/issuers/<int:issuer_id>/surveys/<int:survey_id>/edit", methods=["GET", "POST"])
@login_required
def edit(issuer_id: int, survey_id: int) -> Page:
    """Change a survey (changed questions make a new version)."""
    survey = service.survey_to_edit(context.db_session(), _user_id(), issuer_id, survey_id)
    return _edit(issuer_id, survey)


def _selection(issuer_id: int, survey_id: int) -> service.Selection:
    return service.results_for_member(
        context.db_session(),
        _user_id(),
        issuer_id,
        survey_id,
        version=request.args.get("version", type=int),
        achievement_id=request.args.get("achievement", type=int),
    )


@bp.get("/issuers/<int:issuer_id>/surveys/<int:survey_id>")
@login_required
def results_page(issuer_id: int, survey_id: int) -> str:
    """A survey's results: distributions, NPS, free text; nothing of a group under 5."""
    session = context.db_session()
    issuer, membership = issuers.get_issuer(session, _user_id(), issuer_id)
    selection = _selection(issuer_id, survey_id)
    names = {
        a.id: a.name
        for a in issuer_queries.achievements_of(session, issuer_id)
        if a.id in selection.survey.achievement_ids
    }
    return render_template(
        "surveys/results.html",
        issuer=issuer,
        selection=selection,
        survey=selection.survey,
        achievement_names=names,
        k=results.K,
        type_names=forms.TYPE_NAMES,
        may_manage=governance.may(membership.role, "manage_surveys"),
    )


@bp.get("/issuers/<int:issuer_id>/surveys/<int:survey_id>/results.csv")
@login_required
def results_csv(issuer_id: int, survey_id: int) -> Response:
    """The same results as CSV (aggregates only, and named answers of earners who opted in)."""
    selection = _selection(issuer_id, survey_id)
    text = results.to_csv(
        selection.results,
        header=[_("Question"), _("Answer"), _("Count"), _("Share (%)"), _("Note or earner")],
        too_few=_("Fewer than %(k)d answers: not shown.", k=results.K),
        nps_label=_("Net Promoter Score"),
    )
    name = f"survey-{selection.survey.public_id}-v{selection.version.number}.csv"
    return Response(
        text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
