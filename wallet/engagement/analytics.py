"""What earners did with an issuer's awards, per achievement and month. Read side; counts only.

``issued`` counts the issuer's awards; every other figure comes from the issuer's public events
(``issuer_events``), so the page, the API and the feed agree. ``unique_viewers`` counts
``award.viewed``, which the wallet records once per viewer, award and day. Counts of small groups
are shown (they are the issuer's own awards), identities never are.
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

    def add(self, other: Figures) -> None:
        """Add ``other``'s counts to these."""
        self.issued += other.issued
        self.accepted += other.accepted
        self.shares += other.shares
        self.shared_awards += other.shared_awards
        self.views += other.views
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
        }


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
            IssuerEvent.achievement_id.is_not(None),
            IssuerEvent.type.in_(("award.accepted", "award.shared", "award.viewed")),
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
        cell = cells[(int(achievement_id), period)]
        if kind == "award.accepted":
            cell.accepted += distinct_awards
        elif kind == "award.viewed":
            cell.views += count
        else:
            cell.shares += count
            cell.shared_awards += distinct_awards
            cell.by_channel[via] = cell.by_channel.get(via, 0) + count

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
        if named is None:
            continue
        entry = per_achievement.setdefault(
            achievement_id, AchievementFigures(named[0], named[1], Figures(), {})
        )
        entry.total.add(figures)
        entry.months[period] = figures
        months[period].add(figures)
        total.add(figures)
    ordered = sorted(per_achievement.values(), key=lambda entry: entry.name.lower())
    return Report(total=total, months=dict(sorted(months.items())), achievements=ordered)
