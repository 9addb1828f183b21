"""Tables of recommendations: co-earned statistics keyed by achievement IRI, and dismissals.

The statistics count distinct earners (an earner holding two copies of one achievement counts
once) over accepted awards; ``coearned`` keeps them up to date as awards are accepted, declined
or deleted, and rebuilds them in bulk.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from wallet.db import Base
from wallet.db import utcnow

#: Longest target (achievement IRI or next-step link) a dismissal keeps.
TARGET_MAX = 1000


class AchievementStat(Base):
    """How many earners hold an achievement, whoever issued it."""

    __tablename__ = "achievement_stats"

    achievement_iri: Mapped[str] = mapped_column(String(500), primary_key=True)
    #: The achievement's name as the last award that counted named it.
    title: Mapped[str] = mapped_column(String(300), default="")
    #: Distinct earners holding an accepted award of it.
    holders: Mapped[int] = mapped_column(default=0)


class AchievementStatSkill(Base):
    """A skill an achievement aligns to, as its awards state it (for skill adjacency)."""

    __tablename__ = "achievement_stat_skills"
    __table_args__ = (Index("ix_achievement_stat_skills_skill", "skill", "achievement_iri"),)

    achievement_iri: Mapped[str] = mapped_column(String(500), primary_key=True)
    #: The skill's folded name (``backpack.service.normalize_skill``).
    skill: Mapped[str] = mapped_column(String(300), primary_key=True)
    #: The skill's name as an award states it, for the reason the earner reads.
    name: Mapped[str] = mapped_column(String(300))


class CoEarnedPair(Base):
    """How many earners hold both achievements; kept in both directions, read by ``iri``."""

    __tablename__ = "coearned_pairs"
    __table_args__ = (Index("ix_coearned_pairs_iri_earners", "iri", "earners"),)

    iri: Mapped[str] = mapped_column(String(500), primary_key=True)
    other_iri: Mapped[str] = mapped_column(String(500), primary_key=True)
    #: Distinct earners holding accepted awards of both.
    earners: Mapped[int] = mapped_column(default=0)


class RecommendationDismissal(Base):
    """An earner said "Not interested" to a recommendation; it is not shown to them again."""

    __tablename__ = "recommendation_dismissals"
    __table_args__ = (
        UniqueConstraint("user_id", "target", name="uq_recommendation_dismissals_user_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The achievement's IRI or the next-step link dismissed.
    target: Mapped[str] = mapped_column(String(TARGET_MAX))
    #: What the recommendation was called, for the list of dismissed ones.
    title: Mapped[str] = mapped_column(String(300), default="")
    dismissed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
