"""Share links for employers (blueprint ``share_links``): the earner's list, and the link itself."""

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
from wallet.db import utcnow
from wallet.profiles import forms
from wallet.profiles import queries
from wallet.profiles import service
from wallet.web import context
from wallet.web.auth import login_required

bp = Blueprint("share_links", __name__)

Page = str | Response | tuple[str, int]


def _me() -> int:
    return t.cast("int", current_user.id)


def _page(form: forms.ShareLinkForm, status: int = 200, token: str = "") -> tuple[str, int]:
    session = context.db_session()
    now = utcnow()
    awards = queries.accepted_awards_of(session, _me())
    owner = queries.owner_of(session, _me())
    mine = service.skills_of(owner, awards, now)
    form.awards.choices = [
        SelectChoice(str(a.id), a.achievement_name or _("Untitled badge")) for a in awards
    ]
    form.skills.choices = [SelectChoice(s.key, s.name) for s in mine.skills]
    return render_template(
        "profiles/share_links.html",
        form=form,
        links=queries.share_links_of(session, _me()),
        now=now,
        token=token,
    ), status


@bp.route("/wallet/share-links", methods=["GET", "POST"])
@login_required
def index() -> Page:
    """List the earner's share links, and make a new one."""
    form = forms.ShareLinkForm()
    if request.method == "GET":
        return _page(form)
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        expires_at = service.link_expiry(
            utcnow(),
            days=int(form.days.data) if form.days.data in ("7", "30", "90") else None,
            until=form.until.data if form.days.data == "date" else None,
        )
        if form.days.data == "date" and form.until.data is None:
            raise errors.Invalid(_("Choose the date the link stops working."), field="until")
        _link, token = service.create_share_link(
            context.db_session(),
            _me(),
            name=form.name.data or "",
            award_ids=[int(i) for i in form.awards.data or [] if i.isdigit()],
            skill_keys=list(form.skills.data or []),
            expires_at=expires_at,
        )
    except errors.Invalid as error:
        target = getattr(form, error.field or "", None) or form.awards
        target.errors = [*target.errors, error.message]
        return _page(form, 400)
    flash(_("Your link is ready. Copy it now: it is shown only once."), "success")
    return _page(forms.ShareLinkForm(formdata=None), 201, token=token)


@bp.route("/wallet/share-links/<int:link_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke(link_id: int) -> Page:
    """Ask, then make a share link stop working at once."""
    session = context.db_session()
    link = service.get_share_link(session, _me(), link_id)
    if request.method == "GET":
        return render_template("profiles/confirm_revoke_link.html", link=link)
    service.revoke_share_link(session, _me(), link_id)
    flash(_("The link “%(name)s” no longer works.", name=link.name), "success")
    return redirect(url_for("share_links.index"))


@bp.get("/s/<token>")
def shared(token: str) -> Page:
    """What an employer sees through a share link: exactly what the earner chose, while it works."""
    try:
        page = service.open_share_link(context.db_session(), token)
    except errors.Gone as error:
        return render_template("profiles/link_gone.html", message=error.message), 410
    html = render_template(
        "profiles/shared.html",
        page=page,
        owner=page.owner,
        now=utcnow(),
    )
    response = Response(html, mimetype="text/html")
    # Personal, possibly private badges: never kept by any cache, never sent on as a referrer.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
