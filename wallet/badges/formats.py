"""Recognise what an earner brought: an image, a URL, a JWS, or a JSON document of some kind.

Pure: no Flask, no database, no network. JSON is parsed defensively: a size cap, a nesting cap
checked before parsing, no NaN or Infinity (nor numbers that overflow to it), no duplicate keys
(two values for one key is how signed content gets forged), no text that is not valid Unicode.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import math
import re
import typing as t
import urllib.parse
from dataclasses import dataclass
from dataclasses import field

from wallet.badges import baking
from wallet.errors import Invalid
from wallet.messages import N_
from wallet.messages import Message

#: Largest JSON document or JWS accepted.
MAX_JSON_BYTES = 2 * 1024 * 1024
#: Deepest nesting accepted; real credentials stay far below.
MAX_DEPTH = 64
#: Longest URL accepted as "a link to a badge".
MAX_URL_LENGTH = 2048

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_VCDM = {
    "https://www.w3.org/2018/credentials/v1": "1.1",
    "https://www.w3.org/ns/credentials/v2": "2.0",
}

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
    "ob2-badgeclass": N_("This is a badge's description (a BadgeClass), not an award to someone."),
    "ob2-issuer": N_("This is an issuer's profile, not an award."),
    "ob3-endorsement": N_("This is an endorsement of a badge or an issuer, not an award."),
    "other-vc": N_("This is a verifiable credential, but not an Open Badge or a CLR."),
}

_VC_FORMATS = ("ob3-credential", "clr-credential", "presentation", "ob3-endorsement", "other-vc")
_ASSERTIONS = ("ob2-assertion", "ob1-assertion", "ob05-assertion")


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
    #: For verifiable credentials and presentations: the VC data model, ``1.1`` or ``2.0``.
    vc_version: str | None = None
    #: For OB 1.x/2.0 assertions: ``hosted`` or ``signed``, as the document declares it.
    verification: str | None = None

    @property
    def is_award(self) -> bool:
        """Say whether this can be an award to someone (not a BadgeClass, profile, endorsement)."""
        return self.format not in NOT_AN_AWARD


def _no_duplicates(pairs: list[tuple[str, t.Any]]) -> dict[str, t.Any]:
    result: dict[str, t.Any] = {}
    for key, value in pairs:
        if key in result:
            raise FormatError(
                Message(
                    N_('The JSON names "%(key)s" twice; a credential names it once.'), key=key[:40]
                )
            )
        result[key] = value
    return result


def _refuse_constant(name: str) -> t.NoReturn:
    raise FormatError(
        Message(N_("The JSON holds %(value)s, which is not a number JSON allows."), value=name)
    )


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise FormatError(N_("The JSON holds a number too large to represent."))
    return value


def _nesting(text: str) -> int:
    """Return how deep brackets nest outside strings, without building anything."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    steps = (1 if bracket in "[{" else -1 for bracket in brackets)
    return max(itertools.accumulate(steps), default=0)


def _check_text(value: t.Any) -> None:
    """Refuse strings that are not valid Unicode (lone surrogates from ``\\ud800`` escapes)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as error:
                raise FormatError(N_("The JSON holds text that is not valid Unicode.")) from error
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_json(data: bytes | str) -> t.Any:
    """Parse untrusted JSON within the caps; raise ``FormatError`` with the reason."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > MAX_JSON_BYTES:
        raise FormatError(N_("The document is larger than 2 MB."))
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise FormatError(N_("The text is not valid JSON (it is not UTF-8 text).")) from error
    # Checked before parsing, so a hostile document is refused without recursing into it.
    if _nesting(text) > MAX_DEPTH:
        raise FormatError(N_("The JSON is nested too deeply to be a credential."))
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_refuse_constant,
            parse_float=_finite,
        )
    except RecursionError as error:
        raise FormatError(N_("The JSON is nested too deeply to be a credential.")) from error
    except ValueError as error:
        if isinstance(error, FormatError):
            raise
        raise FormatError(N_("The text is not valid JSON.")) from error
    _check_text(value)
    return value


def _b64_json(segment: str) -> dict[str, t.Any]:
    try:
        decoded = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as error:
        raise FormatError(N_("The signed text is damaged (not base64url).")) from error
    value = parse_json(decoded)
    if not isinstance(value, dict):
        raise FormatError(N_("The signed text does not hold a JSON object."))
    return value


def _types(document: dict[str, t.Any]) -> set[str]:
    value = document.get("type", document.get("@type", []))
    values = value if isinstance(value, list) else [value]
    # Full IRIs (https://w3id.org/openbadges#Assertion) and compact ones (obi:Assertion) too.
    return {str(item).rsplit("/", 1)[-1].rsplit("#", 1)[-1].rsplit(":", 1)[-1] for item in values}


def _contexts(document: dict[str, t.Any]) -> list[str]:
    value = document.get("@context", [])
    values = value if isinstance(value, list) else [value]
    return [item for item in values if isinstance(item, str)]


def vc_version(document: dict[str, t.Any]) -> str | None:
    """Return the VC data model (``1.1`` or ``2.0``) that a credential's first context names."""
    contexts = _contexts(document)
    return _VCDM.get(contexts[0]) if contexts else None


def _verification(document: dict[str, t.Any]) -> str | None:
    value = document.get("verification", document.get("verify"))
    kind = str(value.get("type", "")).lower() if isinstance(value, dict) else ""
    return {"hostedbadge": "hosted", "signedbadge": "signed"}.get(kind, kind) or None


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
        N_(
            "This JSON is not an Open Badge: it has no recognisable type "
            "(Assertion, OpenBadgeCredential, ClrCredential)."
        )
    )


