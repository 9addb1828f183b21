"""Message catalogues: extract with Babel, compile the .po files Flask-Babel reads as .mo."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from babel import support
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from wallet.config import PROJECT_ROOT

#: Where the catalogues live: ``wallet/translations/<locale>/LC_MESSAGES/messages.po``.
TRANSLATIONS = PROJECT_ROOT / "wallet" / "translations"


def compile_catalogues(folder: Path = TRANSLATIONS) -> list[Path]:
    """Compile every ``messages.po`` under ``folder`` into ``messages.mo``; return the .mo paths."""
    written = []
    for po_path in sorted(folder.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo_path)
    return written


def update_catalogues(folder: Path = TRANSLATIONS) -> list[Path]:
    """Extract messages into ``messages.pot`` and merge them into every locale's catalogue."""
    pot = folder / "messages.pot"
    cli = CommandLineInterface()
    cli.run(  # type: ignore[no-untyped-call]
        [
            "pybabel",
            "extract",
            "-F",
            str(PROJECT_ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-o",
            str(pot),
            # Relative, so the catalogues name files as the repository does, not this machine.
            os.path.relpath(PROJECT_ROOT),
        ]
    )
    cli.run(  # type: ignore[no-untyped-call]
        ["pybabel", "update", "-i", str(pot), "-d", str(folder), "--no-fuzzy-matching"]
    )
    return sorted(folder.glob("*/LC_MESSAGES/messages.po"))


@functools.cache
def translations(locale: str | None) -> support.NullTranslations:
    """Return the compiled catalogue of ``locale`` (English when there is none), outside Flask.

    Mail built by background jobs uses it: there is no request whose language Flask-Babel could
    read, so the earner's saved language is passed in.
    """
    return support.Translations.load(str(TRANSLATIONS), [locale or "en"])
