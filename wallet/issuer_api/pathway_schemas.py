"""Bodies of the pathway endpoints, as pydantic models (issue 8). Pure.

The same models validate requests, shape responses and make the OpenAPI document.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from pydantic import BaseModel
from pydantic import Field
from pydantic import StringConstraints
from pydantic import model_validator

from wallet.issuer_api.schemas import PublicId
from wallet.issuer_api.schemas import _In
from wallet.issuer_api.schemas import filled
from wallet.issuer_api.schemas import text
from wallet.pathways import rules

#: An outside achievement's IRI: an http(s) URL without spaces.
Iri = t.Annotated[
    str,
    StringConstraints(min_length=10, max_length=rules.IRI_MAX, pattern=r"^https?://[^\s\x00]+$"),
]


class StepIn(_In):
    """A step: an achievement on this platform (any issuer's, by its public id) or one issued
    elsewhere (its Open Badges IRI and a title). Give ``achievement_id`` or ``iri``."""

    achievement_id: PublicId | None = None
    iri: Iri | None = None
    #: The step's name; for a platform achievement, its own name when left out.
    title: text(rules.TITLE_MAX) = ""  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _one_achievement(self) -> StepIn:
        if (self.achievement_id is None) == (self.iri is None):
            raise ValueError("give exactly one of achievement_id and iri")
        if self.iri is not None and not self.title.strip():
            raise ValueError("an achievement named by its iri needs a title")
        return self


class GroupIn(_In):
    """A level or milestone: completed by all of its steps, or by ``required`` of them."""

    title: filled(rules.TITLE_MAX)  # type: ignore[valid-type]
    kind: t.Literal["level", "milestone"] = "level"
    rule: t.Literal["all", "any"] = "all"
    #: For ``any``: how many steps complete the group (1 to its number of steps).
    required: int | None = Field(default=None, ge=1, le=rules.MAX_STEPS)
    steps: list[StepIn] = Field(min_length=1, max_length=rules.MAX_STEPS)

    @model_validator(mode="after")
    def _rule_fits(self) -> GroupIn:
        if self.rule == "any" and (self.required is None or self.required > len(self.steps)):
            raise ValueError("for rule any, required must be from 1 to the number of steps")
        return self


class PathwayIn(_In):
    """A whole pathway. Updating replaces every group and step."""

    name: filled(200)  # type: ignore[valid-type]
    description: text(10_000) = ""  # type: ignore[valid-type]
    #: Public id of one of the issuer's own achievements, awarded once to each earner who
    #: completes every group; null: the pathway awards nothing.
    completion_achievement_id: PublicId | None = None
    groups: list[GroupIn] = Field(min_length=1, max_length=rules.MAX_GROUPS)
    #: Publish it: earners see it and their progress. A published pathway stays published.
    published: bool = False


class PathwayQuery(BaseModel):
    """Query of the pathway list (other parameters are ignored)."""

    cursor: t.Annotated[str, StringConstraints(max_length=100)] | None = None
    limit: int = Field(default=50, ge=1, le=100)


class StepOut(BaseModel):
    """A step of a pathway."""

    achievement_iri: str
    #: The platform achievement's public id; null for one issued elsewhere.
    achievement_id: str | None
    title: str


class GroupOut(BaseModel):
    """A level or milestone."""

    title: str
    kind: str
    rule: str
    required: int | None
    steps: list[StepOut]


class PathwayLinks(BaseModel):
    """Where earners and employers see the pathway."""

    page: str


class PathwayOut(BaseModel):
    """A pathway."""

    id: str
    name: str
    description: str
    completion_achievement_id: str | None
    status: t.Literal["draft", "published", "archived"]
    groups: list[GroupOut]
    created_at: dt.datetime
    updated_at: dt.datetime
    links: PathwayLinks


class PathwayPage(BaseModel):
    """One page of the issuer's pathways, oldest first."""

    items: list[PathwayOut]
    #: Pass as ``cursor`` to get the next page; null on the last page.
    next_cursor: str | None
    #: The next page's URL; null on the last page.
    next: str | None
