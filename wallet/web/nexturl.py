"""Safe ``next`` redirects: only paths on this site, never another host."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    """Return ``target`` when it is a local path, else ``default``.

    Rejects absolute URLs, scheme-relative ``//host`` paths, backslash tricks browsers treat as
    ``//``, and control characters (browsers drop tabs and newlines: ``/\\t/host`` is ``//host``).
    """
    # Test "//" before urlsplit, which raises on input such as "//[" instead of answering.
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if any(ord(char) < 32 or ord(char) == 127 or char == "\\" for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
