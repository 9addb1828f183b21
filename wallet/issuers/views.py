"""Pages of the issuer side (blueprint ``issuers``): organisations, achievements, awarding."""

from __future__ import annotations

import datetime as dt
import typing as t

from flask import Blueprint
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from wallet import errors
from wallet.issuers import awarding
from wallet.issuers import csv_awarding
from wallet.issuers import forms
from wallet.issuers import governance
from wallet.issuers import pictures
from wallet.issuers import queries
from wallet.issuers import service
from wallet.messages import Message
from wallet.web import context
from wallet.web.auth import login_required

bp = Blueprint("issuers", __name__)


@bp.context_processor
def _claim_links() -> dict[str, t.Any]:
    """Let award lists show the claim link of awards to a web address or phone number."""

    def claim_url(award: t.Any) -> str | None:
        return awarding.claim_url(context.config().secret_key, context.config().base_url, award)

    return {"claim_url": claim_url}


#: How each member role is named.
ROLE_NAMES = {
    "owner": _l("owner"),
    "admin": _l("administrator"),
    "awarder": _l("awarder"),
    "analyst": _l("analyst"),
}


@bp.context_processor
def _role_names() -> dict[str, t.Any]:
    return {"role_names": ROLE_NAMES}


Page = str | Response | tuple[str, int]


def _user_id() -> int:
    return t.cast("int", current_user.id)


@bp.route("/issuers", methods=["GET", "POST"])
@login_required
def index() -> Page:
    """The organisations the user belongs to, and a form to create one."""
    session = context.db_session()
    form = forms.IssuerForm()
    if form.validate_on_submit():
        issuer = service.create_issuer(
            session,
            _user_id(),
            name=form.name.data or "",
            url=form.url.data or "",
            email=form.email.data or "",
            description=form.description.data or "",
            data_keys=context.config().data_keys,
        )
        flash(_("%(name)s is ready: add its first achievement.", name=issuer.name), "success")
        return redirect(url_for("issuers.dashboard", issuer_id=issuer.id))
    page = render_template(
        "issuers/index.html", memberships=service.issuers_of(session, _user_id()), form=form
    )
    return page, 400 if form.errors else 200


@bp.get("/issuers/<int:issuer_id>")
@login_required
def dashboard(issuer_id: int) -> str:
    """An organisation's achievements, latest awards and members."""
    session = context.db_session()
    issuer, membership = service.get_issuer(session, _user_id(), issuer_id)
    return render_template(
        "issuers/dashboard.html",
        issuer=issuer,
        role=membership.role,
        may=lambda action: governance.may(membership.role, action),
        achievements=queries.achievements_of(session, issuer.id),
        awards=queries.recent_awards(session, issuer.id, limit=20),
    )


@bp.post("/issuers/<int:issuer_id>/linkedin")
@login_required
def linkedin(issuer_id: int) -> Response:
    """Keep the organisation's LinkedIn page id (earners' Add to Profile links then name it)."""
    try:
        issuer = service.set_linkedin_organization(
            context.db_session(), _user_id(), issuer_id, request.form.get("organization_id", "")
        )
    except errors.Invalid as error:
        flash(error.message, "error")
    else:
        flash(
            _("Earners' LinkedIn entries now link to your page.")
            if issuer.linkedin_organization_id
            else _("Earners' LinkedIn entries now name your organisation without a page."),
            "success",
        )
    return redirect(url_for("issuers.dashboard", issuer_id=issuer_id) + "#linkedin-heading")


@bp.route("/issuers/<int:issuer_id>/achievements/new", methods=["GET", "POST"])
@login_required
def new_achievement(issuer_id: int) -> Page:
    """Create a badge template."""
    session = context.db_session()
    issuer, membership = service.get_issuer(session, _user_id(), issuer_id)
    if not governance.may(membership.role, "manage_achievements"):
        raise errors.Forbidden(
            _("Your role in %(issuer)s does not allow this.", issuer=issuer.name)
        )
    form = forms.AchievementForm()
    if form.validate_on_submit():
        try:
            achievement = service.create_achievement(
                session,
                _user_id(),
                issuer.id,
                {
                    "name": form.name.data,
                    "description": form.description.data,
                    "criteria": form.criteria.data,
                    "achievement_type": form.achievement_type.data,
                    "level": form.level.data,
                    "alignments": _skills(form.skills.data or ""),
                    "tags": [
                        tag.strip() for tag in (form.tags.data or "").split(",") if tag.strip()
                    ],
                    "valid_days": form.valid_days.data,
                    "image": form.image.data.read(pictures.MAX_BYTES + 1)
                    if form.image.data
                    else None,
                },
            )
        except errors.Invalid as error:
            # Pure modules say it as a Message; say it in the reader's language.
            form.image.errors = [*form.image.errors, Message.of(error.message).render(_)]
        else:
            flash(_("The achievement “%(name)s” was created.", name=achievement.name), "success")
            return redirect(
                url_for("issuers.achievement", issuer_id=issuer.id, achievement_id=achievement.id)
            )
    page = render_template("issuers/new_achievement.html", issuer=issuer, form=form)
    return page, 400 if form.errors else 200


