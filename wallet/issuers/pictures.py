"""Achievement pictures: an issuer's upload checked and cleaned, or one the platform draws. Pure.

An uploaded SVG is cleaned by svg-hush (Cloudflare's SVG sanitiser: no scripts, no event
handlers, no external references) before it is stored, so what we serve is safe to show; the
route still sends it with a locked-down Content-Security-Policy.
"""

from __future__ import annotations

import hashlib
from xml.sax.saxutils import escape

import py_svg_hush

from wallet.backpack.images import sniff
from wallet.errors import Invalid
from wallet.messages import N_
from wallet.messages import Message

#: Largest picture an issuer may upload.
MAX_BYTES = 1024 * 1024
_COLOURS = ("#0b5cad", "#6b3fa0", "#1a6e35", "#8a5a00", "#b00020", "#005f73")


def clean_upload(data: bytes) -> tuple[str, bytes]:
    """Return (media type, bytes) of an uploaded PNG or SVG, the SVG sanitised; else Invalid."""
    if len(data) > MAX_BYTES:
        raise Invalid(
            Message(N_("The picture is larger than %(size)d KB."), size=MAX_BYTES // 1024)
        )
    kind = sniff(data)
    if kind == "image/png":
        return kind, data
    if kind == "image/svg+xml":
        try:
            cleaned = py_svg_hush.filter_svg(data)
        except Exception as error:  # the sanitiser raises its own types for bad XML
            raise Invalid(Message(N_("This SVG picture cannot be read."))) from error
        return kind, bytes(cleaned)
    raise Invalid(Message(N_("Upload the picture as a PNG or SVG file.")))


def placeholder_svg(name: str, seed: str) -> bytes:
    """Return a round badge with the achievement's initials, coloured by ``seed``.

    The text comes from the issuer, so it is escaped: the SVG is ours and safe to show.
    """
    colour = _COLOURS[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(_COLOURS)]
    initials = "".join(word[0] for word in name.split()[:2]).upper() or "?"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200">'
        f'<circle cx="100" cy="100" r="96" fill="{colour}"/>'
        '<circle cx="100" cy="100" r="80" fill="none" stroke="#fff" stroke-width="4"/>'
        '<text x="100" y="122" font-size="64" font-family="sans-serif" font-weight="700" '
        f'fill="#fff" text-anchor="middle">{escape(initials)}</text></svg>'
    ).encode()


def picture_of(
    name: str, public_id: str, image: bytes | None, image_type: str
) -> tuple[str, bytes]:
    """Return the achievement's picture: its upload, or the drawn placeholder."""
    if image and image_type:
        return image_type, image
    return "image/svg+xml", placeholder_svg(name, public_id)
