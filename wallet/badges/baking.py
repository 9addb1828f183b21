"""Read and write credentials baked into PNG and SVG images. Pure: no Flask, no database, no I/O.

Open Badges 2.0 bakes an assertion (JSON, a compact JWS, or a URL) into a PNG ``iTXt`` chunk with
the keyword ``openbadges`` or an SVG ``<openbadges:assertion>`` element; 1.0 images used a ``tEXt``
chunk holding a URL. Open Badges 3.0 uses ``openbadgecredential`` and ``<openbadges:credential>``.

Images are untrusted. PNG chunks are walked by hand rather than with Pillow: the chunk layout
(length, type, body, CRC) is a few lines to read with every length capped and every CRC checked,
whereas Pillow would decode the picture we do not need, and its text-chunk ceiling
(``PngImagePlugin.MAX_TEXT_CHUNK``) is a process-wide setting. Compressed text is inflated with
``zlib.decompressobj(...).decompress(data, max_length)``, so a bomb never expands past the cap.
SVG goes through defusedxml's parser (entities and external references refused) into a streaming
target that builds no tree and stops at a nesting ceiling.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import struct
import typing as t
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from wallet.errors import Invalid
from wallet.messages import N_

#: Largest image accepted.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
#: Largest baked text (a credential with its proof and images inlined stays well below this).
MAX_TEXT_BYTES = 2 * 1024 * 1024
#: Deepest SVG element nesting read; drawings from real design tools stay far below.
MAX_SVG_DEPTH = 256
#: Most SVG elements read: bounds the parsing time of a 5 MB file made of tiny elements.
MAX_SVG_ELEMENTS = 200_000

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB2_KEYWORD = b"openbadges"
OB3_KEYWORD = b"openbadgecredential"
OB2_NAMESPACE = "http://openbadges.org"
OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
_NAMESPACES = (OB2_NAMESPACE, OB3_NAMESPACE)
_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$")
_UTF8_BOM = b"\xef\xbb\xbf"

#: ``json`` a document; ``jws`` an OB 2.0 signed assertion; ``jwt`` a VC-JWT; ``url`` a link.
Kind = t.Literal["json", "jws", "jwt", "url"]
Standard = t.Literal["ob2", "ob3"]
TextKind = t.Literal["json", "jws", "url"]

#: Elements and attribute values that make an SVG run code or pull in content when displayed.
_ACTIVE_TAGS = frozenset(("script", "foreignobject", "iframe", "embed", "object", "handler"))
_CONTROL = re.compile(r"[\x00-\x20]+")


class BakingError(Invalid):
    """The image is not one we can read a credential from; the message says why."""


@dataclass(frozen=True)
class Baked:
    """What an image carried."""

    #: ``json``, ``jws`` (OB 2.0 signed assertion), ``jwt`` (OB 3.0 VC-JWT) or ``url``.
    kind: Kind
    #: The baked text as found, without surrounding whitespace.
    text: str
    #: Which baking convention it used.
    standard: Standard
    #: The SVG holds script, event handlers or foreign objects: never serve it as SVG.
    has_active_content: bool = False


def classify(text: str) -> TextKind:
    """Say whether baked ``text`` is JSON, a compact JWS, or a URL."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return "json"
    if _JWS.match(stripped):
        return "jws"
    if stripped.lower().startswith(("https://", "http://")) and not _CONTROL.search(stripped):
        return "url"
    raise BakingError(N_("The image holds something that is neither a badge nor a link to one."))


def _is_vc_jwt(token: str) -> bool:
    """Say whether a compact JWS carries a verifiable credential (a ``vc`` claim or VC context)."""
    payload = token.split(".")[1]
    try:
        value = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, RecursionError, binascii.Error):
        return False
    if not isinstance(value, dict):
        return False
    contexts = value.get("@context")
    return "vc" in value or "/credentials/" in json.dumps(contexts)


def _baked(text: str, standard: Standard, *, active: bool = False) -> Baked:
    stripped = text.strip()
    kind: Kind = classify(stripped)
    if kind == "jws" and (standard == "ob3" or _is_vc_jwt(stripped)):
        kind = "jwt"
    return Baked(kind=kind, text=stripped, standard=standard, has_active_content=active)


def extract(data: bytes) -> Baked:
    """Return the credential baked into a PNG or SVG image."""
    if data.startswith(PNG_SIGNATURE):
        return extract_png(data)
    if looks_like_svg(data):
        return extract_svg(data)
    raise BakingError(N_("This file is not a PNG or SVG image."))


def looks_like_svg(data: bytes) -> bool:
    """Say whether ``data`` starts the way an SVG (or any XML) document does."""
    head = data[:1024].removeprefix(_UTF8_BOM).lstrip().lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg"))


