"""Turn an award's picture into pixels, safely. Pure: no Flask, no session, no network.

Pictures are untrusted. Raster images are opened with Pillow only in the formats we serve, and
their declared size is checked before any pixel is decoded (a decompression bomb never expands).
SVG is cleaned by svg-hush (no scripts, no external references) and then drawn by CairoSVG in its
safe mode, which resolves no entity and loads nothing but ``data:`` URLs, so drawing a picture
never reaches the network or the disk. Anything that cannot be drawn gives None, and the caller
draws a placeholder instead: a bad picture never breaks a page or a download.
"""

from __future__ import annotations

import io
import logging

import py_svg_hush
from PIL import Image

log = logging.getLogger(__name__)

#: Most pixels a raster picture may declare (a 4096 x 4096 badge is already far more than needed).
MAX_PIXELS = 4096 * 4096
#: Largest picture read at all (the backpack keeps none larger).
MAX_BYTES = 5 * 1024 * 1024
_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")


def picture_pixels(media_type: str, data: bytes, size: int) -> Image.Image | None:
    """Return the picture as RGBA pixels filling a ``size`` square, or None if not drawable."""
    if len(data) > MAX_BYTES:
        return None
    if media_type == "image/svg+xml":
        drawn = svg_to_png(data, size)
        if drawn is None:
            return None
        data = drawn
    try:
        with Image.open(io.BytesIO(data), formats=_FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                return None
            image.draft("RGBA", (size, size))
            picture = image.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        log.info("a picture could not be read", exc_info=True)
        return None
    # Fit the square both ways: a 32-pixel icon is enlarged as a 4000-pixel photo is reduced.
    ratio = size / max(picture.width, picture.height, 1)
    fitted = (max(1, round(picture.width * ratio)), max(1, round(picture.height * ratio)))
    return picture.resize(fitted, Image.Resampling.LANCZOS)


def svg_to_png(data: bytes, width: int) -> bytes | None:
    """Return a PNG of the SVG ``width`` pixels wide (its proportions kept), or None."""
    try:
        # Imported here: CairoSVG needs the system's libcairo, and a machine without it should
        # still serve every page (SVG pictures then get the placeholder).
        import cairosvg  # noqa: PLC0415

        cleaned = bytes(py_svg_hush.filter_svg(data))
        return bytes(cairosvg.svg2png(bytestring=cleaned, output_width=width, unsafe=False))
    except Exception:  # the sanitiser and the renderer raise many types on bad drawings
        log.info("an SVG picture could not be drawn", exc_info=True)
        return None


def png_bytes(image: Image.Image) -> bytes:
    """Return ``image`` encoded as PNG."""
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
