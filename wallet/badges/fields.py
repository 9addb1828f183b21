"""Read fields out of untrusted badge JSON, collecting a problem per field instead of failing. Pure.

A parser walks a document with a ``Reader``, asks for each field as text, IRI, list or timestamp,
and at the end raises one ``FieldsError`` that names every field that was missing or malformed, so
an earner (or an issuer) sees everything wrong at once.
"""

from __future__ import annotations

import datetime as dt
import re
import typing as t
from dataclasses import dataclass

from wallet.errors import Invalid
from wallet.messages import N_
from wallet.messages import Message

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UNIX = re.compile(r"^-?\d{1,11}$")
#: Far enough from datetime's limits that adding a day or a zone offset never overflows.
_EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Problem:
    """One field that is missing or malformed."""

    #: The JSON member, dotted for nested ones (``recipient.identity``); empty for the document.
    field: str
    #: What is wrong, as the end of a sentence ("it is missing"), marked with ``N_``.
    message: str
    missing: bool = False


#: Per document a parser reads: its sentences for missing fields, a bad field, a bad document.
#: Whole sentences rather than "The %(what)s", so each language can get its grammar right.
_SENTENCES: dict[str, tuple[str, str, str]] = {
    "badge": (
        N_("The badge is missing required fields: %(fields)s."),
        N_("The badge's %(field)s is not valid: %(problem)s."),
        N_("The badge is not valid: %(problem)s."),
    ),
    "badge description": (
        N_("The badge description is missing required fields: %(fields)s."),
        N_("The badge description's %(field)s is not valid: %(problem)s."),
        N_("The badge description is not valid: %(problem)s."),
    ),
    "issuer": (
        N_("The issuer is missing required fields: %(fields)s."),
        N_("The issuer's %(field)s is not valid: %(problem)s."),
        N_("The issuer is not valid: %(problem)s."),
    ),
    "issuer key": (
        N_("The issuer key is missing required fields: %(fields)s."),
        N_("The issuer key's %(field)s is not valid: %(problem)s."),
        N_("The issuer key is not valid: %(problem)s."),
    ),
}


class FieldsError(Invalid):
    """A document lacks required fields or has malformed ones; ``problems`` names each.

    :param what: the document: ``badge``, ``badge description``, ``issuer`` or ``issuer key``.
    """

    def __init__(self, what: str, problems: t.Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        # Sub-documents (criteria, alignment) report through their parent, so this is a fallback.
        missing_fields, bad_field, bad_document = _SENTENCES.get(what, _SENTENCES["badge"])
        missing = [problem.field for problem in self.problems if problem.missing]
        sentences = []
        if missing:
            sentences.append(Message(missing_fields, fields=", ".join(missing)))
        for problem in self.problems:
            if problem.missing:
                continue
            reason = Message.of(problem.message)
            if problem.field:
                sentences.append(Message(bad_field, field=problem.field, problem=reason))
            else:
                sentences.append(Message(bad_document, problem=reason))
        # This template only joins the sentences: there is nothing in it to translate.
        super().__init__(
            Message("%(sentences)s", sentences=sentences), field=self.problems[0].field or None
        )


def parse_timestamp(value: t.Any, name: str = "date") -> dt.datetime:
    """Read an OB timestamp: ISO 8601 (2.0), a bare date or Unix seconds (1.x) -> aware UTC.

    A time without a zone is read as UTC: OB 2.0 requires the zone, but issuers omit it.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(int(value)) if abs(value) < 1e12 else "too large"
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise Invalid(Message(N_("The badge's %(name)s date is missing or not a date."), name=name))
    try:
        if _UNIX.match(text):
            parsed = dt.datetime.fromtimestamp(int(text), dt.UTC)
        elif _DATE.match(text):
            parsed = dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
        else:
            parsed = dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=dt.UTC)
            parsed = parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError, OSError) as error:
        raise Invalid(
            Message(
                N_("The badge's %(name)s date (%(value)s) is not a date."),
                name=name,
                value=text[:40],
            )
        ) from error
    if not _EARLIEST <= parsed < _LATEST:
        raise Invalid(
            Message(
                N_("The badge's %(name)s date (%(value)s) is out of range."),
                name=name,
                value=text[:40],
            )
        )
    return parsed


class Reader:
    """Typed access to one JSON object's fields, recording a ``Problem`` for each bad one."""

    def __init__(
        self,
        document: t.Any,
        what: str,
        *,
        parent: Reader | None = None,
        prefix: str | None = None,
    ) -> None:
        self.document: dict[str, t.Any] = document if isinstance(document, dict) else {}
        self.what = what
        self.problems: list[Problem] = parent.problems if parent is not None else []
        self.prefix = prefix if prefix is not None else (f"{what}." if parent is not None else "")

    def problem(self, name: str, message: str, *, missing: bool = False) -> None:
        """Record that field ``name`` is wrong."""
        self.problems.append(Problem(f"{self.prefix}{name}".rstrip("."), message, missing))

    def raise_if_any(self) -> None:
        """Raise ``FieldsError`` naming every problem recorded so far."""
        if self.problems:
            raise FieldsError(self.what, self.problems)

    @staticmethod
    def iri(value: t.Any) -> str | None:
        """Return an IRI given as a string or as an object with an ``id``."""
        if isinstance(value, dict):
            value = value.get("id")
        return value.strip() if isinstance(value, str) and value.strip() else None

    def types(self) -> set[str]:
        """Return the local names of the document's ``type`` values."""
        value = self.document.get("type", self.document.get("@type", []))
        values = value if isinstance(value, list) else [value]
        return {
            item.rsplit("/", 1)[-1].rsplit("#", 1)[-1].rsplit(":", 1)[-1]
            for item in values
            if isinstance(item, str)
        }

    def optional_text(self, name: str) -> str | None:
        """Return field ``name`` if it is non-empty text."""
        value = self.document.get(name)
        return value.strip() if isinstance(value, str) and value.strip() else None

    def required_text(self, name: str) -> str:
        """Return field ``name``, recording a problem if it is missing or not text."""
        value = self.optional_text(name)
        if value is None:
            self._missing_or_wrong(name, N_("it must be text"))
        return value or ""

    def optional_iri(self, name: str) -> str | None:
        """Return field ``name`` as an IRI (a string, or an object's ``id``)."""
        return self.iri(self.document.get(name))

    def required_iri(self, name: str) -> str:
        """Return field ``name`` as an IRI, recording a problem if it is missing."""
        value = self.optional_iri(name)
        if value is None:
            self._missing_or_wrong(name, N_("it must be a link or an object with an id"))
        return value or ""

    def iris(self, name: str) -> tuple[str, ...]:
        """Return field ``name`` (one IRI or a list of them) as a tuple."""
        value = self.document.get(name, [])
        items = value if isinstance(value, list) else [value]
        return tuple(iri for iri in (self.iri(item) for item in items) if iri)

    def timestamp(self, *names: str, required: bool = False) -> dt.datetime | None:
        """Return the first of ``names`` present as an aware UTC datetime."""
        name = next((n for n in names if self.document.get(n) not in (None, "")), None)
        if name is None:
            if required:
                self.problem(names[0], N_("it is missing"), missing=True)
            return None
        try:
            return parse_timestamp(self.document[name], name)
        except Invalid:
            self.problem(name, N_("it is not a date (ISO 8601, for example 2024-05-01T12:00:00Z)"))
            return None

    def _missing_or_wrong(self, name: str, message: str) -> None:
        if self.document.get(name) in (None, "", [], {}):
            self.problem(name, N_("it is missing"), missing=True)
        else:
            self.problem(name, message)
