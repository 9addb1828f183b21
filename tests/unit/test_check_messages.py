"""Verification messages keep their msgid and params, so a stored report can be shown in Spanish."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import typing as t
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from wallet.badges import ob2
from wallet.badges.report import CHECK_NAMES
from wallet.badges.report import Report
from wallet.badges.verify import verify
from wallet.config import PROJECT_ROOT
from wallet.http import ConnectionFailed
from wallet.i18n import TRANSLATIONS
from wallet.messages import N_
from wallet.messages import Message

if t.TYPE_CHECKING:
    from wallet.http import Fetched

VECTORS = Path(__file__).parent.parent / "data" / "vectors"
MANIFEST = json.loads((VECTORS / "MANIFEST.json").read_text())["files"]
#: Code whose sentences end up in verification reports.
SOURCES = sorted((PROJECT_ROOT / "wallet" / "badges").glob("*.py")) + [
    PROJECT_ROOT / "wallet" / "http.py"
]
#: Calls whose argument is a sentence for people: raising one of our errors, a check, a problem.
_SENTENCE_CALLS = re.compile(
    r"^(\w*Error|\w*Problem|Invalid|BlockedURL|TooLarge|FetchTimeout|"
    r"BadContentType|TooManyRedirects|ConnectionFailed|ContextUnavailable|"
    r"UndefinedTerms|add|could_not|fail|problem)$"
)


def _spanish() -> dict[str, str]:
    with (TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    return {m.id: m.string for m in catalog if isinstance(m.id, str) and m.id and m.string}


def _templates(message: Message) -> t.Iterator[str]:
    """Yield the msgids a message is made of, nested ones too (a join of sentences is none)."""
    if re.sub(r"%\(\w+\)s", "", message.template).strip():
        yield message.template
    for value in message.params.values():
        if isinstance(value, Message):
            yield from _templates(value)
        elif isinstance(value, list | tuple):
            for item in value:
                yield from _templates(item)


def _offline(url: str, *, accept: t.Sequence[str]) -> Fetched:
    raise ConnectionFailed(N_("The server could not be reached."), url=url)


def test_a_message_is_its_english_sentence_and_says_itself_in_another_language() -> None:
    inner = Message(N_('The JSON names "%(key)s" twice; a credential names it once.'), key="id")
    message = Message(N_("The issuer's copy of the badge is malformed: %(error)s"), error=inner)
    assert message == (
        "The issuer's copy of the badge is malformed: "
        'The JSON names "id" twice; a credential names it once.'
    )
    spanish = _spanish()
    rebuilt = Message.from_json(json.loads(json.dumps(message.to_json())))
    assert rebuilt.render(lambda msgid: spanish.get(msgid, msgid)) == (
        "La copia de la insignia del emisor está mal formada: "
        'El JSON nombra "id" dos veces; una credencial lo nombra una sola vez.'
    )


def test_a_translation_with_a_broken_placeholder_falls_back_to_english() -> None:
    message = Message(N_("The badge expired on %(date)s."), date="2025-01-01")
    assert message.render(lambda _msgid: "La insignia caducó el %(fecha)s.") == str(message)


def test_plain_text_is_kept_as_it_is_even_with_a_percent_sign() -> None:
    assert Message.of("100% sure").render(lambda msgid: msgid) == "100% sure"
    assert Message.from_json(None, fallback="Stored before templates.") == (
        "Stored before templates."
    )


def test_a_parser_error_carries_every_problem_in_the_readers_language() -> None:
    with pytest.raises(ob2.FieldsError) as raised:
        ob2.parse_assertion({"type": "Assertion", "@context": "https://w3id.org/openbadges/v2"})
    spanish = _spanish()
    text = raised.value.message.render(lambda msgid: spanish.get(msgid, msgid))
    assert text.startswith("A la insignia le faltan campos obligatorios: recipient, ")
    assert "recipient" in str(raised.value.message)


def test_the_command_line_json_keeps_its_shape() -> None:
    report = Report(format="ob2-assertion", checked_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    report.add("validity", "fail", Message(N_("The badge expired on %(date)s."), date="2025-01-01"))
    assert report.to_json()["checks"] == [
        {"name": "validity", "status": "fail", "message": "The badge expired on 2025-01-01."}
    ]
    stored = report.to_json(translatable=True)["checks"][0]
    assert stored["template"] == "The badge expired on %(date)s."
    assert stored["params"] == {"date": "2025-01-01"}


def _sentence_argument(call: ast.Call) -> ast.expr | None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    # FieldsError("badge", problems) names the document; its sentences are in the Problems.
    if not _SENTENCE_CALLS.match(name) or name == "FieldsError" or not call.args:
        return None
    # report.add(name, status, message), report.could_not(name, message), problem(field, message)
    position = {"add": 2, "could_not": 1, "problem": 1, "Problem": 1}.get(name, 0)
    return call.args[position] if len(call.args) > position else None


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_every_sentence_in_a_report_is_marked_for_translation(path: Path) -> None:
    """A bare or formatted string would reach an earner in English whatever their language."""
    unmarked = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        argument = _sentence_argument(node)
        if isinstance(argument, ast.Constant | ast.JoinedStr | ast.BinOp) and isinstance(
            getattr(argument, "value", ""), str
        ):
            unmarked.append(f"{path.name}:{node.lineno}")
    assert unmarked == [], "wrap these in N_(...) or Message(N_(...), ...):\n" + "\n".join(unmarked)


def test_every_check_name_used_is_marked_for_translation() -> None:
    used = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("add", "could_not")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "report"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                used.add(node.args[0].value)
    assert used, "the walk found no checks: has report.add been renamed?"
    assert sorted(used - set(CHECK_NAMES)) == []
    spanish = _spanish()
    assert sorted(name for name in CHECK_NAMES if name not in spanish) == []


def _verifiable() -> list[str]:
    readable = ("vc ", "ob2 Assertion", "ob2 BadgeClass", "ob2 Issuer", "jws", "png", "svg")
    return [path for path, info in MANIFEST.items() if info["kind"].startswith(readable)]


def test_every_message_the_verifier_gives_on_the_vectors_has_a_spanish_translation() -> None:
    """Run the verifier offline over the public vectors and look up every msgid it used."""
    spanish = _spanish()
    missing: dict[str, str] = {}
    names = set()
    for path in _verifiable():
        report = verify((VECTORS / path).read_bytes(), fetch=_offline, recipients=["a@example.org"])
        for check in report.checks:
            names.add(check.name)
            for template in _templates(check.message):
                if template not in spanish:
                    missing.setdefault(template, path)
    assert names >= {"format", "signature", "revocation", "validity", "recipient"}
    assert missing == {}
