"""Recommended next steps (blueprint ``recommendations``): the list, dismissing, following one.

The backpack page includes ``pathways/recommendations_section.html``; this blueprint gives it the
template global ``recommendation_token`` and the filter ``recommendation_reason``.
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

from wallet import errors
from wallet.pathways import recommend
from wallet.pathways import recommendation_links as links
from wallet.pathways import recommendation_queries as queries
from wallet.pathways import recommendation_service as service
from wallet.web import context
from wallet.web.auth import login_required
from wallet.web.nexturl import safe_next

bp = Blueprint("recommendations", __name__)

#: Recommendations on the full page (the backpack shows the first few).
PAGE_LIMIT = 20


def _user_id() -> int:
    return t.cast("int", current_user.id)


@bp.app_template_global("recommendation_token")
def recommendation_token(entry: service.Recommended) -> str:
    """Return the signed token that follows or dismisses ``entry`` for the signed-in earner."""
    item = entry.item
    return links.make(
        context.config().secret_key,
        links.Link(user_id=_user_id(), target=item.target, title=item.title, reason=item.reason),
    )


@bp.app_template_filter("recommendation_reason")
def recommendation_reason(item: recommend.Recommendation) -> str:
    """Return the sentence that says why ``item`` is recommended, in the reader's language."""
    params = item.reason_params
    sentence: str
    if item.reason == recommend.PATHWAY_LEVEL:
        sentence = _(
            "Completes level %(level)s of %(pathway)s",
            level=params.get("level", ""),
            pathway=params.get("pathway", ""),
        )
    elif item.reason == recommend.PATHWAY_NEXT:
        sentence = _("Next step on %(pathway)s", pathway=params.get("pathway", ""))
    elif item.reason == recommend.ISSUER_NEXT:
        sentence = _("Recommended next by %(issuer)s", issuer=params.get("issuer", ""))
    elif item.reason == recommend.SKILL_NEXT_LEVEL:
        sentence = _(
            "The next level of the skill %(skill)s you hold", skill=params.get("skill", "")
        )
    elif item.reason == recommend.SKILL_SHARED:
        sentence = _("Builds on the skill %(skill)s you hold", skill=params.get("skill", ""))
    else:
        sentence = _(
            "People who earned %(a)s often earn %(b)s", a=params.get("held", ""), b=item.title
        )
    return sentence


@bp.get("/wallet/recommendations")
@login_required
def index() -> str:
    """List what to earn next, with reasons, and the recommendations the earner dismissed."""
    session = context.db_session()
    runtime = context.runtime()
    shown = service.show(
        session, runtime.redis.client(), _user_id(), PAGE_LIMIT, base_url=runtime.config.base_url
    )
    return render_template(
        "pathways/recommendations.html",
        recommended=shown,
        dismissed=queries.dismissals(session, _user_id()),
    )


def _link(token: str) -> links.Link:
    link = links.read(context.config().secret_key, token, _user_id())
    if link is None:
        raise errors.NotFound(_("This recommendation does not exist."))
    return link


@bp.get("/wallet/recommendations/go/<token>")
@login_required
def follow(token: str) -> Response:
    """Record that the earner followed a recommendation, then go where it leads."""
    link = _link(token)
    base_url = context.config().base_url
    service.record_click(context.db_session(), _user_id(), link.target, link.reason, base_url)
    public_id = queries.platform_id(link.target, base_url)
    if public_id is not None:
        return redirect(url_for("recommendations.achievement", public_id=public_id))
    if link.target.startswith(("https://", "http://")):
        return redirect(link.target)
    raise errors.NotFound(_("This recommendation does not lead anywhere."))


@bp.post("/wallet/recommendations/dismiss")
@login_required
def dismiss() -> Response:
    """Stop recommending something to the earner; the recommendations page can undo it."""
    link = _link(request.form.get("token", ""))
    service.dismiss(context.db_session(), _user_id(), link.target, link.title)
    flash(
        _(
            "We will not recommend %(title)s again. You can undo this on the recommendations page.",
            title=link.title,
        ),
        "success",
    )
    return redirect(safe_next(request.form.get("next"), url_for("recommendations.index")))


@bp.post("/wallet/recommendations/dismissed/<int:dismissal_id>/undo")
@login_required
def undo(dismissal_id: int) -> Response:
    """Recommend a dismissed achievement again."""
    found = service.undo_dismissal(context.db_session(), _user_id(), dismissal_id)
    flash(_("%(title)s may be recommended again.", title=found.title or found.target), "success")
    return redirect(url_for("recommendations.index"))


@bp.get("/wallet/recommendations/achievements/<public_id>")
@login_required
def achievement(public_id: str) -> str:
    """Describe an achievement issued here: what it is, how to earn it, who issues it."""
    found = queries.achievement(context.db_session(), public_id)
    if found is None:
        raise errors.NotFound(_("This achievement does not exist."))
    return render_template("pathways/recommendations_achievement.html", achievement=found)
