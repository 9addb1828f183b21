"""Reading badge files out of an uploaded zip: limits hold whatever the zip claims."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from tests.refusals import answers_or_refuses
from wallet.backpack import archive
from wallet.errors import Invalid

MB = 1024 * 1024


def _zip(entries: list[tuple[str, bytes]], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as made:
        for name, data in entries:
            made.writestr(name, data)
    return buffer.getvalue()


def test_badges_come_out_in_order_without_folders_resource_forks_or_hidden_files() -> None:
    data = _zip(
        [
            ("b.json", b"{}"),
            ("dir/", b""),
            ("__MACOSX/._b.json", b"fork"),
            (".DS_Store", b"x"),
            ("dir/.hidden/a.png", b"x"),
            ("dir/a.png", b"png"),
        ]
    )
    entries = archive.read_zip(data)
    assert [(entry.name, entry.data) for entry in entries] == [
        ("b.json", b"{}"),
        ("dir/a.png", b"png"),
    ]


def test_names_are_cleaned_for_display() -> None:
    assert archive.display_name("gpj\u202e.exe") == "gpj.exe"
    assert archive.display_name("a\tb\n\x00c.png") == "a b c.png"
    assert archive.display_name("") == "(unnamed)"
    assert len(archive.display_name("x" * 1000)) == archive.MAX_NAME


def test_the_unpacked_total_is_capped() -> None:
    # 21 files of 5 MB of zeros: each allowed alone, together past the 100 MB cap.
    data = _zip([(f"{n}.png", b"\0" * (5 * MB)) for n in range(21)])
    with pytest.raises(Invalid, match="add up to more than 100 MB"):
        archive.read_zip(data)


def test_room_left_by_other_files_counts() -> None:
    data = _zip([(f"{n}.json", b"{}") for n in range(3)])
    assert len(archive.read_zip(data, room=3)) == 3
    with pytest.raises(Invalid, match="at most 2"):
        archive.read_zip(data, room=2)


def test_a_password_protected_entry_is_refused() -> None:
    raw = bytearray(_zip([("secret.json", b"{}")], compression=zipfile.ZIP_STORED))
    for header, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.find(header) + flags_at
        raw[at] |= 0x1
    with pytest.raises(Invalid, match="protected by a password"):
        archive.read_zip(bytes(raw))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_any_bytes_give_entries_or_a_clear_refusal(data: bytes) -> None:
    answers_or_refuses(archive.read_zip, data)


VALID = _zip([("a.json", b'{"a": 1}' * 50), ("b.png", b"\x89PNG" + bytes(range(256)) * 4)])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), max_size=8))
def test_a_damaged_zip_gives_entries_or_a_clear_refusal(changes: list[tuple[int, int]]) -> None:
    raw = bytearray(VALID)
    for offset, value in changes:
        raw[offset] = value
    answers_or_refuses(archive.read_zip, bytes(raw))
