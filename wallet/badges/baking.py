"""Read and write credentials baked into PNG and SVG images. Pure: no Flask, no database, no I/O.

Open Badges 2.0 bakes an assertion (JSON, a compact JWS, or a URL) into a PNG ``iTXt`` chunk with
the keyword ``openbadges`` or an SVG ``<openbadges:assertion>`` element; 1.0 images used a ``tEXt``
chunk holding a URL. Open Badges 3.0 uses ``openbadgecredential`` and ``<openbadges:credential>``.
Images are untrusted: every size is capped, CRCs are checked, compressed text is inflated with a
ceiling, and SVG is parsed without DTDs or entities (defusedxml).
"""

from __future__ import annotations

import re
import struct
import typing as t
import zlib
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring

from wallet.errors import Invalid

#: Largest image accepted.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
#: Largest baked text (a credential with its proof and images inlined stays well below this).
MAX_TEXT_BYTES = 2 * 1024 * 1024

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB2_KEYWORD = b"openbadges"
OB3_KEYWORD = b"openbadgecredential"
OB2_NAMESPACE = "http://openbadges.org"
OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
_NAMESPACES = (OB2_NAMESPACE, OB3_NAMESPACE)
_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$")

Kind = t.Literal["json", "jws", "url"]
Standard = t.Literal["ob2", "ob3"]


class BakingError(Invalid):
    """The image is not one we can read a credential from; the message says why."""


@dataclass(frozen=True)
class Baked:
    """What an image carried."""

    #: ``json`` (a document), ``jws`` (a compact JWS or VC-JWT), or ``url`` (a hosted assertion).
    kind: Kind
    text: str
    #: Which baking convention it used.
    standard: Standard
    #: The SVG holds script, event handlers or foreign objects: never serve it as SVG.
    has_active_content: bool = False


