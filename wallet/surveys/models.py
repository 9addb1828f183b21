"""Tables of surveys: definitions, versions, triggers, invitations and responses."""

from __future__ import annotations

import datetime as dt
import typing as t
import uuid

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from wallet.db import Base
from wallet.db import utcnow

#: What starts an invitation: accepting one of the survey's achievements, some days after that,
#: or completing a pathway that includes one of the survey's achievements.
TRIGGER_KINDS = ("accepted", "days_after", "pathway_completed")


def _uuid() -> str:
    return uuid.uuid4().hex


class Survey(Base):
    """A survey an issuer asks the earners of some of its achievements."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable id in the API.
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=_uuid)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Shown above the questions (plain text).
    intro: Mapped[str] = mapped_column(Text, default="")
    #: Days an invitation stays open once the earner is told of it.
    expires_after_days: Mapped[int] = mapped_column(default=30)
    #: Days after the invitation before the one reminder (0: no reminder).
    remind_after_days: Mapped[int] = mapped_column(default=7)
    #: When the issuer stopped inviting (open invitations stay answerable until they expire).
    closed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    versions: Mapped[list[SurveyVersion]] = relationship(
        back_populates="survey",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SurveyVersion.number",
    )
    achievements: Mapped[list[SurveyAchievement]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    triggers: Mapped[list[SurveyTrigger]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SurveyTrigger.id"
    )

    @property
    def current(self) -> SurveyVersion:
        """Return the version new invitations answer."""
        return self.versions[-1]

    @property
    def achievement_ids(self) -> list[int]:
        """Return the ids of the achievements whose earners are asked."""
        return sorted(link.achievement_id for link in self.achievements)

    def active_triggers(self) -> list[SurveyTrigger]:
        """Return the triggers that still invite."""
        return [trigger for trigger in self.triggers if trigger.active]


class SurveyVersion(Base):
    """The questions of a survey as they were between two edits; responses point at one."""

    __tablename__ = "survey_versions"
    __table_args__ = (UniqueConstraint("survey_id", "number", name="uq_survey_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    #: 1, 2, ... in the order of the edits.
    number: Mapped[int]
    #: ``[Question.to_json()]`` (``wallet.surveys.questions``): never changed once written.
    questions: Mapped[list[dict[str, t.Any]]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: The member who wrote this version (``None``: an API client).
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    survey: Mapped[Survey] = relationship(back_populates="versions")


class SurveyAchievement(Base):
    """An achievement whose earners a survey asks."""

    __tablename__ = "survey_achievements"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    achievement_id: Mapped[int] = mapped_column(
        ForeignKey("achievements.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SurveyTrigger(Base):
    """When earners are invited. A trigger the issuer removes is deactivated, never deleted, so
    the invitations it made keep their meaning."""

    __tablename__ = "survey_triggers"
    __table_args__ = (
        UniqueConstraint("survey_id", "kind", "days", name="uq_survey_triggers_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    #: One of ``TRIGGER_KINDS``.
    kind: Mapped[str] = mapped_column(String(30))
    #: Days after accepting (``days_after``); 0 otherwise.
    days: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SurveyInvitation(Base):
    """One earner asked once by one trigger: told, reminded once, then expired unless answered."""

    __tablename__ = "survey_invitations"
    __table_args__ = (
        # One invitation per earner per trigger, however often the trigger fires.
        UniqueConstraint("trigger_id", "user_id", name="uq_survey_invitations_trigger_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    trigger_id: Mapped[int] = mapped_column(ForeignKey("survey_triggers.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The award in the earner's wallet that started it (``None`` once deleted).
    award_id: Mapped[int | None] = mapped_column(ForeignKey("awards.id", ondelete="SET NULL"))
    #: The issuer's achievement that award is, for per-achievement results.
    achievement_id: Mapped[int | None] = mapped_column(
        ForeignKey("achievements.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: When the earner may see it (later than ``created_at`` for "N days after" triggers).
    available_at: Mapped[dt.datetime] = mapped_column(index=True)
    expires_at: Mapped[dt.datetime]
    #: When the earner was mailed about it.
    notified_at: Mapped[dt.datetime | None]
    #: When the one reminder is due (set when notified; ``None``: no reminder), and when sent.
    remind_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    reminded_at: Mapped[dt.datetime | None]
    answered_at: Mapped[dt.datetime | None]
    declined_at: Mapped[dt.datetime | None]

    survey: Mapped[Survey] = relationship()

    def state(self, now: dt.datetime) -> str:
        """Return ``answered``, ``declined``, ``expired``, ``waiting`` (not yet due) or ``open``."""
        if self.answered_at is not None:
            return "answered"
        if self.declined_at is not None:
            return "declined"
        if self.expires_at <= now:
            return "expired"
        if self.available_at > now:
            return "waiting"
        return "open"


class SurveyResponse(Base):
    """The answers to one invitation (exactly one: a second submit hits the unique constraint)."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("survey_invitations.id", ondelete="CASCADE"), unique=True
    )
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    #: The version answered: its questions say what the answers mean, whatever edits follow.
    version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_versions.id", ondelete="CASCADE"), index=True
    )
    achievement_id: Mapped[int | None] = mapped_column(
        ForeignKey("achievements.id", ondelete="SET NULL")
    )
    #: ``{question id: answer}`` (``wallet.surveys.answers.Answer``).
    answers: Mapped[dict[str, t.Any]] = mapped_column(JSON)
    #: The earner opted in to let the issuer see their name with these answers.
    identified: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
