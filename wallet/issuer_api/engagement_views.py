"""The engagement endpoints of the issuer API (issue 10): the event feed, analytics, deliveries.

Everything is limited to the client's issuer: its feed holds only events about its own awards.
"""

from __future__ import annotations

import typing as t

from flask import jsonify

from wallet.engagement import analytics
from wallet.engagement import feed
from wallet.engagement import webhooks
from wallet.issuer_api import engagement_schemas as schemas
from wallet.issuer_api.operations import Result
from wallet.issuer_api.operations import _issuer_id
from wallet.issuer_api.operations import bp
from wallet.issuer_api.operations import operation
from wallet.web import context

if t.TYPE_CHECKING:
    from wallet.engagement.analytics import Figures
    from wallet.engagement.analytics import PathwayFigures

__all__ = ["bp"]


@operation(
    "GET",
    "/events",
    scope="events:read",
    summary="Read the event feed",
    query=schemas.EventQuery,
    response=schemas.EventPage,
    tag="events",
    description="Events about the issuer's awards, in sequence order with no gap: an event "
    "whose transaction committed late gets a later number, so a cursor never skips it. Pass "
    "``next_cursor`` back as ``after``. Ids are the same as the webhooks' ``webhook-id``.",
)
def list_events(query: schemas.EventQuery) -> Result:
    """A page of the feed."""
    events = feed.page(context.db_session(), _issuer_id(), after=query.after, limit=query.limit)
    items = [{**event.envelope(), "sequence": event.sequence} for event in events]
    cursor = events[-1].sequence if events else query.after
    return jsonify({"items": items, "next_cursor": cursor})


def _figures(figures: Figures) -> dict[str, t.Any]:
    return figures.as_dict()


def _months(months: t.Mapping[str, Figures | PathwayFigures]) -> list[dict[str, t.Any]]:
    return [{"period": period, **figures.as_dict()} for period, figures in months.items()]


@operation(
    "GET",
    "/analytics",
    scope="analytics:read",
    summary="Engagement analytics per achievement, pathway and month",
    query=schemas.AnalyticsQuery,
    response=schemas.AnalyticsOut,
    tag="analytics",
)
def get_analytics(query: schemas.AnalyticsQuery) -> Result:
    """Issued, accepted, shares by channel, viewers, clicks, verifications, NPS and rates."""
    found = analytics.report(
        context.db_session(), _issuer_id(), since=query.since, until=query.until
    )
    return jsonify(
        {
            "total": _figures(found.total),
            "months": _months(found.months),
            "achievements": [
                {
                    "id": entry.public_id,
                    "name": entry.name,
                    "total": _figures(entry.total),
                    "months": _months(entry.months),
                }
                for entry in found.achievements
            ],
            "pathways": [
                {
                    "id": entry.public_id,
                    "name": entry.name,
                    "total": entry.total.as_dict(),
                    "months": _months(entry.months),
                }
                for entry in found.pathways
            ],
        }
    )


@operation(
    "GET",
    "/webhooks/deliveries",
    scope="events:read",
    summary="The webhook delivery log",
    response=schemas.DeliveryList,
    tag="events",
    description="The latest 100 deliveries to the issuer's endpoints, each attempt with its "
    "status, latency and the start of the response.",
)
def list_deliveries() -> Result:
    """The latest deliveries."""
    rows = webhooks.issuer_deliveries(context.db_session(), _issuer_id())
    body = schemas.DeliveryList.model_validate(
        {
            "items": [
                {
                    "id": row.public_id,
                    "endpoint_id": row.endpoint.public_id,
                    "event_id": row.message_id,
                    "type": row.type,
                    "state": row.state,
                    "next_attempt_at": row.next_attempt_at,
                    "attempts": [
                        {
                            "at": attempt.attempted_at,
                            "status": attempt.status,
                            "latency_ms": attempt.latency_ms,
                            "response_start": attempt.response_start,
                            "ok": attempt.ok,
                        }
                        for attempt in row.log
                    ],
                }
                for row in rows
            ]
        }
    )
    return jsonify(body.model_dump(mode="json"))