def _skills(text: str) -> list[dict[str, str]]:
    """Read "name | framework | code | url" lines."""
    skills = []
    for line in text.splitlines()[:50]:
        parts = [part.strip() for part in line.split("|")] + ["", "", ""]
        if parts[0]:
            url = parts[3] if parts[3].startswith(("https://", "http://")) else ""
            skills.append(
                {
                    "name": parts[0][:300],
                    "framework": parts[1][:300],
                    "code": parts[2][:100],
                    "url": url,
                }
            )
    return skills


@bp.route("/issuers/<int:issuer_id>/achievements/<int:achievement_id>", methods=["GET", "POST"])
@login_required
def achievement(issuer_id: int, achievement_id: int) -> Page:
    """An achievement, the form to award it to one person, and who received it."""
    session = context.db_session()
    issuer, membership = service.get_issuer(session, _user_id(), issuer_id)
    item = service.get_achievement(session, _user_id(), issuer.id, achievement_id)
    form = forms.AwardForm()
    if form.validate_on_submit():
        try:
            issued = awarding.award(
                session,
                _user_id(),
                issuer.id,
                item.id,
                email=form.email.data or "",
                url=form.url.data or "",
                phone=form.phone.data or "",
                name=form.name.data or "",
                base_url=context.config().base_url,
                data_keys=context.config().data_keys,
            )
        except errors.Invalid as error:
            form.email.errors = [*form.email.errors, error.message]
        else:
            link = awarding.claim_url(
                context.config().secret_key, context.config().base_url, issued
            )
            if link is None:
                flash(
                    _(
                        "Awarded to %(email)s: it is on its way to their wallet.",
                        email=issued.recipient_normalized,
                    ),
                    "success",
                )
            else:
                flash(
                    _(
                        "Awarded to %(who)s. Give them this link to add it to their wallet: "
                        "%(link)s",
                        who=issued.recipient_normalized,
                        link=link,
                    ),
                    "success",
                )
            return redirect(
                url_for("issuers.achievement", issuer_id=issuer.id, achievement_id=item.id)
            )
    page = render_template(
        "issuers/achievement.html",
        issuer=issuer,
        achievement=item,
        form=form,
        upload_form=forms.UploadForm(),
        may_award=governance.may(membership.role, "award"),
        awards=queries.recent_awards(session, issuer.id, achievement_id=item.id),
    )
    return page, 400 if form.errors else 200


