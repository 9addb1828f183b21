"""Credential status: is a credential revoked or suspended? Pure: the caller fetches the lists.

Handles W3C ``BitstringStatusListEntry`` (multibase ``u`` + base64url of a GZIP bitstring),
``StatusList2021Entry`` (plain base64url), and 1EdTech's ``1EdTechRevocationList``.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import typing as t
import zlib
from dataclasses import dataclass

from wallet.errors import Invalid
from wallet.messages import N_

#: A status list larger than this once inflated is refused (16 MB holds 134 million entries).
MAX_BITSTRING_BYTES = 16 * 1024 * 1024
BITSTRING_TYPES = ("BitstringStatusListEntry", "StatusList2021Entry")


class StatusError(Invalid):
    """A status entry or list cannot be read."""


@dataclass(frozen=True)
class StatusEntry:
    """Where a credential's status is published."""

    type: str
    #: The list to fetch: ``statusListCredential`` or the revocation list's id.
    list_url: str
    index: int = 0
    purpose: str = "revocation"
    size: int = 1


def entries_of(credential: dict[str, t.Any]) -> list[StatusEntry]:
    """Return the credential's status entries we know how to check."""
    value = credential.get("credentialStatus", [])
    found = []
    for entry in value if isinstance(value, list) else [value]:
        if not isinstance(entry, dict):
            continue
        kind = str(entry.get("type", ""))
        if kind in BITSTRING_TYPES:
            url = entry.get("statusListCredential")
            try:
                index = int(entry.get("statusListIndex", -1))
                size = int(entry.get("statusSize", 1))
            except (TypeError, ValueError) as error:
                raise StatusError(
                    N_("The credential's status entry has no valid index.")
                ) from error
            if not isinstance(url, str) or index < 0 or size < 1:
                raise StatusError(N_("The credential's status entry is incomplete."))
            purpose = str(entry.get("statusPurpose", "revocation"))
            found.append(StatusEntry(kind, url, index, purpose, size))
        elif kind == "1EdTechRevocationList" and isinstance(entry.get("id"), str):
            found.append(StatusEntry(kind, entry["id"]))
    return found


def decode_bitstring(encoded: str, *, multibase: bool) -> bytes:
    """Return the raw bits of an ``encodedList`` (GZIP, base64url; ``u``-prefixed for W3C)."""
    text = encoded
    if multibase:
        if not text.startswith("u"):
            raise StatusError(N_("The status list is not in the expected form."))
        text = text[1:]
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        raw = inflater.decompress(compressed, MAX_BITSTRING_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error, gzip.BadGzipFile) as error:
        raise StatusError(N_("The status list is damaged.")) from error
    if len(raw) > MAX_BITSTRING_BYTES or inflater.unconsumed_tail:
        raise StatusError(N_("The status list is too large."))
    return raw


def status_value(bits: bytes, index: int, size: int = 1) -> int:
    """Return the status at ``index`` (bit 0 is the most significant bit of byte 0)."""
    start = index * size
    if start + size > len(bits) * 8:
        raise StatusError(N_("The credential's status index is outside its status list."))
    value = 0
    for position in range(start, start + size):
        byte, bit = divmod(position, 8)
        value = (value << 1) | ((bits[byte] >> (7 - bit)) & 1)
    return value


def check_bitstring(entry: StatusEntry, list_credential: dict[str, t.Any]) -> int:
    """Return the entry's status value in ``list_credential`` (non-zero: the purpose applies)."""
    subject = list_credential.get("credentialSubject")
    if not isinstance(subject, dict) or not isinstance(subject.get("encodedList"), str):
        raise StatusError(N_("The status list holds no list."))
    listed_purpose = subject.get("statusPurpose")
    if listed_purpose is not None and listed_purpose != entry.purpose:
        raise StatusError(
            N_("The status list is for a different purpose than the credential says.")
        )
    bits = decode_bitstring(
        subject["encodedList"], multibase=entry.type == "BitstringStatusListEntry"
    )
    return status_value(bits, entry.index, entry.size)


def check_revocation_list(credential_id: str, revocation_list: dict[str, t.Any]) -> str | None:
    """Return the reason if 1EdTech's revocation list revokes ``credential_id``, else None."""
    entries = revocation_list.get("revokedCredential", [])
    for entry in entries if isinstance(entries, list) else [entries]:
        revoked = isinstance(entry, dict) and entry.get("revoked", True) is not False
        if revoked and entry.get("id") == credential_id:
            reason = entry.get("revocationReason")
            return reason if isinstance(reason, str) else ""
    return None