def classify(text: str) -> Kind:
    """Say whether baked ``text`` is JSON, a compact JWS, or a URL."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return "json"
    if _JWS.match(stripped):
        return "jws"
    if stripped.lower().startswith(("https://", "http://")):
        return "url"
    raise BakingError("The image holds something that is neither a badge nor a link to one.")


def extract(data: bytes) -> Baked:
    """Return the credential baked into a PNG or SVG image."""
    if data.startswith(PNG_SIGNATURE):
        return extract_png(data)
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")):
        return extract_svg(data)
    raise BakingError("This file is not a PNG or SVG image.")


def _chunks(data: bytes) -> t.Iterator[tuple[bytes, bytes]]:
    if len(data) > MAX_IMAGE_BYTES:
        raise BakingError("The image is larger than 5 MB.")
    if not data.startswith(PNG_SIGNATURE):
        raise BakingError("This file is not a PNG image.")
    offset = len(PNG_SIGNATURE)
    while offset < len(data):
        if offset + 8 > len(data):
            raise BakingError("The PNG image is cut short.")
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        end = offset + 8 + length + 4
        if end > len(data):
            raise BakingError("The PNG image is cut short.")
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) != crc:
            raise BakingError("The PNG image is damaged (a checksum does not match).")
        yield kind, body
        if kind == b"IEND":
            return
        offset = end
    raise BakingError("The PNG image is cut short.")


def _inflate(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(compressed, MAX_TEXT_BYTES + 1)
    except zlib.error as error:
        raise BakingError("The badge text in the PNG image is damaged.") from error
    if len(text) > MAX_TEXT_BYTES or inflater.unconsumed_tail:
        raise BakingError("The badge text in the PNG image is too large.")
    return text


def _itxt_text(body: bytes) -> tuple[bytes, bytes]:
    keyword, _, rest = body.partition(b"\x00")
    if len(rest) < 2:
        raise BakingError("The badge text in the PNG image is damaged.")
    compressed, method, rest = rest[0], rest[1], rest[2:]
    _language, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        if method != 0:
            raise BakingError("The badge text in the PNG image uses an unknown compression.")
        text = _inflate(text)
    return keyword, text


def _decode(raw: bytes, encoding: str) -> str:
    if len(raw) > MAX_TEXT_BYTES:
        raise BakingError("The badge text in the image is too large.")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise BakingError("The badge text in the PNG image is not valid text.") from error


def extract_png(data: bytes) -> Baked:
    """Return the credential baked into a PNG image."""
    found: list[tuple[bytes, str]] = []
    legacy: list[str] = []
    for kind, body in _chunks(data):
        if kind == b"iTXt" and body.split(b"\x00", 1)[0] in (OB2_KEYWORD, OB3_KEYWORD):
            keyword, text = _itxt_text(body)
            found.append((keyword, _decode(text, "utf-8")))
        elif kind == b"tEXt" and body.split(b"\x00", 1)[0] == OB2_KEYWORD:
            legacy.append(_decode(body.split(b"\x00", 1)[1], "latin-1"))
    if len(found) > 1 or (not found and len(legacy) > 1):
        raise BakingError("The PNG image holds more than one badge; a baked image holds one.")
    if found:
        keyword, found_text = found[0]
        standard: Standard = "ob3" if keyword == OB3_KEYWORD else "ob2"
        return Baked(kind=classify(found_text), text=found_text.strip(), standard=standard)
    if legacy:
        return Baked(kind=classify(legacy[0]), text=legacy[0].strip(), standard="ob2")
    raise BakingError("This PNG image has no badge baked into it.")


def _is_active(element: t.Any) -> bool:
    tag = element.tag.rsplit("}", 1)[-1].lower()
    if tag in ("script", "foreignobject", "iframe", "embed", "object"):
        return True
    for name, value in element.attrib.items():
        local = name.rsplit("}", 1)[-1].lower()
        if local.startswith("on") or value.strip().lower().startswith("javascript:"):
            return True
    return False


def extract_svg(data: bytes) -> Baked:
    """Return the credential baked into an SVG image."""
    if len(data) > MAX_IMAGE_BYTES:
        raise BakingError("The image is larger than 5 MB.")
    try:
        root = fromstring(data)
    except DefusedXmlException as error:
        raise BakingError(
            "The SVG image declares XML entities or external references, which we never read."
        ) from error
    except (ParseError, ValueError) as error:
        raise BakingError("The SVG image is not well-formed XML.") from error
    if root.tag.rsplit("}", 1)[-1] != "svg":
        raise BakingError("This file is not an SVG image.")
    active = False
    found: list[tuple[Standard, str]] = []
    for element in root.iter():
        active = active or _is_active(element)
        namespace, _, local = (
            element.tag[1:].partition("}") if element.tag.startswith("{") else ("", "", "")
        )
        if namespace in _NAMESPACES and local in ("assertion", "credential"):
            standard: Standard = "ob3" if local == "credential" else "ob2"
            verify = element.get("verify")
            text = verify if verify and verify.strip() else (element.text or "")
            found.append((standard, text))
    if len(found) > 1:
        raise BakingError("The SVG image holds more than one badge; a baked image holds one.")
    if not found or not found[0][1].strip():
        raise BakingError("This SVG image has no badge baked into it.")
    standard, text = found[0]
    if len(text) > MAX_TEXT_BYTES:
        raise BakingError("The badge text in the image is too large.")
    return Baked(
        kind=classify(text), text=text.strip(), standard=standard, has_active_content=active
    )


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bake_png(png: bytes, text: str, *, standard: Standard = "ob2") -> bytes:
    """Return ``png`` with ``text`` baked in (replacing any badge already there)."""
    keyword = OB3_KEYWORD if standard == "ob3" else OB2_KEYWORD
    chunk = _chunk(b"iTXt", keyword + b"\x00\x00\x00\x00\x00" + text.encode("utf-8"))
    out = [PNG_SIGNATURE]
    for kind, body in _chunks(png):
        name = body.split(b"\x00", 1)[0]
        if kind in (b"iTXt", b"tEXt") and name in (OB2_KEYWORD, OB3_KEYWORD):
            continue
        out.append(_chunk(kind, body))
        if kind == b"IHDR":
            out.append(chunk)
    return b"".join(out)


_SVG_OPEN = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
_BAKED = re.compile(
    rb"<openbadges:(?:assertion|credential)\b[^>]*?(?:/>|>.*?</openbadges:(?:assertion|credential)>)",
    re.DOTALL,
)


def bake_svg(svg: bytes, text: str, *, standard: Standard = "ob2") -> bytes:
    """Return ``svg`` with ``text`` baked in (replacing any badge already there)."""
    _parse_check(svg)
    namespace = OB3_NAMESPACE if standard == "ob3" else OB2_NAMESPACE
    element = "credential" if standard == "ob3" else "assertion"
    kind = classify(text)
    if kind == "json":
        safe = text.replace("]]>", "]]]]><![CDATA[>")
        baked = f"<openbadges:{element}><![CDATA[{safe}]]></openbadges:{element}>"
    else:
        attribute = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        baked = f'<openbadges:{element} verify="{attribute}"/>'
    cleaned = _BAKED.sub(b"", svg)
    match = _SVG_OPEN.search(cleaned)
    if match is None:
        raise BakingError("This file is not an SVG image.")
    opening = match.group(0)
    if b"xmlns:openbadges=" not in opening:
        opening = opening[:-1].rstrip(b"/") + f' xmlns:openbadges="{namespace}">'.encode()
    return cleaned[: match.start()] + opening + baked.encode() + cleaned[match.end() :]


def _parse_check(svg: bytes) -> None:
    if len(svg) > MAX_IMAGE_BYTES:
        raise BakingError("The image is larger than 5 MB.")
    try:
        fromstring(svg)
    except (DefusedXmlException, ParseError, ValueError) as error:
        raise BakingError("The SVG image cannot be baked: it is not a plain SVG.") from error