def describe(document: dict[str, t.Any], text: str = "") -> Detected:
    """Classify a parsed JSON document, with its VC data model or OB verification type."""
    format = classify_document(document)
    return Detected(
        format=format,
        document=document,
        text=text,
        vc_version=vc_version(document) if format in _VC_FORMATS else None,
        verification=_verification(document) if format in _ASSERTIONS else None,
    )


def detect(data: bytes | str) -> Detected:
    """Recognise ``data`` (a file's bytes or pasted text)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if raw.startswith(baking.PNG_SIGNATURE):
        return Detected(format="png")
    if baking.looks_like_svg(raw):
        return Detected(format="svg")
    if len(raw) > MAX_JSON_BYTES:
        raise FormatError(N_("The document is larger than 2 MB."))
    try:
        text = raw.decode("utf-8").lstrip("\ufeff").strip()
    except UnicodeDecodeError as error:
        raise FormatError(N_("This is neither an image, a link, nor badge text.")) from error
    if not text:
        raise FormatError(N_("There is nothing to import: the text is empty."))
    if text.startswith("{"):
        document = parse_json(text)
        if not isinstance(document, dict):
            raise FormatError(N_("The text is not valid JSON."))
        return describe(document, text)
    if text.lower().startswith(("https://", "http://")):
        return Detected(format="url", text=_url(text))
    _text_kind(text)
    return _detect_jws(text)


def _detect_jws(text: str) -> Detected:
    header_segment, _, rest = text.partition(".")
    header = _b64_json(header_segment)
    payload = _b64_json(rest.partition(".")[0])
    # VCDM 1.1 JWT claims put the credential inside ``vc`` (or a presentation inside ``vp``).
    inner = payload.get("vc", payload.get("vp"))
    version = (vc_version(inner) or "1.1") if isinstance(inner, dict) else vc_version(payload)
    if version is not None or "vc" in payload or "vp" in payload:
        return Detected(
            format="vc-jwt", document=payload, text=text, header=header, vc_version=version
        )
    return Detected(
        format="ob2-signed", document=payload, text=text, header=header, verification="signed"
    )


def _url(text: str) -> str:
    if len(text) > MAX_URL_LENGTH or any(char.isspace() for char in text):
        raise FormatError(N_("This link is not a single web address."))
    try:
        host = urllib.parse.urlsplit(text).hostname
    except ValueError as error:
        raise FormatError(N_("This link is not a valid web address.")) from error
    if not host:
        raise FormatError(N_("This link does not name a web site."))
    return text


def _text_kind(text: str) -> str:
    try:
        return baking.classify(text)
    except baking.BakingError as error:
        raise FormatError(
            N_("This is neither an image, a link, nor badge text (JSON or a signed JWS).")
        ) from error
