"""What earners did with an issuer's awards, per achievement, pathway and month. Read side.

``issued`` counts the issuer's awards; the survey figures come from the issuer's survey responses;
every other figure comes from the issuer's public events (``issuer_events``), so the page, the API
and the feed agree. ``unique_viewers`` counts ``award.viewed``, which the wallet records once per
viewer, award and day. Counts of small groups are shown (they are the issuer's own awards),
identities never are; the NPS of fewer than ``K`` answers is not shown, as on the survey pages.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import func
from sqlalchemy import select

from wallet.engagement.models import IssuerEvent
from wallet.issuers.models import Achievement
from wallet.issuers.models import IssuedAward
from wallet.issuers.service import require_role
from wallet.pathways.models import Pathway
from wallet.surveys.models import Survey
from wallet.surveys.models import SurveyResponse
from wallet.surveys.models import SurveyVersion
from wallet.surveys.results import K

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from sqlalchemy.sql.elements import ColumnElement

    from wallet.issuers.models import Issuer


@dataclass
class Figures:
    """The figures of one achievement (or all of them) in one period (or overall)."""

    issued: int = 0
    accepted: int = 0
    shares: int = 0
    shared_awards: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    views: int = 0
    recommendation_clicks: int = 0
    verifications: int = 0
    survey_responses: int = 0
    #: Answers to NPS questions (0-10): all of them, 9 or 10, and 0 to 6.
    nps_answers: int = 0
    promoters: int = 0
    detractors: int = 0

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted awards per issued award."""
        return round(self.accepted / self.issued, 4) if self.issued else None

    @property
    def share_rate(self) -> float | None:
        """Awards shared at least once per accepted award."""
        return round(self.shared_awards / self.accepted, 4) if self.accepted else None

    @property
    def views_per_share(self) -> float | None:
        """Views of public pages per share."""
        return round(self.views / self.shares, 2) if self.shares else None

    @property
    def nps(self) -> int | None:
        """Net Promoter Score (-100 to 100), when at least ``K`` answered."""
        if self.nps_answers < K:
            return None
        return round(100 * (self.promoters - self.detractors) / self.nps_answers)

    def add(self, other: Figures) -> None:
        """Add ``other``'s counts to these."""
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for channel, count in other.by_channel.items():
            self.by_channel[channel] = self.by_channel.get(channel, 0) + count

    def as_dict(self) -> dict[str, t.Any]:
        """Return the figures as JSON-safe data."""
        return {
            "issued": self.issued,
            "accepted": self.accepted,
            "acceptance_rate": self.acceptance_rate,
            "shares": self.shares,
            "shares_by_channel": dict(sorted(self.by_channel.items())),
            "share_rate": self.share_rate,
            "unique_viewers": self.views,
            "views_per_share": self.views_per_share,
            "recommendation_clicks": self.recommendation_clicks,
            "verifications": self.verifications,
            "survey_responses": self.survey_responses,
            "nps": self.nps,
        }


#: The counts of ``Figures`` that add up.
_COUNTS = (
    "issued",
    "accepted",
    "shares",
    "shared_awards",
    "views",
    "recommendation_clicks",
    "verifications",
    "survey_responses",
    "nps_answers",
    "promoters",
    "detractors",
)


@dataclass
class PathwayFigures:
    """The figures of one pathway (or all of them) in one period (or overall)."""

    progressed: int = 0
    completed: int = 0
    recommendation_clicks: int = 0

    def add(self, other: PathwayFigures) -> None:
        """Add ``other``'s counts to these."""
        self.progressed += other.progressed
        self.completed += other.completed
        self.recommendation_clicks += other.recommendation_clicks

    def as_dict(self) -> dict[str, int]:
        """Return the figures as JSON-safe data."""
        return {
            "progressed": self.progressed,
            "completed": self.completed,
            "recommendation_clicks": self.recommendation_clicks,
        }


@dataclass
class PathwayEntry:
    """One pathway: its totals and its months, oldest first."""

    public_id: str
    name: str
    total: PathwayFigures
    months: dict[str, PathwayFigures]


