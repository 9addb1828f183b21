"""Build the zip of "Export all my data" from plain values. Pure: no Flask, no session, no I/O.

The zip holds, in this order (so two exports of the same data at the same time are identical):

- ``README.txt``: what each file is, and that the presentation is not signed.
- ``profile.json``: the account (handle, name, language, addresses and whether each is verified).
- ``credentials/<n>-<slug>.<ext>``: every credential exactly as it was received.
- ``index.json``: one entry per credential: its file, format, issuer, achievement, dates, the last
  verification with every check, and who may see it.
- ``presentation.json``: a W3C VC Data Model 2.0 ``VerifiablePresentation`` holding every Open
  Badges 3.0 / CLR credential, JSON-LD ones as they are and VC-JWTs as
  ``EnvelopedVerifiableCredential``; Open Badges 1.x/2.0 assertions are not verifiable
  credentials, so they are only in ``credentials/`` and the index.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import typing as t
import unicodedata
import zipfile
from dataclasses import dataclass
from dataclasses import field

from wallet.badges import baking
from wallet.badges import formats
from wallet.errors import Invalid

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
#: Formats whose credential is a W3C verifiable credential, so it belongs in the presentation.
VC_FORMATS = ("ob3-credential", "clr-credential", "vc-jwt")
#: File extension of each kind of original.
EXTENSIONS = {
    "image/png": "png",
    "image/svg+xml": "svg",
    "application/json": "json",
    "application/jwt": "jwt",
}
_SLUG_DROP = re.compile(r"[^a-z0-9]+")
#: Longest slug in a file name; achievement names can be long.
MAX_SLUG = 50

README = """\
Your wallet export
==================

Made {generated} for @{handle}, from {wallet}.

profile.json
    Your account: handle, name, language, email addresses and whether each is verified.

credentials/
    Every badge and credential in your wallet, exactly as you received it: baked images (.png,
    .svg), JSON documents (.json), signed tokens (.jwt for verifiable credentials, .jws for
    signed Open Badges 2.0 assertions), or the web address it was imported from (.txt).
    Each one can be checked again by any Open Badges verifier, for example:
        wallet verify credentials/<file>

index.json
    One entry per file in credentials/: its format, issuer, achievement, dates, whether it was
    valid when last checked (with every check and its message), and who may see it.

presentation.json
    Your Open Badges 3.0 and CLR credentials in one W3C Verifiable Credentials 2.0
    presentation, to hand to another wallet. Each credential inside keeps its issuer's
    signature; VC-JWTs are enclosed as EnvelopedVerifiableCredential. The presentation itself
    is NOT signed by you (the wallet holds no key of yours), so it proves nothing about who
    presents it: a verifier checks each credential on its own. Open Badges 1.x and 2.0
    assertions are not verifiable credentials; they are only in credentials/ and index.json.
"""


@dataclass(frozen=True)
class Email:
    """One of the earner's addresses."""

    email: str
    verified_at: dt.datetime | None
    primary: bool
    added_at: dt.datetime


@dataclass(frozen=True)
class Profile:
    """The earner's account, as written to ``profile.json``."""

    handle: str
    display_name: str
    locale: str | None
    created_at: dt.datetime
    last_sign_in_at: dt.datetime | None
    emails: list[Email] = field(default_factory=list)


@dataclass(frozen=True)
class Item:
    """One award: its original bytes and what the wallet knows about it."""

    original: bytes
    original_type: str
    format: str
    credential_id: str
    issuer_id: str
    issuer_name: str
    achievement_name: str
    achievement_type: str
    issued_at: dt.datetime | None
    expires_at: dt.datetime | None
    #: What the earner sees first: ``valid``, ``invalid``, ``unverifiable``, ``revoked`` or
    #: ``expired``.
    state: str
    #: The last verification report (``Report.to_json()``).
    verification: dict[str, t.Any]
    verified_at: dt.datetime
    revoked_at: dt.datetime | None
    visibility: str
    added_at: dt.datetime


