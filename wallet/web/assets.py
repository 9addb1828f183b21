"""Fingerprinted static files: every ``url_for('static', ...)`` carries a hash of the file.

A URL that names the file's current content never changes meaning, so browsers and CDNs may keep
it for a year without asking again (``immutable``); a new release changes the hash, hence the URL.
A static URL without the hash (or with an old one) still works, with the ordinary short-lived
caching, so links held by mail clients or old pages keep resolving.
"""

from __future__ import annotations

import hashlib
import os
import typing as t

from flask import Flask
from flask import request
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

#: The query parameter that carries the fingerprint.
PARAMETER = "v"
#: What a fingerprinted response may be kept for: a year, never revalidated.
IMMUTABLE = "public, max-age=31536000, immutable"
#: Cache-Control of a static file asked for without its current fingerprint.
REVALIDATE = "public, no-cache"


class Fingerprints:
    """Content hashes of the files of one static folder, kept while the file is unchanged."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._known: dict[str, tuple[tuple[int, int], str]] = {}

    def of(self, filename: str) -> str | None:
        """Return the fingerprint of ``filename`` (relative to the folder), or None if absent."""
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        # Size and modification time tell a changed file without reading it on every URL.
        version = (stat.st_mtime_ns, stat.st_size)
        known = self._known.get(filename)
        if known is not None and known[0] == version:
            return known[1]
        with open(path, "rb") as file:
            digest = hashlib.sha256(file.read()).hexdigest()[:12]
        self._known[filename] = (version, digest)
        return digest


def init_app(app: Flask) -> None:
    """Fingerprint every static URL the app builds, and cache fingerprinted responses for long."""
    if app.static_folder is None:
        return
    fingerprints = Fingerprints(app.static_folder)

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict[str, t.Any]) -> None:
        if endpoint != "static" or PARAMETER in values or "filename" not in values:
            return
        digest = fingerprints.of(str(values["filename"]))
        if digest is not None:
            values[PARAMETER] = digest

    @app.after_request
    def _cache(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        asked = request.args.get(PARAMETER)
        filename = str((request.view_args or {}).get("filename", ""))
        current = asked and fingerprints.of(filename) == asked
        response.headers["Cache-Control"] = IMMUTABLE if current else REVALIDATE
        return response
