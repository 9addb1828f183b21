"""A badge picture the platform draws for an achievement that has none. Pure.

The text comes from the issuer, so it is escaped: the SVG is ours and safe to show inline.
"""

from __future__ import annotations

import hashlib
from xml.sax.saxutils import escape

_COLOURS = ("#0b5cad", "#6b3fa0", "#1a6e35", "#8a5a00", "#b00020", "#005f73")


def placeholder_svg(name: str, seed: str) -> bytes:
    """Return a round badge with the achievement's initials, coloured by ``seed``."""
    colour = _COLOURS[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(_COLOURS)]
    initials = "".join(word[0] for word in name.split()[:2]).upper() or "?"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200">'
        f'<circle cx="100" cy="100" r="96" fill="{colour}"/>'
        '<circle cx="100" cy="100" r="80" fill="none" stroke="#fff" stroke-width="4"/>'
        '<text x="100" y="122" font-size="64" font-family="sans-serif" font-weight="700" '
        f'fill="#fff" text-anchor="middle">{escape(initials)}</text></svg>'
    ).encode()
