"""Recognise what an earner brought: an image, a URL, a JWS, or a JSON document of some kind.

Pure: no Flask, no database, no network. JSON is parsed defensively: a size cap, a nesting cap,
no NaN or Infinity, no duplicate keys (two values for one key is how signed content gets forged).
"""

from __future__ import annotations

import base64
import binascii
import json
import typing as t
from dataclasses import dataclass
from dataclasses import field

from wallet.badges import baking
from wallet.errors import Invalid

#: Largest JSON document or JWS accepted.
MAX_JSON_BYTES = 2 * 1024 * 1024
#: Deepest nesting accepted; real credentials stay far below.
MAX_DEPTH = 64

Format = t.Literal[
    "png",
    "svg",
    "url",
    "ob2-signed",
    "vc-jwt",
    "ob2-assertion",
    "ob1-assertion",
    "ob05-assertion",
    "ob2-badgeclass",
    "ob2-issuer",
    "ob3-credential",
    "clr-credential",
    "presentation",
    "ob3-endorsement",
    "other-vc",
]

#: Formats that are not an award by themselves; the earner needs to be told what to bring instead.
NOT_AN_AWARD: dict[str, str] = {
    "ob2-badgeclass": "This is a badge's description (a BadgeClass), not an award to someone.",
    "ob2-issuer": "This is an issuer's profile, not an award.",
    "ob3-endorsement": "This is an endorsement of a badge or an issuer, not an award.",
    "other-vc": "This is a verifiable credential, but not an Open Badge or a CLR.",
}


class FormatError(Invalid):
    """The input is not something we can read; the message says why."""


@dataclass(frozen=True)
class Detected:
    """What the input is, and what was parsed from it on the way."""

    format: Format
    #: The parsed JSON (for JSON documents; for JWS, the decoded payload, unverified).
    document: dict[str, t.Any] = field(default_factory=dict)
    #: The text as received (a URL, a compact JWS, JSON text).
    text: str = ""
    #: The JWS header, unverified.
    header: dict[str, t.Any] = field(default_factory=dict)


def _no_duplicates(pairs: list[tuple[str, t.Any]]) -> dict[str, t.Any]:
    result: dict[str, t.Any] = {}
    for key, value in pairs:
        if key in result:
            raise FormatError(f'The JSON names "{key[:40]}" twice; a credential names it once.')
        result[key] = value
    return result


def _refuse_constant(name: str) -> t.NoReturn:
    raise FormatError(f"The JSON holds {name}, which is not a number JSON allows.")


def _depth(value: t.Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def parse_json(data: bytes | str) -> t.Any:
    """Parse untrusted JSON within the caps; raise ``FormatError`` with the reason."""
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > MAX_JSON_BYTES:
        raise FormatError("The document is larger than 2 MB.")
    try:
        value = json.loads(raw, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except RecursionError as error:
        raise FormatError("The JSON is nested too deeply to be a credential.") from error
    except (ValueError, UnicodeDecodeError) as error:
        if isinstance(error, FormatError):
            raise
        raise FormatError("The text is not valid JSON.") from error
    if _depth(value) > MAX_DEPTH:
        raise FormatError("The JSON is nested too deeply to be a credential.")
    return value


def _b64_json(segment: str) -> dict[str, t.Any]:
    try:
        decoded = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as error:
        raise FormatError("The signed text is damaged (not base64url).") from error
    value = parse_json(decoded)
    if not isinstance(value, dict):
        raise FormatError("The signed text does not hold a JSON object.")
    return value


def _types(document: dict[str, t.Any]) -> set[str]:
    value = document.get("type", document.get("@type", []))
    values = value if isinstance(value, list) else [value]
    return {str(item).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for item in values}


def _contexts(document: dict[str, t.Any]) -> list[str]:
    value = document.get("@context", [])
    values = value if isinstance(value, list) else [value]
    return [item for item in values if isinstance(item, str)]


def classify_document(document: dict[str, t.Any]) -> Format:
    """Say which kind of badge document ``document`` is."""
    types = _types(document)
    contexts = " ".join(_contexts(document))
    if "VerifiablePresentation" in types:
        return "presentation"
    if "ClrCredential" in types:
        return "clr-credential"
    if "EndorsementCredential" in types:
        return "ob3-endorsement"
    if types & {"OpenBadgeCredential", "AchievementCredential"} or (
        "VerifiableCredential" in types and "purl.imsglobal.org/spec/ob/v3p0" in contexts
    ):
        return "ob3-credential"
    if "Assertion" in types or (
        "recipient" in document and ("badge" in document or "verification" in document)
    ):
        if "w3id.org/openbadges/v2" in contexts or "verification" in document:
            return "ob2-assertion"
        if isinstance(document.get("recipient"), str):
            return "ob05-assertion"
        return "ob1-assertion"
    if "BadgeClass" in types:
        return "ob2-badgeclass"
    if types & {"Issuer", "Profile"}:
        return "ob2-issuer"
    if "VerifiableCredential" in types:
        return "other-vc"
    raise FormatError(
        "This JSON is not an Open Badge: it has no recognisable type "
        "(Assertion, OpenBadgeCredential, ClrCredential)."
    )


def detect(data: bytes | str) -> Detected:
    """Recognise ``data`` (a file's bytes or pasted text)."""
    raw = data.encode() if isinstance(data, str) else data
    if raw.startswith(baking.PNG_SIGNATURE):
        return Detected(format="png")
    head = raw[:1024].lstrip()
    if head[:5].lower() in (b"<?xml", b"<svg ", b"<svg>", b"<!--") or head[:4].lower() == b"<svg":
        return Detected(format="svg")
    if len(raw) > MAX_JSON_BYTES:
        raise FormatError("The document is larger than 2 MB.")
    try:
        text = raw.decode("utf-8").strip().lstrip("\ufeff")
    except UnicodeDecodeError as error:
        raise FormatError("This is neither an image, a link, nor badge text.") from error
    if not text:
        raise FormatError("There is nothing to import: the text is empty.")
    if text.startswith("{"):
        document = parse_json(text)
        return Detected(format=classify_document(document), document=document, text=text)
    kind = _text_kind(text)
    if kind == "url":
        return Detected(format="url", text=text)
    header, _, rest = text.partition(".")
    payload = rest.partition(".")[0]
    decoded_header = _b64_json(header)
    decoded_payload = _b64_json(payload)
    is_vc = (
        "vc" in decoded_payload
        or "@context" in decoded_payload
        and (classify_document(decoded_payload) in ("ob3-credential", "clr-credential"))
    )
    return Detected(
        format="vc-jwt" if is_vc else "ob2-signed",
        document=decoded_payload,
        text=text,
        header=decoded_header,
    )


def _text_kind(text: str) -> str:
    try:
        return baking.classify(text)
    except baking.BakingError as error:
        raise FormatError(
            "This is neither an image, a link, nor badge text (JSON or a signed JWS)."
        ) from error
