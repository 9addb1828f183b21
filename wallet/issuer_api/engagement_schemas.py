"""Bodies of the engagement endpoints (issue 10): the event feed, analytics, delivery log. Pure."""

from __future__ import annotations

import datetime as dt
import typing as t

from pydantic import BaseModel
from pydantic import Field


class EventQuery(BaseModel):
    """Query of the event feed."""

    after: int = Field(
        default=0, ge=0, le=2**63 - 1, description="The last sequence number you processed."
    )
    limit: int = Field(default=100, ge=1, le=500)


class EventOut(BaseModel):
    """One event: the envelope webhooks send, with its place in the feed."""

    id: str = Field(description="Also the webhook-id header of its webhook deliveries.")
    type: str
    timestamp: str
    data: dict[str, t.Any]
    sequence: int


class EventPage(BaseModel):
    """Events in sequence order; pass ``next_cursor`` back as ``after``."""

    items: list[EventOut]
    next_cursor: int


class AnalyticsQuery(BaseModel):
    """The window of the analytics (inclusive dates, UTC)."""

    since: dt.date | None = None
    until: dt.date | None = None


class FiguresOut(BaseModel):
    """Counts and rates over a period."""

    issued: int
    accepted: int
    acceptance_rate: float | None
    shares: int
    shares_by_channel: dict[str, int]
    share_rate: float | None
    unique_viewers: int
    views_per_share: float | None
    recommendation_clicks: int
    verifications: int
    survey_responses: int
    nps: int | None = Field(description="Net Promoter Score, -100 to 100; null under 5 answers")


class PeriodOut(FiguresOut):
    """One month's figures."""

    period: str = Field(description="YYYY-MM")


class PathwayFiguresOut(BaseModel):
    """Earners' moves on a pathway over a period."""

    progressed: int
    completed: int
    recommendation_clicks: int


class PathwayPeriodOut(PathwayFiguresOut):
    """One month of a pathway."""

    period: str = Field(description="YYYY-MM")


class PathwayOut(BaseModel):
    """One pathway's figures."""

    id: str
    name: str
    total: PathwayFiguresOut
    months: list[PathwayPeriodOut]


class AchievementFiguresOut(BaseModel):
    """One achievement's figures."""

    id: str
    name: str
    total: FiguresOut
    months: list[PeriodOut]


class AnalyticsOut(BaseModel):
    """The issuer's analytics."""

    total: FiguresOut
    months: list[PeriodOut]
    achievements: list[AchievementFiguresOut]
    pathways: list[PathwayOut]


class AttemptOut(BaseModel):
    """One POST of a delivery."""

    at: dt.datetime
    status: int | None
    latency_ms: int
    response_start: str
    ok: bool


class DeliveryOut(BaseModel):
    """A delivery of one event to one endpoint."""

    id: str
    endpoint_id: str
    event_id: str
    type: str
    state: str
    attempts: list[AttemptOut]
    next_attempt_at: dt.datetime | None


class DeliveryList(BaseModel):
    """The latest deliveries, newest first."""

    items: list[DeliveryOut]