def _chunks(data: bytes) -> t.Iterator[tuple[bytes, bytes]]:
    if len(data) > MAX_IMAGE_BYTES:
        raise BakingError(N_("The image is larger than 5 MB."))
    if not data.startswith(PNG_SIGNATURE):
        raise BakingError(N_("This file is not a PNG image."))
    offset = len(PNG_SIGNATURE)
    while offset < len(data):
        if offset + 8 > len(data):
            raise BakingError(N_("The PNG image is cut short."))
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        end = offset + 8 + length + 4
        if end > len(data):
            raise BakingError(N_("The PNG image is cut short."))
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) != crc:
            raise BakingError(N_("The PNG image is damaged (a checksum does not match)."))
        yield kind, body
        if kind == b"IEND":
            return
        offset = end
    raise BakingError(N_("The PNG image is cut short."))


def _inflate(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(compressed, MAX_TEXT_BYTES + 1)
    except zlib.error as error:
        raise BakingError(N_("The badge text in the PNG image is damaged.")) from error
    if len(text) > MAX_TEXT_BYTES or inflater.unconsumed_tail:
        raise BakingError(N_("The badge text in the PNG image is too large."))
    return text


def _itxt_text(body: bytes) -> tuple[bytes, bytes]:
    keyword, _, rest = body.partition(b"\x00")
    if len(rest) < 2:
        raise BakingError(N_("The badge text in the PNG image is damaged."))
    compressed, method, rest = rest[0], rest[1], rest[2:]
    _language, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        if method != 0:
            raise BakingError(N_("The badge text in the PNG image uses an unknown compression."))
        text = _inflate(text)
    return keyword, text


def _decode(raw: bytes, encoding: str) -> str:
    if len(raw) > MAX_TEXT_BYTES:
        raise BakingError(N_("The badge text in the image is too large."))
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise BakingError(N_("The badge text in the PNG image is not valid text.")) from error


def extract_png(data: bytes) -> Baked:
    """Return the credential baked into a PNG image."""
    found: list[tuple[bytes, str]] = []
    legacy: list[str] = []
    for kind, body in _chunks(data):
        keyword, _, value = body.partition(b"\x00")
        if kind == b"iTXt" and keyword in (OB2_KEYWORD, OB3_KEYWORD):
            keyword, text = _itxt_text(body)
            found.append((keyword, _decode(text, "utf-8")))
        elif kind == b"tEXt" and keyword == OB2_KEYWORD:
            legacy.append(_decode(value, "latin-1"))
    if len(found) > 1 or (not found and len(legacy) > 1):
        raise BakingError(N_("The PNG image holds more than one badge; a baked image holds one."))
    if found:
        keyword, found_text = found[0]
        return _baked(found_text, "ob3" if keyword == OB3_KEYWORD else "ob2")
    if legacy:
        return _baked(legacy[0], "ob2")
    raise BakingError(N_("This PNG image has no badge baked into it."))


def _is_active(tag: str, attrib: dict[str, str]) -> bool:
    if tag.rsplit("}", 1)[-1].lower() in _ACTIVE_TAGS:
        return True
    for name, value in attrib.items():
        if name.rsplit("}", 1)[-1].lower().startswith("on"):
            return True
        # Browsers drop whitespace and control characters inside a URL scheme ("java\tscript:").
        if _CONTROL.sub("", value).lower().startswith(("javascript:", "vbscript:")):
            return True
    return False


class _SvgScan:
    """An XML parser target that finds the baked element without building a tree."""

    def __init__(self) -> None:
        self.depth = 0
        self.elements = 0
        self.root: str | None = None
        self.active = False
        self.found: list[tuple[Standard, str]] = []
        self._capture_depth = 0
        self._standard: Standard = "ob2"
        self._verify = ""
        self._parts: list[str] = []
        self._size = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        self.elements += 1
        if self.depth > MAX_SVG_DEPTH:
            raise BakingError(N_("The SVG image is nested too deeply to be a badge."))
        if self.elements > MAX_SVG_ELEMENTS:
            raise BakingError(N_("The SVG image has too many parts to be a badge."))
        if self.root is None:
            self.root = tag.rsplit("}", 1)[-1]
        self.active = self.active or _is_active(tag, attrib)
        namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        if namespace in _NAMESPACES and local in ("assertion", "credential"):
            if self._capture_depth:
                raise BakingError(
                    N_("The SVG image holds more than one badge; a baked image holds one.")
                )
            self._capture_depth = self.depth
            self._standard = "ob3" if local == "credential" else "ob2"
            self._verify = attrib.get("verify", "").strip()
            self._parts, self._size = [], 0

    def end(self, tag: str) -> None:
        if self.depth == self._capture_depth:
            self.found.append((self._standard, self._verify or "".join(self._parts)))
            self._capture_depth = 0
        self.depth -= 1

    def data(self, text: str) -> None:
        if self._capture_depth and self.depth == self._capture_depth and not self._verify:
            self._size += len(text)
            if self._size > MAX_TEXT_BYTES:
                raise BakingError(N_("The badge text in the image is too large."))
            self._parts.append(text)

    def close(self) -> None:
        """Finish parsing (the parser's target protocol)."""


def _scan_svg(data: bytes) -> _SvgScan:
    if len(data) > MAX_IMAGE_BYTES:
        raise BakingError(N_("The image is larger than 5 MB."))
    scan = _SvgScan()
    parser = DefusedXMLParser(target=scan)
    try:
        parser.feed(data)
        parser.close()
    except DefusedXmlException as error:
        raise BakingError(
            N_("The SVG image declares XML entities or external references, which we never read.")
        ) from error
    except (ParseError, ValueError, LookupError) as error:
        raise BakingError(N_("The SVG image is not well-formed XML.")) from error
    if scan.root != "svg":
        raise BakingError(N_("This file is not an SVG image."))
    return scan


def extract_svg(data: bytes) -> Baked:
    """Return the credential baked into an SVG image."""
    scan = _scan_svg(data)
    if len(scan.found) > 1:
        raise BakingError(N_("The SVG image holds more than one badge; a baked image holds one."))
    if not scan.found or not scan.found[0][1].strip():
        raise BakingError(N_("This SVG image has no badge baked into it."))
    standard, text = scan.found[0]
    return _baked(text, standard, active=scan.active)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _bakeable(payload: str, standard: Standard) -> TextKind:
    if len(payload.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise BakingError(N_("The badge text is too large to bake into an image."))
    kind = classify(payload)
    if standard == "ob3" and kind == "url":
        raise BakingError(N_("An Open Badges 3.0 image carries the credential itself, not a link."))
    return kind


def bake_png(png: bytes, payload: str, standard: Standard = "ob2") -> bytes:
    """Return ``png`` with ``payload`` baked in (replacing any badge already there)."""
    _bakeable(payload, standard)
    keyword = OB3_KEYWORD if standard == "ob3" else OB2_KEYWORD
    # keyword, NUL, compression flag 0, method 0, empty language tag, empty translated keyword.
    chunk = _chunk(b"iTXt", keyword + b"\x00\x00\x00\x00\x00" + payload.strip().encode("utf-8"))
    out = [PNG_SIGNATURE]
    for kind, body in _chunks(png):
        name = body.split(b"\x00", 1)[0]
        if kind in (b"iTXt", b"tEXt", b"zTXt") and name in (OB2_KEYWORD, OB3_KEYWORD):
            continue
        out.append(_chunk(kind, body))
        if kind == b"IHDR":
            out.append(chunk)
    return b"".join(out)


_ATTRIBUTES = rb"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_SVG_OPEN = re.compile(rb"<svg\b" + _ATTRIBUTES + rb">", re.IGNORECASE)
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_BAKED = re.compile(
    rb"<openbadges:(?:assertion|credential)\b"
    + _ATTRIBUTES
    + rb"?(?:/>|>.*?</openbadges:(?:assertion|credential)\s*>)",
    re.DOTALL,
)
_OB_NAMESPACE = re.compile(rb"""\bxmlns:openbadges\s*=\s*["']([^"']*)["']""")


def bake_svg(svg: bytes, payload: str, standard: Standard = "ob2") -> bytes:
    """Return ``svg`` with ``payload`` baked in (replacing any badge already there)."""
    kind = _bakeable(payload, standard)
    text = payload.strip()
    _scan_svg(svg)
    namespace = OB3_NAMESPACE if standard == "ob3" else OB2_NAMESPACE
    element = "credential" if standard == "ob3" else "assertion"
    cleaned = _BAKED.sub(b"", svg)
    # The first <svg> outside a comment is the root: _scan_svg proved the document is an SVG.
    comments = [(c.start(), c.end()) for c in _COMMENT.finditer(cleaned)]
    match = next(
        (
            m
            for m in _SVG_OPEN.finditer(cleaned)
            if not any(start <= m.start() < end for start, end in comments)
        ),
        None,
    )
    if match is None:
        raise BakingError(N_("This file is not an SVG image."))
    opening = match.group(0)
    declared = _OB_NAMESPACE.search(opening)
    own_namespace = ""
    if declared is None:
        opening = opening[:-1].rstrip(b"/") + f' xmlns:openbadges="{namespace}">'.encode()
    elif declared.group(1).decode("utf-8", "replace") != namespace:
        own_namespace = f' xmlns:openbadges="{namespace}"'
    if kind == "json":
        safe = text.replace("]]>", "]]]]><![CDATA[>")
        baked = f"<openbadges:{element}{own_namespace}><![CDATA[{safe}]]></openbadges:{element}>"
    else:
        attribute = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        baked = f'<openbadges:{element}{own_namespace} verify="{attribute}"/>'
    result = cleaned[: match.start()] + opening + baked.encode() + cleaned[match.end() :]
    if len(result) > MAX_IMAGE_BYTES:
        raise BakingError(N_("The baked image would be larger than 5 MB."))
    # Read it back: an SVG laid out in a way our splice does not expect must not leave with a
    # badge other readers would see differently (two elements, a broken document).
    scan = _scan_svg(result)
    if [found.strip() for _standard, found in scan.found] != [text]:
        raise BakingError(N_("This SVG image cannot be baked: its layout is unusual."))
    return result
