"""What a survey asks: question types, their limits, and checking an issuer's definition. Pure.

A version of a survey stores its questions as JSON (``Question.to_json``). A question keeps its
``id`` across versions when the issuer edits it, so answers can be followed, but every answer is
read with the version it answered, so an edit never changes what an earner said.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass
from dataclasses import field

from wallet.messages import N_
from wallet.messages import Message

#: Question types: Net Promoter Score 0-10, rating 1-5, one option, several options, free text.
TYPES = ("nps", "rating", "single", "multiple", "text")
#: Most questions in one survey, options in one question.
MAX_QUESTIONS, MAX_OPTIONS = 20, 12
#: Longest question, option, and the cap of a free-text answer's length.
TEXT_MAX, OPTION_MAX, ANSWER_MAX = 300, 120, 2_000
#: Length of a free-text answer when the issuer does not say.
ANSWER_DEFAULT = 1_000
#: The values of the scales.
NPS_RANGE, RATING_RANGE = (0, 10), (1, 5)
_ID = re.compile(r"^q[0-9]{1,3}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Question:
    """One question of a survey version."""

    id: str
    type: str
    text: str
    required: bool = False
    #: The choices of ``single`` and ``multiple`` questions, as shown.
    options: tuple[str, ...] = field(default=())
    #: Longest answer of a ``text`` question.
    max_length: int = 0

    @property
    def choice(self) -> bool:
        """Return whether the answer is picked from ``options``."""
        return self.type in ("single", "multiple")

    def to_json(self) -> dict[str, t.Any]:
        """Return the question as stored in a version."""
        return {
            "id": self.id,
            "type": self.type,
            "text": self.text,
            "required": self.required,
            "options": list(self.options),
            "max_length": self.max_length,
        }

    @classmethod
    def from_json(cls, value: t.Mapping[str, t.Any]) -> Question:
        """Rebuild a stored question."""
        return cls(
            id=str(value["id"]),
            type=str(value["type"]),
            text=str(value["text"]),
            required=bool(value.get("required")),
            options=tuple(str(o) for o in value.get("options") or ()),
            max_length=int(value.get("max_length") or 0),
        )


def load(stored: t.Sequence[t.Mapping[str, t.Any]]) -> list[Question]:
    """Return the questions of a stored version."""
    return [Question.from_json(item) for item in stored]


def clean_text(value: t.Any, limit: int) -> str:
    """Return ``value`` as one trimmed line of text without control characters, or ``""``."""
    text = _CONTROL.sub("", str(value or "")).strip()
    return text if len(text) <= limit else text[:limit]


def define(
    rows: t.Sequence[t.Mapping[str, t.Any]], *, used_ids: t.Collection[str] = ()
) -> tuple[list[Question], dict[int, Message]]:
    """Check an issuer's questions; return them and an error for each bad row (by position).

    A row is ``{"id"?, "type", "text", "required", "options": [str], "max_length"?}``. A row
    without text is dropped (an empty slot of the form). A row that names an ``id`` of an earlier
    version keeps it; other rows get a new id never used by this survey (``used_ids``).
    """
    errors: dict[int, Message] = {}
    kept: list[tuple[int, dict[str, t.Any]]] = []
    for position, row in enumerate(rows):
        text = _CONTROL.sub("", str(row.get("text") or "")).strip()
        if not text:
            continue
        kind = str(row.get("type") or "")
        options = _options(row.get("options"))
        max_length = row.get("max_length")
        if kind not in TYPES:
            errors[position] = Message(N_("Choose one of the listed question types."))
        elif len(text) > TEXT_MAX:
            errors[position] = Message(
                N_("Write the question in at most %(count)d characters."), count=TEXT_MAX
            )
        elif kind in ("single", "multiple") and len(options) < 2:
            errors[position] = Message(N_("Give at least two options, one a line."))
        elif len(options) > MAX_OPTIONS:
            errors[position] = Message(N_("Give at most %(count)d options."), count=MAX_OPTIONS)
        elif any(len(option) > OPTION_MAX for option in options):
            errors[position] = Message(
                N_("Write each option in at most %(count)d characters."), count=OPTION_MAX
            )
        elif len(set(options)) != len(options):
            errors[position] = Message(N_("Give each option once."))
        elif kind == "text" and max_length not in (None, "") and not _length_ok(max_length):
            errors[position] = Message(
                N_("A free-text answer may be 1 to %(count)d characters long."), count=ANSWER_MAX
            )
        else:
            kept.append(
                (
                    position,
                    {
                        "id": str(row.get("id") or ""),
                        "type": kind,
                        "text": text,
                        "required": bool(row.get("required")),
                        "options": tuple(options) if kind in ("single", "multiple") else (),
                        "max_length": _max_length(kind, max_length),
                    },
                )
            )
    if len(kept) > MAX_QUESTIONS:
        errors[kept[MAX_QUESTIONS][0]] = Message(
            N_("A survey has at most %(count)d questions."), count=MAX_QUESTIONS
        )
    taken = set(used_ids)
    seen: set[str] = set()
    questions = []
    for _position, values in kept[:MAX_QUESTIONS]:
        if not _ID.match(values["id"]) or values["id"] not in taken or values["id"] in seen:
            values["id"] = _new_id(taken | seen)
        seen.add(values["id"])
        questions.append(Question(**values))
    return questions, errors


def _options(value: t.Any) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple):
        return []
    found = [_CONTROL.sub("", str(option)).strip() for option in value]
    return [option for option in found if option]


def _length_ok(value: t.Any) -> bool:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return False
    return 1 <= number <= ANSWER_MAX


def _max_length(kind: str, value: t.Any) -> int:
    if kind != "text":
        return 0
    return int(value) if value not in (None, "") else ANSWER_DEFAULT


def _new_id(taken: t.Collection[str]) -> str:
    number = 1
    while f"q{number}" in taken:
        number += 1
    return f"q{number}"