@dataclass
class AchievementFigures:
    """One achievement: its totals and its months, oldest first."""

    public_id: str
    name: str
    total: Figures
    months: dict[str, Figures]


@dataclass
class Report:
    """An issuer's analytics."""

    total: Figures
    months: dict[str, Figures]
    achievements: list[AchievementFigures]
    pathways: list[PathwayEntry] = field(default_factory=list)


def _month(column: t.Any, dialect: str) -> ColumnElement[str]:
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def for_member(
    session: Session, user_id: int, issuer_id: int, **window: t.Any
) -> tuple[Issuer, Report]:
    """Return the analytics of an issuer for a member allowed to read them."""
    issuer, _membership = require_role(session, user_id, issuer_id, "view_analytics")
    return issuer, report(session, issuer_id, **window)


def report(
    session: Session,
    issuer_id: int,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Report:
    """Return the issuer's figures per achievement and month, between two dates (inclusive)."""
    dialect = session.get_bind().dialect.name
    start = dt.datetime.combine(since, dt.time(), dt.UTC) if since else None
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC) if until else None
    cells: dict[tuple[int, str], Figures] = defaultdict(Figures)

    issued_month = _month(IssuedAward.issued_at, dialect)
    query = (
        select(IssuedAward.achievement_id, issued_month, func.count())
        .where(IssuedAward.issuer_id == issuer_id)
        .group_by(IssuedAward.achievement_id, issued_month)
    )
    if start:
        query = query.where(IssuedAward.issued_at >= start)
    if end:
        query = query.where(IssuedAward.issued_at < end)
    for achievement_id, issued_in, count in session.execute(query):
        cells[(achievement_id, str(issued_in))].issued = int(count)

    event_month = _month(IssuerEvent.occurred_at, dialect)
    channel = IssuerEvent.data["channel"].as_string()
    events = (
        select(
            IssuerEvent.achievement_id,
            event_month,
            IssuerEvent.type,
            channel,
            func.count(),
            func.count(IssuerEvent.issued_award_id.distinct()),
        )
        .where(
            IssuerEvent.issuer_id == issuer_id,
            IssuerEvent.type.in_(tuple(_ACHIEVEMENT_EVENTS)),
        )
        .group_by(IssuerEvent.achievement_id, event_month, IssuerEvent.type, channel)
    )
    if start:
        events = events.where(IssuerEvent.occurred_at >= start)
    if end:
        events = events.where(IssuerEvent.occurred_at < end)
    for row in session.execute(events):
        achievement_id, period, kind, via = row[0], str(row[1]), str(row[2]), row[3]
        count, distinct_awards = int(row[4]), int(row[5])
        via = str(via) if via else "other"
        # A click on a recommended pathway names no achievement: the issuer's totals only.
        cell = cells[(int(achievement_id or _NO_ACHIEVEMENT), period)]
        if kind == "award.accepted":
            cell.accepted += distinct_awards
        elif kind == "award.shared":
            cell.shares += count
            cell.shared_awards += distinct_awards
            cell.by_channel[via] = cell.by_channel.get(via, 0) + count
        else:
            setattr(
                cell, _ACHIEVEMENT_EVENTS[kind], getattr(cell, _ACHIEVEMENT_EVENTS[kind]) + count
            )
    _add_surveys(session, issuer_id, cells, start, end)

    names = {
        found.id: (found.public_id, found.name)
        for found in session.execute(
            select(Achievement.id, Achievement.public_id, Achievement.name)
            .where(Achievement.issuer_id == issuer_id)
            .order_by(Achievement.name)
        )
    }
    total = Figures()
    months: dict[str, Figures] = defaultdict(Figures)
    per_achievement: dict[int, AchievementFigures] = {}
    for (achievement_id, period), figures in sorted(cells.items(), key=lambda item: item[0][1]):
        named = names.get(achievement_id)
        if named is not None:
            entry = per_achievement.setdefault(
                achievement_id, AchievementFigures(named[0], named[1], Figures(), {})
            )
            entry.total.add(figures)
            entry.months[period] = figures
        elif achievement_id != _NO_ACHIEVEMENT:
            continue  # an achievement deleted since
        months[period].add(figures)
        total.add(figures)
    ordered = sorted(per_achievement.values(), key=lambda entry: entry.name.lower())
    return Report(
        total=total,
        months=dict(sorted(months.items())),
        achievements=ordered,
        pathways=_pathways(session, issuer_id, dialect, start, end),
    )


