"""Aggregate the answers of a survey version without exposing anyone who answered. Pure.

k-anonymity: a group of answers (the whole survey, one achievement's earners, one optional
question) is summarised only when it holds at least ``K`` answers. Earners who opted in to be
identified are listed by name; so that the named answers cannot be subtracted from a total to
reveal the rest, a group with named answers is summarised only when it also holds none or at
least ``K`` anonymous ones. Anonymous free text is shown sorted, never in the order it came.
"""

from __future__ import annotations

import csv
import io
import typing as t
from dataclasses import dataclass
from dataclasses import field

from wallet.surveys.questions import NPS_RANGE
from wallet.surveys.questions import RATING_RANGE
from wallet.surveys.questions import Question

#: Fewest answers a group needs before anything about it is shown.
K = 5


@dataclass(frozen=True)
class Response:
    """One response as aggregation needs it: the answers, and the earner's name if they opted in."""

    answers: t.Mapping[str, t.Any]
    #: The earner's name when they chose to be identified, else ``None``.
    name: str | None = None


@dataclass(frozen=True)
class Count:
    """How many answers chose one value, and their share of the question's answers (percent)."""

    label: str
    count: int
    share: int


@dataclass(frozen=True)
class QuestionResult:
    """What can be shown about one question."""

    question: Question
    #: How many responses answered it.
    answered: int
    #: Whether the group is large enough to show ``counts``, ``mean``, ``nps`` and ``texts``.
    shown: bool
    counts: list[Count] = field(default_factory=list)
    mean: float | None = None
    #: Net Promoter Score: % of 9-10 minus % of 0-6, from -100 to 100.
    nps: int | None = None
    #: Anonymous free-text answers, sorted.
    texts: list[str] = field(default_factory=list)
    #: Answers of earners who opted in to be identified: (name, answer as text).
    named: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Results:
    """The summary of a group of responses."""

    responses: int
    shown: bool
    questions: list[QuestionResult]


def may_show(total: int, named: int, k: int = K) -> bool:
    """Return whether ``total`` answers, ``named`` of them identified, may be summarised."""
    anonymous = total - named
    return total >= k and (anonymous == 0 or anonymous >= k)


def aggregate(
    questions: t.Sequence[Question], responses: t.Sequence[Response], *, k: int = K
) -> Results:
    """Summarise ``responses`` to the version asking ``questions``."""
    named_total = sum(1 for r in responses if r.name is not None)
    shown = may_show(len(responses), named_total, k)
    return Results(
        responses=len(responses),
        shown=shown,
        questions=[_question(q, responses, shown, k) for q in questions],
    )


def answer_text(question: Question, answer: t.Any) -> str:
    """Return one answer as text (options joined with "; ")."""
    if isinstance(answer, list):
        return "; ".join(str(a) for a in answer)
    return str(answer)


def _question(
    question: Question, responses: t.Sequence[Response], group_shown: bool, k: int
) -> QuestionResult:
    given = [(r.answers[question.id], r.name) for r in responses if question.id in r.answers]
    named = sorted(
        (name, answer_text(question, answer)) for answer, name in given if name is not None
    )
    shown = group_shown and may_show(len(given), len(named), k)
    if not shown:
        return QuestionResult(question=question, answered=len(given), shown=False, named=named)
    values = [answer for answer, _name in given]
    counts: list[Count] = []
    mean = nps = None
    texts: list[str] = []
    if question.type in ("nps", "rating"):
        low, high = NPS_RANGE if question.type == "nps" else RATING_RANGE
        numbers = [int(v) for v in values]
        counts = _counts([str(n) for n in range(low, high + 1)], [str(n) for n in numbers])
        mean = round(sum(numbers) / len(numbers), 1) if numbers else None
        if question.type == "nps" and numbers:
            promoters = sum(1 for n in numbers if n >= 9)
            detractors = sum(1 for n in numbers if n <= 6)
            nps = round(100 * (promoters - detractors) / len(numbers))
    elif question.choice:
        picked = [p for v in values for p in (v if isinstance(v, list) else [v])]
        counts = _counts(list(question.options), [str(p) for p in picked], of=len(values))
    else:
        texts = sorted(str(v) for v, name in given if name is None)
    return QuestionResult(
        question=question,
        answered=len(given),
        shown=True,
        counts=counts,
        mean=mean,
        nps=nps,
        texts=texts,
        named=named,
    )


def _counts(labels: list[str], picked: list[str], *, of: int | None = None) -> list[Count]:
    total = of if of is not None else len(picked)
    return [
        Count(
            label=label,
            count=(n := picked.count(label)),
            share=round(100 * n / total) if total else 0,
        )
        for label in labels
    ]


#: Characters that make a spreadsheet read a cell as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: t.Any) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def to_csv(results: Results, *, header: t.Sequence[str], too_few: str, nps_label: str) -> str:
    """Return the results as CSV text: a row per counted value, text answer and named answer.

    Nothing of a group too small to show is written but ``too_few``. Cells that a spreadsheet
    would run as a formula (an earner's text starting with "=") are prefixed with "'".
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for item in results.questions:
        text = item.question.text
        if not item.shown:
            writer.writerow([_cell(text), "", "", "", _cell(too_few)])
        for count in item.counts:
            writer.writerow([_cell(text), _cell(count.label), count.count, count.share, ""])
        if item.nps is not None:
            writer.writerow([_cell(text), _cell(nps_label), item.nps, "", ""])
        for answer in item.texts:
            writer.writerow([_cell(text), _cell(answer), 1, "", ""])
        for name, answer in item.named:
            writer.writerow([_cell(text), _cell(answer), 1, "", _cell(name)])
    return out.getvalue()
