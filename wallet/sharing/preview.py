"""The 1200 x 627 picture shown when an award's page is shared (Open Graph). Pure: no I/O.

LinkedIn, X and Facebook show this card beside the link: the badge's picture, its name and its
issuer, drawn by the server with Pillow and DejaVu Sans (shipped in ``fonts/``, see its README),
so the card looks the same wherever the wallet runs. A revoked or expired award says so on the
card too: a share must never look better than the award is.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont

from wallet.sharing.raster import picture_pixels
from wallet.sharing.raster import png_bytes

#: The size LinkedIn recommends (1.91:1); X and Facebook crop it the same way.
WIDTH, HEIGHT = 1200, 627
_FONTS = Path(__file__).parent / "fonts"
_PICTURE = 380
_MARGIN = 64
_TEXT_LEFT = _MARGIN + _PICTURE + 56
_TEXT_WIDTH = WIDTH - _TEXT_LEFT - _MARGIN
_INK, _SOFT, _PAPER, _RULE = "#1b1f24", "#4a5560", "#ffffff", "#0b5cad"
_BAD = "#b00020"
_COLOURS = ("#0b5cad", "#6b3fa0", "#1a6e35", "#8a5a00", "#005f73")


@dataclass(frozen=True)
class Card:
    """What the card says."""

    title: str
    issuer: str
    #: A plain warning such as "Revoked" (empty for a good award).
    warning: str
    #: The site's name, at the foot of the card.
    site: str
    #: Words before the issuer's name ("Issued by").
    issued_by: str


@functools.cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(_FONTS / name), size)


def render(card: Card, picture: tuple[str, bytes] | None) -> bytes:
    """Return the card as a PNG of ``WIDTH`` x ``HEIGHT`` pixels."""
    canvas = Image.new("RGB", (WIDTH, HEIGHT), _PAPER)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, WIDTH, 12), fill=_BAD if card.warning else _RULE)
    pixels = picture_pixels(picture[0], picture[1], _PICTURE) if picture else None
    top = (HEIGHT - _PICTURE) // 2
    if pixels is None:
        _placeholder(draw, card.title, (_MARGIN, top))
    else:
        left = _MARGIN + (_PICTURE - pixels.width) // 2
        canvas.paste(pixels, (left, top + (_PICTURE - pixels.height) // 2), pixels)
    _text(draw, card)
    return png_bytes(canvas)


def _text(draw: ImageDraw.ImageDraw, card: Card) -> None:
    y = 96
    if card.warning:
        font = _font(True, 34)
        box = draw.textbbox((_TEXT_LEFT, y), card.warning.upper(), font=font)
        draw.rectangle((box[0] - 14, box[1] - 10, box[2] + 14, box[3] + 10), fill=_BAD)
        draw.text((_TEXT_LEFT, y), card.warning.upper(), font=font, fill=_PAPER)
        y = int(box[3]) + 40
    for size in (60, 52, 44):
        title = _font(True, size)
        lines = wrap(draw, card.title, title, _TEXT_WIDTH, max_lines=3)
        if len(lines) < 3 or size == 44:
            break
    for line in lines:
        draw.text((_TEXT_LEFT, y), line, font=title, fill=_INK)
        y += int(size * 1.22)
    y += 24
    body = _font(False, 34)
    for line in wrap(draw, f"{card.issued_by} {card.issuer}", body, _TEXT_WIDTH, max_lines=2):
        draw.text((_TEXT_LEFT, y), line, font=body, fill=_SOFT)
        y += 44
    draw.text((_TEXT_LEFT, HEIGHT - 96), card.site, font=_font(True, 28), fill=_RULE)


def _placeholder(draw: ImageDraw.ImageDraw, title: str, at: tuple[int, int]) -> None:
    """Draw a round badge with the title's initials, for a picture we cannot show."""
    colour = _COLOURS[int(hashlib.sha256(title.encode()).hexdigest(), 16) % len(_COLOURS)]
    x, y = at
    draw.ellipse((x, y, x + _PICTURE, y + _PICTURE), fill=colour)
    initials = "".join(word[0] for word in title.split()[:2]).upper() or "?"
    draw.text(
        (x + _PICTURE // 2, y + _PICTURE // 2),
        initials,
        font=_font(True, 140),
        fill=_PAPER,
        anchor="mm",
    )


def wrap(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont,
    width: int,
    *,
    max_lines: int,
) -> list[str]:
    """Split ``text`` into lines no wider than ``width``; the last one ends in "…" if cut."""
    words = " ".join(text.split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while draw.textlength(current, font=font) > width:  # one word wider than the line
            cut = len(current)
            while cut > 1 and draw.textlength(current[:cut], font=font) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and draw.textlength(last + "…", font=font) > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines
