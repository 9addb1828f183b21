"""Every interface string has a Spanish translation, and the catalogues compile."""

from __future__ import annotations

from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from wallet.config import PROJECT_ROOT
from wallet.i18n import TRANSLATIONS

METHODS = [("wallet/**.py", "python"), ("templates/**.html", "jinja2")]


def _source_messages() -> set[str]:
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), METHODS, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_interface_string_is_translated_to_spanish() -> None:
    with (TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalog
        if m.id and not m.fuzzy and (m.string if isinstance(m.string, str) else all(m.string))
    }
    untranslated = sorted(_source_messages() - translated)
    assert untranslated == [], (
        "run `wallet translations extract` and translate these in "
        "wallet/translations/es/LC_MESSAGES/messages.po:\n" + "\n".join(untranslated)
    )
