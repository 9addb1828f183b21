"""Public award pages and everything that shares them (blueprint ``sharing``).

Every route starts from ``service.shared_award``, which asks ``backpack.policy``: a private award
is "not found" on its page, preview, QR code, embed, downloads and share links alike.
"""

from __future__ import annotations

import hashlib
import io
import typing as t

import segno
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
from wallet.backpack import service as backpack
from wallet.issuers.publishing import own_documents_first
from wallet.sharing import baked
from wallet.sharing import counting
from wallet.sharing import links
from wallet.sharing import preview
from wallet.sharing import service
from wallet.sharing import structured
from wallet.web import context
from wallet.web import pagecache
from wallet.web.ratelimit import rate_limit
from wallet.web.security import embeddable

bp = Blueprint("sharing", __name__)
#: The policy of a served image or download: nothing in it may run, even opened on its own.
LOCKED_DOWN = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def _viewer_id() -> int | None:
    return t.cast("int", current_user.id) if current_user.is_authenticated else None


def _shared(public_id: str) -> service.SharedAward:
    return service.shared_award(
        context.db_session(), public_id, _viewer_id(), base_url=context.config().base_url
    )


def _absolute(endpoint: str, **values: t.Any) -> str:
    """Return the canonical absolute URL (``BASE_URL``, not whatever host the request named)."""
    return context.config().base_url + url_for(endpoint, **values)


def _viewer() -> str:
    return counting.viewer_key(
        context.config().secret_key,
        user_id=_viewer_id(),
        address=request.remote_addr or "",
        user_agent=request.headers.get("User-Agent", ""),
    )


def _card(shared: service.SharedAward) -> preview.Card:
    state = shared.award.state()
    warning = {"revoked": _("Revoked"), "expired": _("Expired")}.get(state, "")
    if state == "invalid":
        warning = _("Not valid")
    return preview.Card(
        title=shared.award.achievement_name or _("Untitled badge"),
        issuer=shared.issuer_name or _("an unknown issuer"),
        warning=warning,
        site=_("The Wallet"),
        issued_by=_("Issued by"),
    )


@bp.get("/a/<public_id>")
def public(public_id: str) -> Response:
    """A public award: what it is, who issued it to whom, its checks, and ways to share it.

    The page carries the visitor's form token, so it is private to them, but it has an ETag: a
    browser coming back gets a 304 when nothing on it changed (the view is still counted).
    """
    shared = _shared(public_id)
    award = shared.award
    viewer_id = _viewer_id()
    is_owner = viewer_id == award.user_id
    if not counting.is_bot(request.headers.get("User-Agent", "")):
        service.record_view(
            context.db_session(),
            context.runtime().redis.client(),
            shared,
            _viewer(),
            is_owner=is_owner,
        )
    page_url = _absolute("sharing.public", public_id=public_id)
    preview_url = _absolute("sharing.preview_image", public_id=public_id)
    certification = shared.certification(page_url)
    jsonld = structured.credential_jsonld(
        name=award.achievement_name,
        description=str(award.details.get("description") or ""),
        page_url=page_url,
        image_url=preview_url,
        category=award.achievement_type,
        issuer_name=shared.issuer_name,
        issuer_url=shared.issuer.url if shared.issuer else award.issuer_id,
        issued=award.issued_at,
        expires=award.expires_at,
        skills=award.details.get("alignments") or [],
        identifier=certification.cert_id,
    )
    title = _card(shared).title
    html = render_template(
        "sharing/award.html",
        shared=shared,
        award=award,
        is_owner=is_owner,
        page_url=page_url,
        preview_url=preview_url,
        og_title=_("%(badge)s, issued by %(issuer)s", badge=title, issuer=shared.issuer_name),
        og_description=_(
            "%(earner)s earned %(badge)s from %(issuer)s. See it and its verification.",
            earner=shared.earner_name,
            badge=title,
            issuer=shared.issuer_name,
        ),
        jsonld=structured.json_for_script(jsonld),
        certification=certification,
        add_to_profile=links.add_to_profile_url(certification),
        channels=CHANNEL_NAMES,
        embed_code=_embed_code(public_id, title),
    )
    return pagecache.validated(Response(html, mimetype="text/html"), public=False)


#: How each share channel is named on its button.
CHANNEL_NAMES = {
    "linkedin": "LinkedIn",
    "x": "X",
    "facebook": "Facebook",
    "email": "Email",
}


