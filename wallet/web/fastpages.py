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
import typing as t

from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import quote_etag
from werkzeug.utils import get_content_type
from werkzeug.wrappers import Request

from wallet.profiles import queries
from wallet.web import pagecache
from wallet.web import security

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

    from wallet.runtime import Runtime

log = logging.getLogger(__name__)

#: Path prefix of the earner pages the page cache keeps (``profiles.views``).
PREFIX = "/@"
#: Where the app keeps its ``CachedPages`` in ``app.extensions``.
DOOR = "wallet.door"


class CachedPages:
    """WSGI middleware answering anonymous GETs of cached earner pages without Flask."""

    def __init__(
        self,
        app: WSGIApplication,
        runtime: Runtime,
        pages: pagecache.PageStore,
        *,
        locales: t.Sequence[str],
        cookies: t.Collection[str],
    ) -> None:
        self.app = app
        self.runtime = runtime
        self.pages = pages
        self.locales = tuple(locales)
        #: Cookies that may make the page personal (a session: signed in, or a flash message).
        self.cookies = frozenset(cookies)
        #: Where the fingerprint query gets its DBAPI connection (``None``: the engine's pool).
        self.connect: t.Callable[[], t.Any] | None = None

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
        # The headers ``pagecache.serve`` and the app's after-request hooks give the same page.
        headers = [
            ("Content-Type", get_content_type(page.mimetype, "utf-8")),
            ("ETag", quote_etag(page.etag)),
            *pagecache.cache_headers(public=True, cors=page.cors),
            *security.headers(framed=False, secure=request.is_secure),
        ]
        if page.etag in request.if_none_match:
            start_response("304 NOT MODIFIED", headers)
            return []
        start_response("200 OK", [*headers, ("Content-Length", str(len(page.body)))])
        return [page.body]

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
