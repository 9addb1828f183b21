"""The earner's survey pages (blueprint ``survey_answers``): inbox, answer, decline."""

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

from wallet import errors
from wallet.db import utcnow
from wallet.surveys import answering
from wallet.surveys import questions as q
from wallet.surveys import results
from wallet.surveys.forms import AnswerForm
from wallet.web import context
from wallet.web.auth import login_required

bp = Blueprint("survey_answers", __name__)

Page = str | Response | tuple[str, int]


def _user_id() -> int:
    return t.cast("int", current_user.id)


@bp.get("/wallet/surveys")
@login_required
def inbox() -> str:
    """The surveys issuers asked the earner to answer."""
    items = answering.inbox(context.db_session(), _user_id())
    return render_template("surveys/inbox.html", items=items)


@bp.route("/wallet/surveys/<int:invitation_id>", methods=["GET", "POST"])
@login_required
def answer(invitation_id: int) -> Page:
    """A survey's short form; answers are kept once, and only when every answer is valid."""
    session = context.db_session()
    invitation = answering.invitation_for(session, _user_id(), invitation_id)
    form = AnswerForm()
    version = answering.version_to_answer(
        session, invitation, request.form.get("version", type=int)
    )
    issuer = answering.issuer_of(session, invitation)
    asked = q.load(version.questions)
    sent = {question.id: request.form.getlist("q-" + question.id) for question in asked}
    problems: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            raise errors.Invalid(_("The form expired. Open the survey again."))
        try:
            answering.answer(
                session,
                _user_id(),
                invitation.id,
                sent,
                version=version.number,
                identified=bool(form.identified.data),
            )
        except answering.AnswersInvalid as error:
            problems = {qid: message.render(_) for qid, message in error.problems.items()}
            status = 400
        except errors.Conflict as error:
            flash(str(error.message), "success")
            return redirect(url_for("survey_answers.inbox"))
        else:
            flash(
                _("Thank you: your answers were sent to %(issuer)s.", issuer=issuer.name), "success"
            )
            return redirect(url_for("survey_answers.inbox"))
    page = render_template(
        "surveys/answer.html",
        invitation=invitation,
        state=invitation.state(utcnow()),
        survey=invitation.survey,
        issuer=issuer,
        version=version,
        questions=asked,
        sent=sent if request.method == "POST" else {},
        problems=problems,
        form=form,
        k=results.K,
    )
    return page, status


@bp.route("/wallet/surveys/<int:invitation_id>/decline", methods=["GET", "POST"])
@login_required
def decline(invitation_id: int) -> Page:
    """Ask, then decline a survey (no reminder follows)."""
    session = context.db_session()
    invitation = answering.invitation_for(session, _user_id(), invitation_id)
    if request.method == "GET":
        return render_template(
            "surveys/confirm_decline.html",
            invitation=invitation,
            issuer=answering.issuer_of(session, invitation),
        )
    form = AnswerForm()
    if not form.validate_on_submit():
        raise errors.Invalid(_("The form expired. Open the survey again."))
    try:
        answering.decline(session, _user_id(), invitation.id)
    except errors.Conflict as error:
        flash(str(error.message), "error")
    else:
        flash(_("You declined the survey. You will not be asked about it again."), "success")
    return redirect(url_for("survey_answers.inbox"))
