"""An award's picture with its credential baked in, as PNG or SVG. Pure: no Flask, no session.

Baking uses ``wallet.badges.baking`` (the same module our verifier reads baked images with): the
credential text goes in unchanged, under the convention of its own standard (Open Badges 2.0:
PNG ``iTXt`` keyword ``openbadges``, SVG ``<openbadges:assertion>``; 3.0: ``openbadgecredential``
and ``<openbadges:credential>``). An award whose original already is a baked image of the asked
kind is handed out byte for byte: the original is never re-encoded.

The picture under the credential is the award's own when it has the asked kind; otherwise a PNG
is drawn from the SVG (safely, see ``raster``) or an SVG wraps the raster picture, and a picture
that cannot be drawn gives way to a plain round badge with the achievement's initials.
"""

from __future__ import annotations

import base64
import typing as t

import py_svg_hush

from wallet.badges import baking
from wallet.issuers.pictures import placeholder_svg
from wallet.messages import N_
from wallet.sharing.raster import picture_pixels
from wallet.sharing.raster import png_bytes
from wallet.sharing.raster import svg_to_png

Kind = t.Literal["png", "svg"]
#: Media type of each download kind.
MEDIA_TYPES: dict[Kind, str] = {"png": "image/png", "svg": "image/svg+xml"}
#: Side of a PNG drawn from a picture of another kind.
SIDE = 512
_OB2_FORMATS = ("ob2", "ob1", "ob05")


def credential_text(
    original: bytes, original_type: str, format: str
) -> tuple[str, baking.Standard]:
    """Return the credential to bake (JSON, compact JWS or link) and its baking standard."""
    if original_type.startswith("image/"):
        found = baking.extract(original)
        return found.text, found.standard
    try:
        text = original.decode("utf-8").strip()
    except UnicodeDecodeError as error:
        raise baking.BakingError(N_("This badge cannot be baked into an image.")) from error
    return text, "ob2" if format.startswith(_OB2_FORMATS) else "ob3"


def bake(
    kind: Kind,
    *,
    original: bytes,
    original_type: str,
    format: str,
    picture: tuple[str, bytes] | None,
    title: str,
    seed: str,
) -> bytes:
    """Return the award's picture as ``kind`` with its credential baked in."""
    if original_type == MEDIA_TYPES[kind]:
        baking.extract(original)  # hand out only an image that really carries the badge
        return original
    text, standard = credential_text(original, original_type, format)
    if kind == "png":
        if picture is not None and picture[0] == "image/png":
            try:
                return baking.bake_png(picture[1], text, standard)
            except baking.BakingError:
                pass  # a stored PNG we cannot walk chunk by chunk is redrawn below
        return baking.bake_png(_drawn_png(picture, title, seed), text, standard)
    return baking.bake_svg(_svg_picture(picture, title, seed), text, standard)


def _drawn_png(picture: tuple[str, bytes] | None, title: str, seed: str) -> bytes:
    pixels = picture_pixels(picture[0], picture[1], SIDE) if picture else None
    if pixels is not None:
        return png_bytes(pixels)
    drawn = svg_to_png(placeholder_svg(title, seed), SIDE)
    assert drawn is not None  # our own placeholder always draws
    return drawn


def _svg_picture(picture: tuple[str, bytes] | None, title: str, seed: str) -> bytes:
    if picture is not None and picture[0] == "image/svg+xml":
        try:
            return bytes(py_svg_hush.filter_svg(picture[1]))
        except Exception:  # the sanitiser raises its own types for bad XML  # noqa: S110
            pass
    pixels = picture_pixels(picture[0], picture[1], SIDE) if picture else None
    if pixels is None:
        return placeholder_svg(title, seed)
    encoded = base64.b64encode(png_bytes(pixels)).decode()
    width, height = pixels.width, pixels.height
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><image width="{width}" height="{height}" '
        f'href="data:image/png;base64,{encoded}"/></svg>'
    ).encode()
