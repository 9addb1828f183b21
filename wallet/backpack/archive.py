"""Read the badge files out of a zip an earner uploaded, without trusting what the zip says.

Pure: no Flask, no database. A zip is untrusted input: its headers may lie about sizes (a zip
bomb), it may be damaged, encrypted or hold thousands of entries. Every entry is read with a
limit on what is decompressed, so memory stays bounded whatever the headers claim, and each
refusal says what is wrong in words the earner can act on.
"""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from wallet.errors import Invalid
from wallet.messages import N_
from wallet.messages import Message

#: Most badge files one bulk import takes (from a zip and separate files together).
MAX_FILES = 200
#: Largest badge file, inside a zip or not.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Most bytes a zip may unpack to: badges are small, so more than this is a bomb or a mistake.
MAX_TOTAL_BYTES = 100 * 1024 * 1024
#: Most entries (skipped ones included) read from a zip's directory at all.
MAX_ENTRIES = 2 * MAX_FILES + 100
#: Longest file name kept for display.
MAX_NAME = 200
#: Read entries in chunks of this size so the limit is checked as bytes arrive.
_CHUNK = 64 * 1024
#: Bytes every zip starts with (a local file header; an empty zip starts with its end record).
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True)
class Entry:
    """One file taken out of a zip: its name for display and its bytes."""

    name: str
    data: bytes


def looks_like_zip(filename: str, head: bytes) -> bool:
    """Return whether an upload is meant as a zip: by its name, or by its first bytes."""
    return filename.lower().endswith(".zip") or head.startswith(ZIP_MAGIC)


def display_name(name: str) -> str:
    """Return a file name safe to show: no control or direction-changing characters, not too long.

    Names come from the uploader's machine or from inside a zip; a right-to-left override could
    make ``gpj.exe`` read as ``exe.jpg`` in the result list.
    """
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    kept = " ".join(kept.split()).strip()
    if len(kept) > MAX_NAME:
        kept = kept[: MAX_NAME - 1] + "…"
    return kept or "(unnamed)"


def is_skipped(name: str) -> bool:
    """Return whether a zip entry is not a badge: macOS resource forks and hidden files."""
    parts = [part for part in name.replace("\\", "/").split("/") if part]
    return not parts or parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)


def read_zip(data: bytes, *, room: int = MAX_FILES) -> list[Entry]:
    """Return the badge files in a zip, in its order; raise ``Invalid`` saying what is wrong.

    ``room`` is how many files the import still takes (other files may come with the zip).
    Directories, ``__MACOSX/`` and hidden files are skipped.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,
        struct.error,
    ) as error:
        raise Invalid(Message(N_("This file is not a zip archive we can open."))) from error
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _too_many(room)
        # A damaged directory can name an entry "" (and ZipInfo.is_dir() fails on that).
        wanted = [
            info
            for info in infos
            if info.filename and not info.is_dir() and not is_skipped(info.filename)
        ]
        if not wanted:
            raise Invalid(Message(N_("This zip holds no files to import.")))
        if len(wanted) > room:
            raise _too_many(room)
        entries: list[Entry] = []
        total = 0
        for info in wanted:
            name = display_name(info.filename)
            if info.flag_bits & 0x1:
                raise Invalid(
                    Message(N_("“%(name)s” in the zip is protected by a password."), name=name)
                )
            content = _read_entry(archive, info, name)
            total += len(content)
            if total > MAX_TOTAL_BYTES:
                raise Invalid(
                    Message(
                        N_("The files in this zip add up to more than %(size)d MB unpacked."),
                        size=MAX_TOTAL_BYTES // (1024 * 1024),
                    )
                )
            entries.append(Entry(name=name, data=content))
        return entries


def _too_many(room: int) -> Invalid:
    return Invalid(
        Message(
            N_("This zip holds more files than one import takes (at most %(count)d)."),
            count=room,
        )
    )


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """Read one entry, refusing it as soon as it unpacks past the limit (headers can lie)."""
    too_large = Invalid(Message(N_("“%(name)s” in the zip is larger than 5 MB."), name=name))
    if info.file_size > MAX_FILE_BYTES:
        raise too_large
    buffer = bytearray()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                buffer += chunk
                if len(buffer) > MAX_FILE_BYTES:
                    raise too_large
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        RuntimeError,
        struct.error,
    ) as error:
        raise Invalid(Message(N_("“%(name)s” in the zip is damaged."), name=name)) from error
    except NotImplementedError as error:
        raise Invalid(
            Message(N_("“%(name)s” in the zip is packed in a way we cannot read."), name=name)
        ) from error
    return bytes(buffer)
