"""Tables of pathways: an issuer's levels or milestones of achievements, and who completed them.

A step names an achievement by its IRI (the OB 2.0 BadgeClass URL / OB 3.0 ``achievement.id``),
so a pathway can include other issuers' achievements, on this platform or not; an earner holds a
step when an accepted, valid award in their backpack carries that IRI (``Award.achievement_iri``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import literal_column
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from wallet.db import Base
from wallet.db import utcnow

#: How a group's steps complete it: every step, or at least ``required`` of them.
RULES = ("all", "any")
#: What a group is called on the pathway's page.
GROUP_KINDS = ("level", "milestone")


def _uuid() -> str:
    return uuid.uuid4().hex


class Pathway(Base):
    """An issuer's route through achievements toward a goal (a certification, a role)."""

    __tablename__ = "pathways"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable id in URLs and the API.
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=_uuid)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Markdown (rendered and sanitised when shown).
    description: Mapped[str] = mapped_column(Text, default="")
    #: Awarded automatically, exactly once, to an earner who completes every group (the milestone
    #: badge); ``None``: the pathway awards nothing.
    completion_achievement_id: Mapped[int | None] = mapped_column(
        ForeignKey("achievements.id", ondelete="SET NULL")
    )
    #: Earners see only published pathways; a draft is the issuer's to edit.
    published_at: Mapped[dt.datetime | None]
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Bumped by every UPDATE, for caches of pages that show the pathway.
    revision: Mapped[int] = mapped_column(
        default=1, server_default="1", onupdate=literal_column("revision + 1")
    )

    groups: Mapped[list[PathwayGroup]] = relationship(
        back_populates="pathway",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PathwayGroup.position",
    )


class PathwayGroup(Base):
    """A level or milestone of a pathway: its steps and the rule that completes it."""

    __tablename__ = "pathway_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(
        ForeignKey("pathways.id", ondelete="CASCADE"), index=True
    )
    #: Order on the pathway, from 0: level 1 comes first.
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    #: One of ``GROUP_KINDS``.
    kind: Mapped[str] = mapped_column(String(20), default="level")
    #: One of ``RULES``.
    rule: Mapped[str] = mapped_column(String(10), default="all")
    #: For ``any``: how many steps complete the group ("any 3 of 5"); ignored for ``all``.
    required: Mapped[int | None]

    pathway: Mapped[Pathway] = relationship(back_populates="groups")
    steps: Mapped[list[PathwayStep]] = relationship(
        back_populates="group",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PathwayStep.position",
    )


class PathwayStep(Base):
    """An achievement on a pathway, named by its IRI."""

    __tablename__ = "pathway_steps"
    __table_args__ = (
        UniqueConstraint("group_id", "achievement_iri", name="uq_pathway_steps_group_iri"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("pathway_groups.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    #: What an earner's award must carry to count (``Award.achievement_iri``).
    achievement_iri: Mapped[str] = mapped_column(String(500), index=True)
    #: The achievement when it is issued on this platform (any issuer's), for its picture, skills
    #: and level; ``None`` for an achievement issued elsewhere.
    achievement_id: Mapped[int | None] = mapped_column(
        ForeignKey("achievements.id", ondelete="SET NULL"), index=True
    )
    #: The step's name as the pathway shows it (an outside achievement has no row to read it from).
    title: Mapped[str] = mapped_column(String(200))

    group: Mapped[PathwayGroup] = relationship(back_populates="steps")


class PathwayCompletion(Base):
    """An earner completed a pathway: written once, so the milestone badge is awarded once."""

    __tablename__ = "pathway_completions"
    __table_args__ = (
        UniqueConstraint("pathway_id", "user_id", name="uq_pathway_completions_pathway_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(
        ForeignKey("pathways.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: The milestone award made for it (``None``: the pathway awards nothing).
    issued_award_id: Mapped[int | None] = mapped_column(
        ForeignKey("issued_awards.id", ondelete="SET NULL")
    )