#: Event types counted per achievement besides acceptance and shares, and the count they feed.
_ACHIEVEMENT_EVENTS = {
    "award.accepted": "accepted",
    "award.shared": "shares",
    "award.viewed": "views",
    "award.verified": "verifications",
    "recommendation.clicked": "recommendation_clicks",
}
#: Where events and responses about no achievement are counted (the issuer's totals only).
_NO_ACHIEVEMENT = 0


def _add_surveys(
    session: Session,
    issuer_id: int,
    cells: dict[tuple[int, str], Figures],
    start: dt.datetime | None,
    end: dt.datetime | None,
) -> None:
    """Count the issuer's survey responses and their NPS answers per achievement and month."""
    query = (
        select(
            SurveyResponse.achievement_id,
            SurveyResponse.created_at,
            SurveyResponse.answers,
            SurveyVersion.questions,
        )
        .join(Survey, SurveyResponse.survey_id == Survey.id)
        .join(SurveyVersion, SurveyResponse.version_id == SurveyVersion.id)
        .where(Survey.issuer_id == issuer_id)
    )
    if start:
        query = query.where(SurveyResponse.created_at >= start)
    if end:
        query = query.where(SurveyResponse.created_at < end)
    for row in session.execute(query):
        achievement_id = t.cast("int | None", row[0]) or _NO_ACHIEVEMENT
        created_at = t.cast("dt.datetime", row[1])
        answers = t.cast("dict[str, t.Any]", row[2] or {})
        questions = t.cast("list[dict[str, t.Any]]", row[3] or [])
        cell = cells[(achievement_id, created_at.strftime("%Y-%m"))]
        cell.survey_responses += 1
        for question in questions:
            value = answers.get(question.get("id", ""))
            if question.get("type") != "nps" or not isinstance(value, int | str):
                continue
            score = int(value) if str(value).isdigit() else -1
            if not 0 <= score <= 10:
                continue
            cell.nps_answers += 1
            cell.promoters += score >= 9
            cell.detractors += score <= 6


def _pathways(
    session: Session,
    issuer_id: int,
    dialect: str,
    start: dt.datetime | None,
    end: dt.datetime | None,
) -> list[PathwayEntry]:
    """Return the figures of each of the issuer's pathways per month, by name."""
    pathway = IssuerEvent.data[("pathway", "id")].as_string()
    event_month = _month(IssuerEvent.occurred_at, dialect)
    query = (
        select(pathway, event_month, IssuerEvent.type, func.count())
        .where(
            IssuerEvent.issuer_id == issuer_id,
            IssuerEvent.type.in_(
                ("pathway.progressed", "pathway.completed", "recommendation.clicked")
            ),
            pathway.is_not(None),
        )
        .group_by(pathway, event_month, IssuerEvent.type)
    )
    if start:
        query = query.where(IssuerEvent.occurred_at >= start)
    if end:
        query = query.where(IssuerEvent.occurred_at < end)
    cells: dict[tuple[str, str], PathwayFigures] = defaultdict(PathwayFigures)
    for row in session.execute(query):
        cell = cells[(str(row[0]), str(row[1]))]
        kind, count = str(row[2]), int(t.cast("int", row[3]))
        if kind == "pathway.progressed":
            cell.progressed += count
        elif kind == "pathway.completed":
            cell.completed += count
        else:
            cell.recommendation_clicks += count
    entries = {
        public_id: PathwayEntry(public_id, name, PathwayFigures(), {})
        for public_id, name in session.execute(
            select(Pathway.public_id, Pathway.name).where(Pathway.issuer_id == issuer_id)
        )
    }
    for (public_id, period), figures in sorted(cells.items(), key=lambda item: item[0][1]):
        entry = entries.get(public_id)
        if entry is not None:
            entry.total.add(figures)
            entry.months[period] = figures
    return sorted(
        (entry for entry in entries.values() if entry.months),
        key=lambda entry: entry.name.lower(),
    )
