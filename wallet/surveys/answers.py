"""Check an earner's answers against the questions they answered. Pure.

Answers arrive as a form does: for each question id, the list of values sent (none, one, or
several for a multiple choice). Every problem is said per question, in words the earner can act
on; the caller stores nothing unless there is no problem at all.
"""

from __future__ import annotations

import typing as t

from wallet.messages import N_
from wallet.messages import Message
from wallet.surveys.questions import NPS_RANGE
from wallet.surveys.questions import RATING_RANGE
from wallet.surveys.questions import Question

#: What one answer is: a score, an option or a text, or the options picked.
Answer = int | str | list[str]
#: Most values a form may send for one question (more is not a person answering).
MAX_VALUES = 50


def check(
    questions: t.Sequence[Question], sent: t.Mapping[str, t.Sequence[str]]
) -> tuple[dict[str, Answer], dict[str, Message]]:
    """Return the clean answers by question id, and an error by question id.

    An optional question left empty has no answer. Values sent for ids the version does not
    ask are ignored.
    """
    answers: dict[str, Answer] = {}
    problems: dict[str, Message] = {}
    for question in questions:
        values = [v for v in (str(x) for x in sent.get(question.id, ())[:MAX_VALUES]) if v.strip()]
        if not values:
            if question.required:
                problems[question.id] = Message(N_("Answer this question."))
            continue
        answer, problem = _one(question, values)
        if problem is not None:
            problems[question.id] = problem
        elif answer is not None:
            answers[question.id] = answer
    return answers, problems


def _one(question: Question, values: list[str]) -> tuple[Answer | None, Message | None]:
    if question.type in ("nps", "rating"):
        low, high = NPS_RANGE if question.type == "nps" else RATING_RANGE
        wrong = Message(N_("Choose a number from %(low)d to %(high)d."), low=low, high=high)
        if len(values) != 1 or not values[0].strip().isascii() or not values[0].strip().isdigit():
            return None, wrong
        number = int(values[0].strip())
        return (number, None) if low <= number <= high else (None, wrong)
    if question.type == "single":
        if len(values) != 1:
            return None, Message(N_("Choose one option."))
        if values[0] not in question.options:
            return None, Message(N_("Choose one of the listed options."))
        return values[0], None
    if question.type == "multiple":
        if any(value not in question.options for value in values):
            return None, Message(N_("Choose among the listed options."))
        return [option for option in question.options if option in values], None
    if question.type == "text":
        if len(values) != 1:
            return None, Message(N_("Write one answer."))
        text = values[0].replace("\r\n", "\n").strip()
        if "\x00" in text:
            return None, Message(N_("This answer holds a character we cannot keep."))
        if len(text) > question.max_length:
            return None, Message(
                N_("Write at most %(count)d characters (you wrote %(length)d)."),
                count=question.max_length,
                length=len(text),
            )
        return text, None
    return None, Message(N_("This question cannot be answered."))
