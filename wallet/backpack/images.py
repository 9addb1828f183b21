"""An award's picture: taken from its original when baked, else fetched once at import.

The type is decided by the bytes, never by what a server claims. SVG pictures are kept as sent and
served only with headers that stop them running as documents (see ``views.image_response``).
"""

from __future__ import annotations

import base64
import binascii
import typing as t
import urllib.parse

from wallet.http import IMAGE_MAX_BYTES
from wallet.http import FetchError

if t.TYPE_CHECKING:
    from wallet.http import Fetched

#: Media types an award picture may have, as ``accept`` for fetching one.
IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg", "image/gif", "image/webp")


class ImageFetch(t.Protocol):
    """GET an image through the SSRF guard (``HttpClient.get``)."""

    def __call__(self, url: str, *, accept: t.Sequence[str], max_bytes: int) -> Fetched: ...


def sniff(data: bytes) -> str | None:
    """Return the image type ``data`` really is, or None if it is none we show."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:1024].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096].lower()):
        return "image/svg+xml"
    return None


def picture(url: str, fetch: ImageFetch) -> tuple[str, bytes] | None:
    """Return (media type, bytes) of the picture at ``url`` (http(s) or data:), None if unusable."""
    if url.startswith("data:"):
        data = _data_url(url)
    else:
        try:
            data = fetch(url, accept=IMAGE_TYPES, max_bytes=IMAGE_MAX_BYTES).content
        except FetchError:
            return None
    media_type = sniff(data) if data else None
    return (media_type, data) if media_type else None


def _data_url(url: str) -> bytes:
    header, _, payload = url.partition(",")
    if len(payload) > IMAGE_MAX_BYTES * 4 // 3 + 4:
        return b""
    try:
        if header.endswith(";base64"):
            return base64.b64decode(payload, validate=False)
        return urllib.parse.unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return b""
