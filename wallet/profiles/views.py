"""Public pages of an earner (blueprint ``profiles``): profile, skills, their JSON, the directory.

Every page here is public: it shows only what ``backpack.policy.public_awards()`` lets a stranger
see, is kept in Redis for anonymous visitors (``wallet.web.pagecache``) and carries an ETag.
"""

from __future__ import annotations

import json
import typing as t

from flask import Blueprint
from flask import render_template
from flask import request
from werkzeug.wrappers import Response

from wallet.db import utcnow
from wallet.profiles import queries
from wallet.profiles import service
from wallet.web import context
from wallet.web import pagecache

bp = Blueprint("profiles", __name__)

#: Longest filter value read from the query string.
MAX_FILTER = 300


@bp.get("/@<handle>")
def profile(handle: str) -> Response:
    """The earner's headline and public awards, grouped by issuer and type."""
    session = context.db_session()
    owner = service.find_owner(session, handle)

    def build() -> pagecache.Built:
        page = service.profile(session, owner, utcnow())
        html = render_template("profiles/profile.html", owner=owner, page=page)
        return pagecache.Built(html, "text/html", page.expires)

    return pagecache.serve(owner.id, owner.fingerprint, build)


def _filters() -> dict[str, str]:
    return {
        "framework": request.args.get("framework", "")[:MAX_FILTER],
        "issuer": request.args.get("issuer", "")[:MAX_FILTER],
    }


@bp.get("/@<handle>/skills")
def skills(handle: str) -> Response:
    """The earner's verified skills, with the awards, issuers and evidence behind each."""
    session = context.db_session()
    owner = service.find_owner(session, handle)
    filters = _filters()

    def build() -> pagecache.Built:
        page = service.skills_page(session, owner, utcnow(), **filters)
        html = render_template(
            "profiles/skills.html", owner=owner, page=page, filters=filters, shared=None
        )
        return pagecache.Built(html, "text/html", page.expires)

    return pagecache.serve(owner.id, owner.fingerprint, build)


@bp.get("/@<handle>/skills.json")
def skills_json(handle: str) -> Response:
    """The skills page for machines: JSON, readable from any origin."""
    session = context.db_session()
    owner = service.find_owner(session, handle)
    filters = _filters()

    def build() -> pagecache.Built:
        page = service.skills_page(session, owner, utcnow(), **filters)
        document = {
            "handle": owner.handle,
            "name": owner.display_name,
            "headline": owner.headline,
            "page": request.base_url.removesuffix(".json"),
            "presentation": request.base_url.removesuffix(".json") + "/presentation.json",
            "filters": filters,
            "skills": [skill.to_json() for skill in page.skills],
        }
        return pagecache.Built(_json(document), "application/json", page.expires)

    return pagecache.serve(owner.id, owner.fingerprint, build, cors=True)


@bp.get("/@<handle>/skills/presentation.json")
def presentation(handle: str) -> Response:
    """The credentials behind the skills page, in an unsigned W3C VerifiablePresentation.

    Each credential keeps its issuer's signature, so an employer's system verifies each itself.
    """
    session = context.db_session()
    owner = service.find_owner(session, handle)

    def build() -> pagecache.Built:
        page = service.skills_page(session, owner, utcnow())
        document = service.presentation(session, page.award_ids)
        return pagecache.Built(_json(document), "application/json", page.expires)

    return pagecache.serve(owner.id, owner.fingerprint, build, cors=True)


def _json(document: t.Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


@bp.get("/directory")
def directory() -> Response:
    """Earners who chose to be listed, found by skill and issuer."""
    skill = request.args.get("skill", "").strip()[:100]
    issuer = request.args.get("issuer", "").strip()[:100]
    page = max(1, request.args.get("page", 1, type=int) or 1)
    found, more = queries.directory(
        context.db_session(), skill=skill, issuer=issuer, now=utcnow(), page=page
    )
    html = render_template(
        "profiles/directory.html",
        found=found,
        more=more,
        page=page,
        skill=skill,
        issuer=issuer,
        searched=bool(skill or issuer),
    )
    return pagecache.validated(Response(html, mimetype="text/html"), public=False)
