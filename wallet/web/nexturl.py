"""Safe ``next`` redirects: only paths on this site, never another host."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    """Return ``target`` when it is a local path, else ``default``.

    Rejects absolute URLs, scheme-relative ``//host`` paths, backslash tricks browsers treat as
    ``//``, and control characters.
    """
    if not target:
        return default
    if any(ord(char) < 32 or char == "\\" for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
