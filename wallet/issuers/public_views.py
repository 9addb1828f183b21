"""The documents issuers publish (blueprint ``ob``): open to anyone, forever, as JSON-LD.

Anyone verifying a badge fetches these: the hosted OB 2.0 assertion, its BadgeClass and Issuer,
the revocation list, the OB 3.0 Profile with the signing key, the status list, the credential.
"""

from __future__ import annotations

import json

from flask import Blueprint
from flask import request
from sqlalchemy import select
from werkzeug.wrappers import Response

from wallet import errors
from wallet.issuers.models import Achievement
from wallet.issuers.pictures import picture_of
from wallet.issuers.publishing import Publisher
from wallet.web import context

bp = Blueprint("ob", __name__)


def _json(document: dict[str, object]) -> Response:
    response = Response(json.dumps(document, indent=2), mimetype="application/ld+json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=300"
    # Verifiers re-check badges often: once the copy they hold is stale, asking costs a 304.
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/ob/<path:path>")
def document(path: str) -> Response:
    """Serve a published document (see ``wallet.issuers.documents`` for the URLs)."""
    config = context.config()
    found = Publisher(context.db_session(), config.base_url, config.data_keys).document(
        request.path
    )
    if found is None:
        raise errors.NotFound("No such document.")
    return _json(found)


@bp.get("/ob/v2/badges/<public_id>/image")
def badge_image(public_id: str) -> Response:
    """The achievement's picture: its upload (an SVG cleaned when stored) or one we draw."""
    achievement = context.db_session().scalar(
        select(Achievement).where(Achievement.public_id == public_id)
    )
    if achievement is None:
        raise errors.NotFound("No such badge.")
    media_type, data = picture_of(
        achievement.name, achievement.public_id, achievement.image, achievement.image_type
    )
    response = Response(data, mimetype=media_type)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    response.add_etag()
    return response.make_conditional(request)
