"""Revocation and suspension through status lists."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.refusals import answers_or_refuses
from wallet.badges import status

VECTORS = Path(__file__).parent.parent / "data" / "vectors"
MANIFEST = json.loads((VECTORS / "MANIFEST.json").read_text())["files"]


def _encode(bits: bytes, *, multibase: bool = True) -> str:
    text = base64.urlsafe_b64encode(gzip.compress(bits)).rstrip(b"=").decode()
    return ("u" if multibase else "") + text


CASES = [
    pytest.param(path, index, expected, id=f"{path}#{index}")
    for path, info in MANIFEST.items()
    for index, expected in enumerate(info.get("status", []))
    if "listFile" in expected
]


@pytest.mark.parametrize(("path", "index", "expected"), CASES)
def test_every_vector_status_reads_the_bit_manifest_records(
    path: str, index: int, expected: dict[str, object]
) -> None:
    credential = json.loads((VECTORS / path).read_text())
    entry = status.entries_of(credential)[index]
    listed = json.loads((VECTORS / str(expected["listFile"])).read_text())
    assert status.check_bitstring(entry, listed) == expected["bit"]


def test_bits_are_counted_from_the_most_significant_bit() -> None:
    bits = bytes([0b1000_0000, 0b0000_0001])
    assert [status.status_value(bits, i) for i in (0, 1, 7, 15)] == [1, 0, 0, 1]
    assert status.status_value(bytes([0b0110_0000]), 0, size=2) == 1
    assert status.status_value(bytes([0b0110_0000]), 1, size=2) == 2


def test_both_list_encodings_are_read() -> None:
    bits = bytes(16 * 1024)
    revoked = bytearray(bits)
    revoked[5] = 0b0010_0000
    for kind, multibase in (("BitstringStatusListEntry", True), ("StatusList2021Entry", False)):
        entry = status.StatusEntry(kind, "https://issuer.example/status/1", index=42)
        listed = {
            "credentialSubject": {"encodedList": _encode(bytes(revoked), multibase=multibase)}
        }
        assert status.check_bitstring(entry, listed) == 1
        assert status.check_bitstring(status.StatusEntry(kind, "x", index=41), listed) == 0


def test_a_list_for_another_purpose_is_refused() -> None:
    entry = status.StatusEntry("BitstringStatusListEntry", "x", index=1, purpose="revocation")
    listed = {
        "credentialSubject": {"statusPurpose": "suspension", "encodedList": _encode(bytes(8))}
    }
    with pytest.raises(status.StatusError, match="different purpose"):
        status.check_bitstring(entry, listed)


def test_an_index_outside_the_list_is_refused() -> None:
    with pytest.raises(status.StatusError, match="outside"):
        status.status_value(bytes(2), 16)


def test_a_gzip_bomb_is_refused() -> None:
    bomb = _encode(bytes(64 * 1024 * 1024))
    with pytest.raises(status.StatusError, match="too large"):
        status.decode_bitstring(bomb, multibase=True)


def test_the_1edtech_revocation_list_is_read() -> None:
    listed = {
        "revokedCredential": [
            {"id": "urn:uuid:1", "revocationReason": "Issued in error"},
            {"id": "urn:uuid:2", "revoked": False},
        ]
    }
    assert status.check_revocation_list("urn:uuid:1", listed) == "Issued in error"
    assert status.check_revocation_list("urn:uuid:2", listed) is None
    assert status.check_revocation_list("urn:uuid:3", listed) is None


@given(st.text(max_size=200))
def test_any_encoded_list_is_read_or_refused(encoded: str) -> None:
    answers_or_refuses(lambda: status.decode_bitstring(encoded, multibase=True))