def _stamp(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slug(name: str) -> str:
    """Return a file-name-safe form of ``name``: ASCII letters, digits and hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = _SLUG_DROP.sub("-", ascii_name.lower()).strip("-")
    return text[:MAX_SLUG].rstrip("-") or "badge"


def extension(item: Item) -> str:
    """Return the file extension that says what the original is."""
    if item.original_type in EXTENSIONS:
        return EXTENSIONS[item.original_type]
    if item.format == "vc-jwt":
        return "jwt"
    if item.format == "ob2-signed":
        return "jws"
    return "txt"


def presented(item: Item) -> dict[str, t.Any] | None:
    """Return the credential as it goes into the presentation, or None when it does not.

    Baked images contribute the credential read from the image. An original that is a web
    address is left out: the export never fetches anything.
    """
    return presented_original(item.original, item.original_type, item.format)


def presented_original(original: bytes, original_type: str, format: str) -> dict[str, t.Any] | None:
    """Return an original credential as it goes into a presentation, or None when it does not."""
    if format not in VC_FORMATS:
        return None
    try:
        text: bytes | str = original
        if original_type in ("image/png", "image/svg+xml"):
            text = baking.extract(original).text
        detected = formats.detect(text)
    except Invalid:
        return None
    if detected.format == "vc-jwt":
        return {
            "@context": VC_V2_CONTEXT,
            "id": f"data:application/vc+jwt,{detected.text}",
            "type": "EnvelopedVerifiableCredential",
        }
    if detected.format in ("ob3-credential", "clr-credential"):
        return detected.document
    return None


class Builder:
    """Write an export zip one award at a time, then finish it with the index and presentation."""

    def __init__(self, profile: Profile, *, generated_at: dt.datetime, wallet: str) -> None:
        self.profile = profile
        self.generated_at = generated_at
        self.wallet = wallet
        self._buffer = io.BytesIO()
        self._zip = zipfile.ZipFile(self._buffer, "w", compression=zipfile.ZIP_DEFLATED)
        self._index: list[dict[str, t.Any]] = []
        self._credentials: list[dict[str, t.Any]] = []
        # Zip entries carry local wall time without a zone; UTC keeps them the same everywhere.
        moment = generated_at.astimezone(dt.UTC)
        self._time = (
            moment.year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
        )
        self._write(
            "README.txt",
            README.format(
                generated=_stamp(generated_at), handle=profile.handle, wallet=wallet
            ).encode(),
        )
        self._write("profile.json", _json(self._profile_json()))

    def _write(self, name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(name, date_time=self._time)
        # Images are compressed already; deflating them again only costs time.
        info.compress_type = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self._zip.writestr(info, data)

    def _profile_json(self) -> dict[str, t.Any]:
        profile = self.profile
        return {
            "handle": profile.handle,
            "display_name": profile.display_name,
            "locale": profile.locale,
            "created_at": _stamp(profile.created_at),
            "last_sign_in_at": _stamp(profile.last_sign_in_at),
            "emails": [
                {
                    "email": email.email,
                    "verified": email.verified_at is not None,
                    "verified_at": _stamp(email.verified_at),
                    "primary": email.primary,
                    "added_at": _stamp(email.added_at),
                }
                for email in profile.emails
            ],
            "exported_at": _stamp(self.generated_at),
        }

    @property
    def count(self) -> int:
        """Return how many awards were written."""
        return len(self._index)

    def add(self, item: Item) -> str:
        """Write one award's original and remember its index entry; return its file name."""
        number = len(self._index) + 1
        name = f"credentials/{number:03d}-{slug(item.achievement_name)}.{extension(item)}"
        self._write(name, item.original)
        credential = presented(item)
        if credential is not None:
            self._credentials.append(credential)
        self._index.append(
            {
                "file": name,
                "format": item.format,
                "media_type": item.original_type,
                "credential_id": item.credential_id,
                "issuer": {"id": item.issuer_id, "name": item.issuer_name},
                "achievement": {"name": item.achievement_name, "type": item.achievement_type},
                "issued_at": _stamp(item.issued_at),
                "expires_at": _stamp(item.expires_at),
                "added_at": _stamp(item.added_at),
                "revoked_at": _stamp(item.revoked_at),
                "state": item.state,
                "verification": {
                    "status": item.verification.get("status"),
                    "checked_at": _stamp(item.verified_at),
                    "checks": item.verification.get("checks", []),
                },
                "visibility": item.visibility,
                "in_presentation": credential is not None,
            }
        )
        return name

    def finish(self) -> bytes:
        """Write the index and the presentation and return the zip's bytes."""
        self._write(
            "index.json",
            _json(
                {
                    "wallet": self.wallet,
                    "handle": self.profile.handle,
                    "exported_at": _stamp(self.generated_at),
                    "count": len(self._index),
                    "credentials": self._index,
                }
            ),
        )
        self._write("presentation.json", _json(presentation(self._credentials)))
        self._zip.close()
        return self._buffer.getvalue()


def presentation(credentials: list[dict[str, t.Any]]) -> dict[str, t.Any]:
    """Return an unsigned VC Data Model 2.0 presentation of ``credentials``."""
    return {
        "@context": [VC_V2_CONTEXT],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": credentials,
    }


def _json(value: t.Any) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False).encode()