def _embed_code(public_id: str, title: str) -> str:
    src = _absolute("sharing.embed", public_id=public_id)
    # Jinja escapes the snippet when it is shown; here it is only assembled.
    escaped = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return (
        f'<iframe src="{src}" title="{escaped}" width="360" height="440" '
        'style="border:0;max-width:100%" loading="lazy"></iframe>'
    )


@bp.post("/a/<public_id>/recheck")
@rate_limit(lambda: "3 per minute;20 per hour")
@rate_limit(lambda: "30 per hour", key=lambda: "recheck-award:" + request.path)
def recheck(public_id: str) -> Response:
    """Verify a public award again now, for whoever reads its page (limited: it fetches)."""
    session = context.db_session()
    backpack.recheck_public_award(
        session,
        public_id,
        _viewer_id(),
        fetch=own_documents_first(session, context.config(), context.runtime().http.get),
        base_url=context.config().base_url,
    )
    flash(_("Checked again just now."), "success")
    return redirect(url_for("sharing.public", public_id=public_id) + "#checks-heading")


@bp.get("/a/<public_id>/preview.png")
def preview_image(public_id: str) -> Response:
    """The 1200 x 627 picture social sites show beside a shared link."""
    shared = _shared(public_id)
    data = service.preview_image(
        context.db_session(), context.runtime().redis.client(), shared, _card(shared)
    )
    return _public_file(data, "image/png")


@bp.get("/a/<public_id>/qr.svg")
def qr_code(public_id: str) -> Response:
    """A QR code of the award's public page, as SVG."""
    _shared(public_id)
    out = io.BytesIO()
    code = segno.make(_absolute("sharing.public", public_id=public_id), error="m")
    code.save(out, kind="svg", scale=6, border=2, xmldecl=False, svgns=True, title=None)
    return _public_file(out.getvalue(), "image/svg+xml")


@bp.get("/a/<public_id>/baked.<any(png, svg):kind>")
@rate_limit(lambda: "30 per minute", methods=("GET",))
def download(public_id: str, kind: str) -> Response:
    """The award's picture with its credential baked in, to keep or upload elsewhere."""
    shared = _shared(public_id)
    kind = t.cast("baked.Kind", kind)
    data = service.baked_image(
        context.db_session(), context.runtime().redis.client(), shared, kind, _viewer()
    )
    response = Response(data, mimetype=baked.MEDIA_TYPES[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="badge-{public_id}.{kind}"'
    response.headers["Content-Security-Policy"] = LOCKED_DOWN
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/a/<public_id>/embed")
@embeddable
def embed(public_id: str) -> str:
    """A small card of the award for other sites to frame (the only frameable page)."""
    shared = _shared(public_id)
    return render_template("sharing/embed.html", shared=shared, award=shared.award)


@bp.route("/a/<public_id>/share/<channel>", methods=["GET", "POST"])
@rate_limit(lambda: "30 per minute", methods=("GET", "POST"))
def share(public_id: str, channel: str) -> Response:
    """Record that the earner shared their award on ``channel``, then go there.

    A POST (the copy button's beacon) records only and answers 204.
    """
    shared = _shared(public_id)
    # Copying happens on the page (a POST beacon); every other channel is a link to follow.
    follows = channel in service.SHARE_CHANNELS and channel != "copy"
    if (request.method == "GET" and not follows) or (
        request.method == "POST" and channel != "copy"
    ):
        raise errors.NotFound(_("There is no such way to share."))
    service.record_share(context.db_session(), shared, channel, _viewer_id())
    if request.method == "POST":
        return Response(status=204)
    page_url = _absolute("sharing.public", public_id=public_id)
    if channel == "linkedin-profile":
        target = links.add_to_profile_url(shared.certification(page_url))
    else:
        title = _card(shared).title
        target = links.share_url(channel, page_url, title)
    return redirect(target)


def _public_file(data: bytes, media_type: str) -> Response:
    """Serve a file derived from a public award; caches must ask again (it may go private)."""
    response = Response(data, mimetype=media_type)
    response.headers["Cache-Control"] = "public, no-cache"
    if media_type == "image/svg+xml":
        response.headers["Content-Security-Policy"] = LOCKED_DOWN
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    return response.make_conditional(request)
