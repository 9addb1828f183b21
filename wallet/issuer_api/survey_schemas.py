"""Bodies of the survey endpoints (issue 9), as pydantic models. Pure.

Results follow the same k-anonymity as the pages (``wallet.surveys.results``): a group with too
few answers has ``shown: false`` and no counts, no texts, and no number of answers.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from pydantic import BaseModel
from pydantic import Field
from pydantic import StringConstraints

from wallet.issuer_api.schemas import PublicId
from wallet.issuer_api.schemas import _In
from wallet.issuer_api.schemas import filled
from wallet.issuer_api.schemas import text

QuestionType = t.Literal["nps", "rating", "single", "multiple", "text"]
QuestionId = t.Annotated[str, StringConstraints(pattern=r"^q[0-9]{1,3}$")]


class QuestionIn(_In):
    """A question. Send the ``id`` of a question of the current version to keep following it."""

    id: QuestionId | None = None
    type: QuestionType
    text: filled(300)  # type: ignore[valid-type]
    required: bool = False
    #: The choices of ``single`` and ``multiple`` questions (2 to 12, each once).
    options: list[filled(120)] = Field(default_factory=list, max_length=12)  # type: ignore[valid-type]
    #: Longest answer of a ``text`` question (default 1000).
    max_length: int | None = Field(default=None, ge=1, le=2_000)


class Triggers(_In):
    """When earners of the survey's achievements are invited."""

    on_accept: bool = True
    #: Also invite this many days after they accept (outcome questions).
    days_after: int | None = Field(default=None, ge=1, le=3_650)
    #: Stored now; nothing fires it until pathways exist.
    on_pathway: bool = False


class SurveyIn(_In):
    """A survey's whole definition. Changed questions make a new version; answers given to an
    earlier version keep the questions they answered."""

    title: filled(200)  # type: ignore[valid-type]
    intro: text(2_000) = ""  # type: ignore[valid-type]
    #: Public ids of the issuer's achievements whose earners are asked.
    achievement_ids: list[PublicId] = Field(min_length=1, max_length=100)
    triggers: Triggers = Field(default_factory=Triggers)
    expires_after_days: int = Field(default=30, ge=1, le=3_650)
    #: Days before the one reminder (0: none).
    remind_after_days: int = Field(default=7, ge=0, le=3_650)
    questions: list[QuestionIn] = Field(min_length=1, max_length=20)


class QuestionOut(BaseModel):
    """A question of a version."""

    id: str
    type: QuestionType
    text: str
    required: bool
    options: list[str]
    max_length: int


class TriggersOut(BaseModel):
    """When earners are invited."""

    on_accept: bool
    days_after: int | None
    on_pathway: bool


class SurveyOut(BaseModel):
    """A survey and its current version."""

    id: str
    title: str
    intro: str
    achievement_ids: list[str]
    triggers: TriggersOut
    expires_after_days: int
    remind_after_days: int
    version: int
    questions: list[QuestionOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class SurveyList(BaseModel):
    """The issuer's surveys, newest first."""

    items: list[SurveyOut]


class ResultsQuery(BaseModel):
    """Which answers: a version (default: the current one), maybe one achievement's earners."""

    version: int | None = Field(default=None, ge=1, le=100_000)
    achievement_id: PublicId | None = None


class CountOut(BaseModel):
    """How many answers chose a value, and their share (percent) of the question's answers."""

    label: str
    count: int
    share: int


class NamedAnswer(BaseModel):
    """The answer of an earner who chose to share their name."""

    name: str
    answer: str


class QuestionResultOut(BaseModel):
    """What may be shown about one question."""

    question_id: str
    text: str
    type: QuestionType
    #: False when the group holds too few answers: then nothing below but ``named`` is given.
    shown: bool
    answered: int | None
    counts: list[CountOut]
    mean: float | None
    nps: int | None
    texts: list[str]
    named: list[NamedAnswer]


class SurveyResults(BaseModel):
    """A survey's results for a group of earners."""

    survey_id: str
    version: int
    achievement_id: str | None
    #: The fewest answers a group needs to be shown.
    min_group: int
    shown: bool
    #: Number of responses (null when the group is too small to show).
    responses: int | None
    questions: list[QuestionResultOut]