@bp.route("/issuers/<int:issuer_id>/awards/<public_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke(issuer_id: int, public_id: str) -> Page:
    """Ask for a reason, then revoke an award."""
    session = context.db_session()
    issuer, _member = service.get_issuer(session, _user_id(), issuer_id)
    form = forms.RevokeForm()
    if form.validate_on_submit():
        awarding.revoke(session, _user_id(), issuer.id, public_id, reason=form.reason.data or "")
        flash(_("The award was revoked. Its earner's wallet will say so."), "success")
        return redirect(url_for("issuers.dashboard", issuer_id=issuer.id))
    award = awarding.get_issued_award(session, _user_id(), issuer.id, public_id)
    page = render_template("issuers/revoke.html", issuer=issuer, award=award, form=form)
    return page, 400 if form.errors else 200


@bp.route("/issuers/<int:issuer_id>/awards/<public_id>/expire", methods=["GET", "POST"])
@login_required
def expire(issuer_id: int, public_id: str) -> Page:
    """Ask when, then make an award expire (its credential is signed again with that date)."""
    session = context.db_session()
    issuer, _member = service.get_issuer(session, _user_id(), issuer_id)
    award = awarding.get_issued_award(session, _user_id(), issuer.id, public_id)
    form = forms.ExpireForm()
    if form.validate_on_submit():
        at = None
        if form.on.data is not None:
            at = dt.datetime.combine(form.on.data, dt.time(23, 59, 59), tzinfo=dt.UTC)
        try:
            awarding.expire(
                session,
                _user_id(),
                issuer.id,
                public_id,
                at=at,
                base_url=context.config().base_url,
                data_keys=context.config().data_keys,
            )
        except errors.Invalid as error:
            form.on.errors = [*form.on.errors, error.message]
        else:
            flash(_("The award's expiry is set. Its earner's wallet will show it."), "success")
            return redirect(url_for("issuers.dashboard", issuer_id=issuer.id))
    page = render_template("issuers/expire.html", issuer=issuer, award=award, form=form)
    return page, 400 if form.errors else 200


@bp.route("/issuers/<int:issuer_id>/awards/<public_id>/replace", methods=["GET", "POST"])
@login_required
def replace(issuer_id: int, public_id: str) -> Page:
    """Correct an award: a new one is made and the old one revoked, pointing to the new."""
    session = context.db_session()
    issuer, _member = service.get_issuer(session, _user_id(), issuer_id)
    award = awarding.get_issued_award(session, _user_id(), issuer.id, public_id)
    form = forms.ReplaceForm(
        data=None
        if request.method == "POST"
        else {award.recipient_type: award.recipient_normalized, "name": award.recipient_name}
    )
    if form.validate_on_submit():
        try:
            awarding.replace(
                session,
                _user_id(),
                issuer.id,
                public_id,
                email=form.email.data or "",
                name=form.name.data or "",
                base_url=context.config().base_url,
                data_keys=context.config().data_keys,
            )
        except errors.Invalid as error:
            form.email.errors = [*form.email.errors, error.message]
        else:
            flash(
                _("The award was replaced. The old one is revoked and points to the new."),
                "success",
            )
            return redirect(url_for("issuers.dashboard", issuer_id=issuer.id))
    page = render_template("issuers/replace.html", issuer=issuer, award=award, form=form)
    return page, 400 if form.errors else 200


@bp.post("/issuers/<int:issuer_id>/achievements/<int:achievement_id>/upload")
@login_required
def upload(issuer_id: int, achievement_id: int) -> Page:
    """Award an achievement to everyone in a CSV file, in the background."""
    session = context.db_session()
    issuer, _member = service.get_issuer(session, _user_id(), issuer_id)
    form = forms.UploadForm()
    data = form.file.data.read(csv_awarding.MAX_BYTES + 1) if form.file.data else b""
    if not form.validate_on_submit() or not data:
        flash(_("Choose a CSV file."), "error")
        return redirect(
            url_for("issuers.achievement", issuer_id=issuer_id, achievement_id=achievement_id)
        )
    try:
        started = csv_awarding.start_upload(
            session, _user_id(), issuer.id, achievement_id, data, form.file.data.filename or ""
        )
    except errors.Invalid as error:
        flash(error.message, "error")
        return redirect(
            url_for("issuers.achievement", issuer_id=issuer_id, achievement_id=achievement_id)
        )
    return redirect(url_for("issuers.upload_page", issuer_id=issuer.id, upload_id=started.id))


@bp.get("/issuers/<int:issuer_id>/uploads/<int:upload_id>")
@login_required
def upload_page(issuer_id: int, upload_id: int) -> str:
    """How far a CSV upload has come, and what happened to each person."""
    session = context.db_session()
    issuer, _member = service.get_issuer(session, _user_id(), issuer_id)
    item, progress = csv_awarding.upload_for_member(session, _user_id(), issuer_id, upload_id)
    return render_template("issuers/upload.html", issuer=issuer, upload=item, progress=progress)


@bp.get("/issuers/<int:issuer_id>/uploads/<int:upload_id>/status")
@login_required
def upload_status(issuer_id: int, upload_id: int) -> Response:
    """The progress of an upload, as JSON, for the page's script to poll."""
    _item, progress = csv_awarding.upload_for_member(
        context.db_session(), _user_id(), issuer_id, upload_id
    )
    response = jsonify(progress.to_json())
    response.headers["Cache-Control"] = "no-store"
    return response
