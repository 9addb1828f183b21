"""Public pages kept in Redis, and HTTP validators (ETag) on them.

A page is stored under a key that holds the *fingerprint* of what it shows (see
``profiles.queries.owner_by_handle``): any change to the data makes a new key, so a stale page is
never served and nothing has to be deleted (old keys run out on their own). Only pages for
visitors who are not signed in are stored: a signed-in page carries their own header and form
tokens. Pages also end by time (an award that expires), so each is kept no longer than asked.

Redis trouble never takes a page down: the page is then built as if nothing was cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import typing as t

import redis
from flask import request
from flask import session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from wallet.db import utcnow
from wallet.web import context

log = logging.getLogger(__name__)

#: Longest a page is kept, in seconds.
KEEP_SECONDS = 300
#: Prefix of every key of this cache.
PREFIX = "page:"


class Built(t.NamedTuple):
    """A page freshly built: its body, media type, and when it changes by itself (if ever)."""

    body: str | bytes
    mimetype: str
    expires: dt.datetime | None = None


def _storable() -> bool:
    """Return whether this visitor sees the same page as any other anonymous visitor."""
    return not current_user.is_authenticated and "_flashes" not in session


def _key(owner_id: int, fingerprint: str) -> str:
    where = hashlib.sha256(request.full_path.encode()).hexdigest()[:32]
    return f"{PREFIX}{owner_id}:{fingerprint}:{get_locale() or 'en'}:{where}"


def _seconds(expires: dt.datetime | None) -> int:
    if expires is None:
        return KEEP_SECONDS
    return max(0, min(KEEP_SECONDS, int((expires - utcnow()).total_seconds())))


def serve(
    owner_id: int,
    fingerprint: str,
    build: t.Callable[[], Built],
    *,
    cors: bool = False,
) -> Response:
    """Return the page from Redis when it is there, else build (and keep) it; with an ETag."""
    storable = _storable()
    key = _key(owner_id, fingerprint) if storable else ""
    client = context.runtime().redis.client()
    stored: bytes | None = None
    if storable:
        try:
            stored = t.cast("bytes | None", client.get(key))
        except redis.RedisError:
            log.warning("page cache unavailable", exc_info=True)
    if stored is not None:
        head, _, body = stored.partition(b"\n")
        mimetype = json.loads(head)["mimetype"]
        response = Response(body, mimetype=mimetype)
    else:
        built = build()
        response = Response(built.body, mimetype=built.mimetype)
        seconds = _seconds(built.expires)
        if storable and seconds > 0:
            head = json.dumps({"mimetype": built.mimetype}).encode()
            try:
                client.set(key, head + b"\n" + response.get_data(), ex=seconds)
            except redis.RedisError:
                log.warning("page cache unavailable", exc_info=True)
    return validated(response, public=storable, cors=cors)


def validated(response: Response, *, public: bool, cors: bool = False) -> Response:
    """Add an ETag and caching headers, and answer 304 when the client has this version."""
    response.add_etag()
    # Caches may keep the page but must ask again each time; the ETag makes asking cheap.
    response.headers["Cache-Control"] = "public, no-cache" if public else "private, no-cache"
    response.vary.update(("Cookie", "Accept-Language"))
    if cors:
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)
