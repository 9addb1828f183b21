"""The catalog of events: small frozen dataclasses with past-tense or request names.

Pure module: no Flask, no database session. Each event has a dotted ``type``, a payload
``version``, and turns into a JSON-safe payload with ``to_payload``.
"""

from __future__ import annotations

import dataclasses
import typing as t


@dataclasses.dataclass(frozen=True)
class Event:
    """Base of every event."""

    #: Dotted name such as ``mail.requested``; stable, part of the public contract.
    type: t.ClassVar[str]
    #: Version of the payload's shape.
    version: t.ClassVar[int] = 1

    def to_payload(self) -> dict[str, t.Any]:
        """Return the event's fields as JSON-safe data."""
        return dataclasses.asdict(self)

    @property
    def user_id(self) -> int | None:
        """Return the earner the event is about, if any (used to erase their data)."""
        value = getattr(self, "about_user_id", None)
        return value if isinstance(value, int) else None


@dataclasses.dataclass(frozen=True)
class MailRequested(Event):
    """An email should be sent once the transaction that asked for it has committed."""

    type: t.ClassVar[str] = "mail.requested"

    to: str
    subject: str
    text: str
    html: str | None = None
    #: The earner the mail is about (not always its recipient's account).
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class ExportRequested(Event):
    """An earner asked for a zip of all their data; a job builds it once the request committed."""

    type: t.ClassVar[str] = "export.requested"

    export_id: int
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class EmailVerified(Event):
    """An earner proved they hold an address: awards issued to it can reach them now."""

    type: t.ClassVar[str] = "email.verified"

    email: str
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class AwardCreated(Event):
    """An issuer awarded an achievement (``issued_award_id``: the issuer-side row)."""

    type: t.ClassVar[str] = "award.created"

    issued_award_id: int
    issuer_id: int


@dataclasses.dataclass(frozen=True)
class AwardsCreated(Event):
    """An issuer's system awarded a batch (one event for each transaction of the batch)."""

    type: t.ClassVar[str] = "awards.created"

    #: The awards' public ids (a batch inserts without reading row ids back).
    public_ids: list[str]
    issuer_id: int


@dataclasses.dataclass(frozen=True)
class AwardUpdated(Event):
    """An issuer signed an award's credential again (a new expiry); wallets take the new one."""

    type: t.ClassVar[str] = "award.updated"

    issued_award_id: int
    issuer_id: int


@dataclasses.dataclass(frozen=True)
class AwardRevoked(Event):
    """An issuer revoked an award; copies in earners' wallets must say so."""

    type: t.ClassVar[str] = "award.revoked"

    issued_award_id: int
    issuer_id: int
    reason: str = ""


@dataclasses.dataclass(frozen=True)
class ImportRequested(Event):
    """An earner uploaded many badge files at once; the job imports them one by one."""

    type: t.ClassVar[str] = "import.requested"

    batch_id: int
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class AwardUploadRequested(Event):
    """An issuer uploaded a CSV of recipients; the job awards each row."""

    type: t.ClassVar[str] = "awards.upload_requested"

    upload_id: int
    issuer_id: int


@dataclasses.dataclass(frozen=True)
class AwardViewed(Event):
    """Someone opened an award's public page (counted once per viewer per day, bots left out).

    ``issuer_id`` is the issuing organisation when it issues through this wallet, else None.
    """

    type: t.ClassVar[str] = "award.viewed"

    award_id: int
    issuer_id: int | None = None
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class AwardAccepted(Event):
    """An earner accepted an award an issuer sent (or took back a decline)."""

    type: t.ClassVar[str] = "award.accepted"

    award_id: int
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class AwardImported(Event):
    """An earner added a badge they brought themselves; it is theirs at once (no answer waits)."""

    type: t.ClassVar[str] = "award.imported"

    award_id: int
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class PathwayProgressed(Event):
    """An earner newly holds a step of a published pathway (recorded once per step and earner)."""

    type: t.ClassVar[str] = "pathway.progressed"

    pathway_id: int
    issuer_id: int
    #: The achievement IRI of the step now done.
    step_iri: str
    #: Steps done that count, and steps the pathway needs, after this one.
    done: int
    needed: int
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class PathwayCompleted(Event):
    """An earner completed a published pathway (recorded once per pathway and earner)."""

    type: t.ClassVar[str] = "pathway.completed"

    pathway_id: int
    issuer_id: int
    #: The milestone award made for it (None: the pathway awards nothing).
    issued_award_id: int | None = None
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class AwardDeclined(Event):
    """An earner declined an award an issuer sent (for the issuer's engagement stream)."""

    type: t.ClassVar[str] = "award.declined"

    award_id: int
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class AwardShared(Event):
    """The earner shared a public award (``channel``: linkedin, linkedin-profile, x, ...)."""

    type: t.ClassVar[str] = "award.shared"

    award_id: int
    channel: str
    issuer_id: int | None = None
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class AwardDownloaded(Event):
    """Someone downloaded a public award's baked image (``format``: png or svg), once a day each."""

    type: t.ClassVar[str] = "award.downloaded"

    award_id: int
    format: str
    issuer_id: int | None = None
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class LinkedInPostRequested(Event):
    """An earner wrote a post about a public award; a job publishes it on LinkedIn for them."""

    type: t.ClassVar[str] = "linkedin.post_requested"

    post_id: int
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class SurveyCompleted(Event):
    """An earner answered a survey. Anonymous unless they opted in to be identified: then, and
    only then, it carries who they are (``about_user_id``), the achievement and their answers."""

    type: t.ClassVar[str] = "survey.completed"

    #: The survey's public id, and the number of the version answered.
    survey_id: str
    survey_version: int
    issuer_id: int
    identified: bool = False
    #: The achievement's public id (identified responses only).
    achievement_id: str | None = None
    #: ``{question id: answer}`` (identified responses only).
    answers: dict[str, t.Any] | None = None
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class AwardVerified(Event):
    """Someone (an employer, a verifier) checked a held award live (``award_id``: the wallet's
    copy; ``result``: ``valid``, ``invalid`` or ``unknown``)."""

    type: t.ClassVar[str] = "award.verified"

    award_id: int
    result: str = "valid"
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class RecommendationsShown(Event):
    """An earner was shown recommendations (at most once a day for the same list).

    Only achievements issued on this platform are named (by public id): their issuers learn that
    their achievement was recommended, and why, never to whom.
    """

    type: t.ClassVar[str] = "recommendation.shown"

    #: ``[{"achievement_id", "reason"}]``, in the order shown.
    items: list[dict[str, str]]
    about_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class RecommendationClicked(Event):
    """An earner followed a recommended next step: an achievement or a pathway of an issuer here
    (row ids; at least one is set, the achievement when both are), and why it was recommended."""

    type: t.ClassVar[str] = "recommendation.clicked"

    achievement_id: int | None = None
    pathway_id: int | None = None
    #: The engine's reason kind (``completes_level``, ``co_earned``...; empty when unknown).
    reason: str = ""
    about_user_id: int | None = None


#: Every event type, by its dotted name.
EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        MailRequested,
        ExportRequested,
        ImportRequested,
        EmailVerified,
        AwardCreated,
        AwardsCreated,
        AwardUpdated,
        AwardRevoked,
        AwardUploadRequested,
        AwardViewed,
        AwardShared,
        AwardDownloaded,
        AwardAccepted,
        AwardImported,
        PathwayProgressed,
        PathwayCompleted,
        LinkedInPostRequested,
        AwardDeclined,
        SurveyCompleted,
        AwardVerified,
        RecommendationsShown,
        RecommendationClicked,
    )
}
