"""Public pages kept in Redis, and HTTP validators (ETag) on them.

A page is stored under a key that holds the *fingerprint* of what it shows (see
``profiles.queries.owner_by_handle``): any change to the data makes a new key, so a stale page is
never served and nothing has to be deleted (old keys run out on their own). Only pages for
visitors who are not signed in are stored: a signed-in page carries their own header and form
tokens. Pages also end by time (an award that expires), so each is kept no longer than asked.

Each process also keeps the pages it served last in memory (``PageStore``), in front of Redis:
the keys carry the fingerprint, so a near copy is exactly as fresh as the Redis one, and the
fingerprint is read from the database on every request either way.

Redis trouble never takes a page down: the page is then built as if nothing was cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import threading
import time
import typing as t

import redis
from cachetools import LRUCache
from flask import current_app
from flask import request
from flask import session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.http import generate_etag
from werkzeug.wrappers import Response

from wallet.db import utcnow

if t.TYPE_CHECKING:
    from wallet.redis_store import RedisStore

log = logging.getLogger(__name__)

#: Longest a page is kept, in seconds.
KEEP_SECONDS = 300
#: Prefix of every key of this cache.
PREFIX = "page:"
#: Bytes of pages each process keeps in memory (the least recently served go first).
NEAR_BYTES = 16 << 20
#: Where the app keeps its ``PageStore`` in ``app.extensions``.
EXTENSION = "wallet.pages"


class Built(t.NamedTuple):
    """A page freshly built: its body, media type, and when it changes by itself (if ever)."""

    body: str | bytes
    mimetype: str
    expires: dt.datetime | None = None


class PageStore:
    """Pages kept in this process's memory (least recently used go first) and in Redis."""

    def __init__(self, redis_store: RedisStore, near_bytes: int = NEAR_BYTES) -> None:
        self.redis = redis_store
        self._near: LRUCache[str, Stored] = LRUCache(
            maxsize=near_bytes, getsizeof=lambda page: len(page.body) + 256
        )
        self._lock = threading.Lock()

    def get(self, key: str) -> Stored | None:
        """Return the page kept under ``key``, from memory when it is there, else from Redis."""
        with self._lock:
            page = self._near.get(key)
        if page is None:
            try:
                found = t.cast("bytes | None", self.redis.client().get(key))
            except redis.RedisError:
                log.warning("page cache unavailable", exc_info=True)
                return None
            if found is None:
                return None
            page = Stored.load(found)
            self._keep_near(key, page)
        return page if page.until > time.time() else None

    def put(self, key: str, page: Stored) -> None:
        """Keep ``page`` under ``key`` until it ends, here and in Redis."""
        self._keep_near(key, page)
        try:
            self.redis.client().set(key, page.dump(), exat=math.ceil(page.until))
        except redis.RedisError:
            log.warning("page cache unavailable", exc_info=True)

    def _keep_near(self, key: str, page: Stored) -> None:
        if len(page.body) + 256 <= self._near.maxsize:
            with self._lock:
                self._near[key] = page


def _storable() -> bool:
    """Return whether this visitor sees the same page as any other anonymous visitor."""
    return not current_user.is_authenticated and "_flashes" not in session


def key(owner_id: int, fingerprint: str, locale: str, full_path: str) -> str:
    """Return where the page at ``full_path`` (path and query) of this data and language is kept."""
    where = hashlib.sha256(full_path.encode()).hexdigest()[:32]
    return f"{PREFIX}{owner_id}:{fingerprint}:{locale}:{where}"


class Stored(t.NamedTuple):
    """A page as kept: its body and what its headers need."""

    body: bytes
    mimetype: str
    etag: str
    cors: bool
    #: When it stops being served (seconds since the epoch).
    until: float

    def dump(self) -> bytes:
        """Return the bytes kept in Redis: a JSON line of metadata, then the body."""
        head = {
            "mimetype": self.mimetype,
            "etag": self.etag,
            "cors": self.cors,
            "until": self.until,
        }
        return json.dumps(head).encode() + b"\n" + self.body

    @classmethod
    def load(cls, stored: bytes) -> Stored:
        """Return the page ``dump`` kept."""
        head, _, body = stored.partition(b"\n")
        meta = json.loads(head)
        return cls(
            body, meta["mimetype"], meta.get("etag", ""), bool(meta.get("cors")), meta["until"]
        )

    def response(self) -> Response:
        """Return the page as a response with its validators and cache headers."""
        response = Response(self.body, mimetype=self.mimetype)
        response.set_etag(self.etag or generate_etag(self.body))
        return headed(response, public=True, cors=self.cors)


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
    where = key(owner_id, fingerprint, str(get_locale() or "en"), request.full_path)
    store = t.cast("PageStore", current_app.extensions[EXTENSION])
    if storable:
        found = store.get(where)
        if found is not None:
            return found.response().make_conditional(request)
    built = build()
    body = built.body.encode() if isinstance(built.body, str) else built.body
    seconds = _seconds(built.expires)
    if storable and seconds > 0:
        page = Stored(body, built.mimetype, generate_etag(body), cors, time.time() + seconds)
        store.put(where, page)
    return validated(Response(body, mimetype=built.mimetype), public=storable, cors=cors)


def validated(response: Response, *, public: bool, cors: bool = False) -> Response:
    """Add an ETag and caching headers, and answer 304 when the client has this version."""
    response.add_etag()
    return headed(response, public=public, cors=cors).make_conditional(request)


def cache_headers(*, public: bool, cors: bool) -> list[tuple[str, str]]:
    """Return the caching headers of a public or private page (CORS for machine-readable ones)."""
    # Caches may keep the page but must ask again each time; the ETag makes asking cheap.
    found = [
        ("Cache-Control", "public, no-cache" if public else "private, no-cache"),
        ("Vary", "Cookie, Accept-Language"),
    ]
    if cors:
        found.append(("Access-Control-Allow-Origin", "*"))
    return found


def headed(response: Response, *, public: bool, cors: bool) -> Response:
    """Add ``cache_headers`` to ``response``."""
    for name, value in cache_headers(public=public, cors=cors):
        response.headers[name] = value
    return response
