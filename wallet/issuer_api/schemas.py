"""Bodies the API reads and writes, as pydantic models. Pure.

The same models validate requests, shape responses and, through ``openapi.py``, make the
OpenAPI document: what the document promises is what the code checks.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import StringConstraints
from pydantic import model_validator

#: OB 3.0 ``achievementType`` values the API accepts.
AchievementType = t.Literal[
    "Achievement",
    "Assessment",
    "Award",
    "Badge",
    "Certificate",
    "Certification",
    "Competency",
    "Course",
    "Degree",
    "Diploma",
    "License",
    "Micro-credential",
]
#: A public id: 32 lowercase hex digits.
PublicId = t.Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
#: Text without NUL (which databases refuse).
_TEXT = r"^[^\x00]*$"
#: Text with at least one visible character.
_FILLED = r"^[^\x00]*[^\x00\s][^\x00]*$"


def text(max_length: int) -> t.Any:
    """Return a string type of at most ``max_length`` characters, without NUL."""
    return t.Annotated[str, StringConstraints(max_length=max_length, pattern=_TEXT)]


def filled(max_length: int) -> t.Any:
    """Return a string type that must hold a visible character."""
    return t.Annotated[str, StringConstraints(min_length=1, max_length=max_length, pattern=_FILLED)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Skill(_In):
    """A skill or competency the achievement aligns to."""

    name: filled(300)  # type: ignore[valid-type]
    framework: text(300) = ""  # type: ignore[valid-type]
    code: text(100) = ""  # type: ignore[valid-type]
    url: t.Annotated[str, StringConstraints(max_length=500, pattern=r"^(https?://\S+)?$")] = ""


class AchievementCreate(_In):
    """A new achievement (badge template)."""

    name: filled(200)  # type: ignore[valid-type]
    description: text(10_000) = ""  # type: ignore[valid-type]
    criteria: text(10_000) = ""  # type: ignore[valid-type]
    achievement_type: AchievementType = "Achievement"
    level: text(60) = ""  # type: ignore[valid-type]
    skills: list[Skill] = Field(default_factory=list, max_length=50)
    tags: list[filled(60)] = Field(default_factory=list, max_length=30)  # type: ignore[valid-type]
    #: Days an award stays valid; null: never expires.
    valid_days: int | None = Field(default=None, ge=1, le=36_500)


class AchievementUpdate(_In):
    """Changes to an achievement: only the members sent are changed."""

    name: filled(200) | None = None  # type: ignore[valid-type]
    description: text(10_000) | None = None  # type: ignore[valid-type]
    criteria: text(10_000) | None = None  # type: ignore[valid-type]
    achievement_type: AchievementType | None = None
    level: text(60) | None = None  # type: ignore[valid-type]
    skills: list[Skill] | None = Field(default=None, max_length=50)
    tags: list[filled(60)] | None = Field(default=None, max_length=30)  # type: ignore[valid-type]
    valid_days: int | None = Field(default=None, ge=1, le=36_500)


class Recipient(_In):
    """Who receives an award: exactly one of their email address, web address or phone number
    (never published, only hashed), and their name. Only an email recipient is matched to a
    wallet; a web address or phone number gets a ``claim_url`` to pass on."""

    email: (
        t.Annotated[
            str,
            StringConstraints(min_length=3, max_length=320, pattern=r"^[^@\s\x00]+@[^@\s\x00]+$"),
        ]
        | None
    ) = None
    url: (
        t.Annotated[
            str, StringConstraints(min_length=8, max_length=320, pattern=r"^https?://[^\s\x00]+$")
        ]
        | None
    ) = None
    phone: t.Annotated[str, StringConstraints(pattern=r"^\+[1-9][0-9]{7,14}$")] | None = None
    name: text(200) = ""  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _exactly_one(self) -> Recipient:
        if sum(value is not None for value in (self.email, self.url, self.phone)) != 1:
            raise ValueError("give exactly one of email, url and phone")
        return self

    @property
    def kind_and_identifier(self) -> tuple[str, str]:
        """Return which identifier was given, and its value."""
        for kind in ("email", "url", "phone"):
            value = getattr(self, kind)
            if value is not None:
                return kind, value
        raise AssertionError("validated to hold one")


class AwardCreate(_In):
    """Award an achievement to one person."""

    achievement_id: PublicId
    recipient: Recipient


class AwardBatch(_In):
    """Award achievements to many people at once."""

    items: list[dict[str, t.Any]] = Field(
        min_length=1,
        max_length=10_000,
        description="Each item is an AwardCreate; an invalid item is reported in its result "
        "and the others are still awarded.",
    )


class Revocation(_In):
    """Why an award is revoked (shown to its earner and anyone who checks it)."""

    reason: text(500) = ""  # type: ignore[valid-type]


class Expiry(_In):
    """When an award expires (now when left out); its credential is signed again."""

    at: dt.datetime | None = None


class Replacement(_In):
    """A corrected recipient for the new award (the old one's when left out)."""

    recipient: Recipient | None = None


class AwardQuery(BaseModel):
    """Query of the award list (other parameters are ignored)."""

    cursor: t.Annotated[str, StringConstraints(max_length=100)] | None = None
    limit: int = Field(default=50, ge=1, le=200)


# --- Responses -----------------------------------------------------------------------------


class FieldError(BaseModel):
    """What is wrong with one member of the request."""

    field: str
    message: str


class Problem(BaseModel):
    """An error (RFC 9457 problem details)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class IssuerLinks(BaseModel):
    """Where the issuer's profile is published."""

    profile: str
    ob2_issuer: str


class IssuerOut(BaseModel):
    """The issuer the client acts for."""

    id: str
    name: str
    url: str
    email: str
    description: str
    links: IssuerLinks


class SkillOut(BaseModel):
    """A skill the achievement aligns to."""

    name: str
    framework: str = ""
    code: str = ""
    url: str = ""


class AchievementLinks(BaseModel):
    """Where the achievement is published."""

    badge_class: str


class AchievementOut(BaseModel):
    """An achievement."""

    id: str
    name: str
    description: str
    criteria: str
    achievement_type: str
    level: str
    skills: list[SkillOut]
    tags: list[str]
    valid_days: int | None
    archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    links: AchievementLinks


class AchievementList(BaseModel):
    """The issuer's achievements that are not archived."""

    items: list[AchievementOut]


class RecipientOut(BaseModel):
    """Who received the award (one of ``email``, ``url``, ``phone``, as folded for matching)."""

    type: t.Literal["email", "url", "phone"]
    email: str | None = None
    url: str | None = None
    phone: str | None = None
    name: str


class AwardLinks(BaseModel):
    """Where the award is published."""

    assertion: str
    credential: str
    status_list: str


class AwardOut(BaseModel):
    """An award the issuer made."""

    id: str
    achievement_id: str
    recipient: RecipientOut
    status: t.Literal["active", "revoked", "expired"]
    issued_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    revocation_reason: str
    #: The award that replaced this one, if it was replaced.
    replaced_by: str | None = None
    #: For a web address or phone number: the link to give the earner, to claim the award.
    claim_url: str | None = None
    links: AwardLinks


class AwardPage(BaseModel):
    """One page of the issuer's awards, newest first."""

    items: list[AwardOut]
    #: Pass as ``cursor`` to get the next page; null on the last page.
    next_cursor: str | None
    #: The next page's URL; null on the last page.
    next: str | None


class ItemError(BaseModel):
    """Why one item of a batch was not awarded."""

    title: str
    detail: str
    errors: list[FieldError] | None = None


class BatchResult(BaseModel):
    """What happened to one item of a batch (``index`` counts from 0)."""

    index: int
    status: t.Literal["created", "failed"]
    award: AwardOut | None = None
    error: ItemError | None = None


class BatchOut(BaseModel):
    """The result of a batch: one entry per item, in order."""

    created: int
    failed: int
    results: list[BatchResult]
