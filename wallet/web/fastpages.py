"""The door to earners' cached public pages: answered before Flask, in one SQL statement and
one Redis read.

Employers open ``/@handle`` and ``/@handle/skills`` far more often than earners change them, and
``wallet.web.pagecache`` already keeps each such page for anonymous visitors under a key built
from the fingerprint of what it shows. For a request that page could be served from, running the
whole Flask stack (sessions, sign-in, rate limits, Babel, an ORM session and its rollback) costs
several times the page itself. This WSGI middleware rebuilds the same key from the request, the
same fingerprint statement (``profiles.queries.owner_by_handle``, on a bare connection) and the
same language choice, and answers when the page is there; anything else (a miss, a cookie, any
other method or path, Redis or the database failing) goes to Flask unchanged. So a stale page is
never served: the fingerprint is read from the database on every request, as on the slow path.

Rate limits do not apply to a hit: it costs less than the limiter's own bookkeeping, and a miss
(an unknown handle, a query nobody asked before) still passes through the limited slow path.
"""

from __future__ import annotations

import logging
import threading
import typing as t

from cachetools import LRUCache
from flask_compress.flask_compress import _choose_algorithm
from flask_compress.flask_compress import _compress_data
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import quote_etag
from werkzeug.utils import get_content_type
from werkzeug.wrappers import Request

from wallet.extensions import compress
from wallet.profiles import queries
from wallet.web import pagecache
from wallet.web import security

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment
    from flask import Flask

    from wallet.runtime import Runtime

log = logging.getLogger(__name__)

#: Path prefix of the earner pages the page cache keeps (``profiles.views``).
PREFIX = "/@"
#: Where the app keeps its ``CachedPages`` in ``app.extensions``.
DOOR = "wallet.door"
#: Bytes of compressed pages kept in memory (each compressed once per encoding, as served).
ENCODED_BYTES = 8 << 20


class CachedPages:
    """WSGI middleware answering anonymous GETs of cached earner pages without Flask."""

    def __init__(
        self,
        app: WSGIApplication,
        flask: Flask,
        runtime: Runtime,
        pages: pagecache.PageStore,
        *,
        locales: t.Sequence[str],
        cookies: t.Collection[str],
    ) -> None:
        self.app = app
        #: The Flask app, for its compression settings (Flask-Compress) and algorithms.
        self.flask = flask
        self.runtime = runtime
        self.pages = pages
        self.locales = tuple(locales)
        #: Cookies that may make the page personal (a session: signed in, or a flash message).
        self.cookies = frozenset(cookies)
        #: Where the fingerprint query gets its DBAPI connection (``None``: the engine's pool).
        self.connect: t.Callable[[], t.Any] | None = None
        self._encoded: LRUCache[tuple[str, str], bytes] = LRUCache(
            maxsize=ENCODED_BYTES, getsizeof=len
        )
        self._lock = threading.Lock()

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> t.Iterable[bytes]:
        """Serve the request from the page cache when it can be, else pass it to the app."""
        if environ.get("REQUEST_METHOD") == "GET" and environ.get("PATH_INFO", "").startswith(
            PREFIX
        ):
            request = Request(environ)
            if not self.cookies.intersection(request.cookies):
                page = self._cached(request)
                if page is not None:
                    return self._answer(request, page, start_response)
        return self.app(environ, start_response)

    def _answer(
        self, request: Request, page: pagecache.Stored, start_response: StartResponse
    ) -> t.Iterable[bytes]:
        # The headers ``pagecache.serve``, the app's after-request hooks and Flask-Compress give
        # the same page: compressed alike, with the ETag of what is sent.
        body, etag = page.body, page.etag
        encoding = self._encoding(request, page)
        if encoding is not None:
            body, etag = self._encode(page, encoding), f"{page.etag}:{encoding}"
        headers = [
            ("Content-Type", get_content_type(page.mimetype, "utf-8")),
            ("ETag", quote_etag(etag)),
            *pagecache.cache_headers(public=True, cors=page.cors),
            *security.headers(framed=False, secure=request.is_secure),
        ]
        headers = [
            (name, f"{value}, Accept-Encoding" if name == "Vary" else value)
            for name, value in headers
        ]
        if etag in request.if_none_match:
            start_response("304 NOT MODIFIED", headers)
            return []
        if encoding is not None:
            headers.append(("Content-Encoding", encoding))
        start_response("200 OK", [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def _encoding(self, request: Request, page: pagecache.Stored) -> str | None:
        config = self.flask.config
        if page.mimetype not in config["COMPRESS_MIMETYPES"]:
            return None
        if len(page.body) < config["COMPRESS_MIN_SIZE"]:
            return None
        accepted = request.headers.get("Accept-Encoding", "")
        return _choose_algorithm(tuple(compress.enabled_algorithms), accepted)

    def _encode(self, page: pagecache.Stored, encoding: str) -> bytes:
        with self._lock:
            found = self._encoded.get((page.etag, encoding))
        if found is None:
            found = _compress_data(self.flask, page.body, encoding)
            if len(found) <= self._encoded.maxsize:
                with self._lock:
                    self._encoded[(page.etag, encoding)] = found
        return found

    def _cached(self, request: Request) -> pagecache.Stored | None:
        handle = request.path[len(PREFIX) :].partition("/")[0]
        if not handle:
            return None
        locale = (
            request.accept_languages.best_match(self.locales) or self.runtime.config.default_locale
        )
        try:
            owner = queries.fingerprint_by_handle(self.runtime.db.engine, handle, self.connect)
        except SQLAlchemyError:
            log.warning("cached page door unavailable; the app answers", exc_info=True)
            return None
        if owner is None:
            return None
        key = pagecache.key(owner[0], owner[1], locale, request.full_path)
        return self.pages.get(key)
