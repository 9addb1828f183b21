"""The issuer's analytics page and its CSV (blueprint ``analytics``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import typing as t

from flask import Blueprint
from flask import Response
from flask import render_template
from flask import request
from flask_login import current_user

from wallet.engagement import analytics
from wallet.web import context
from wallet.web.auth import login_required

bp = Blueprint("analytics", __name__)

COLUMNS = (
    "issued",
    "accepted",
    "acceptance_rate",
    "shares",
    "share_rate",
    "unique_viewers",
    "views_per_share",
)


def _user_id() -> int:
    return t.cast("int", current_user.id)


def _date(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/issuers/<int:issuer_id>/analytics")
@login_required
def index(issuer_id: int) -> str:
    """Figures per achievement and month, with a bar per month."""
    since, until = _date("since"), _date("until")
    issuer, found = analytics.for_member(
        context.db_session(), _user_id(), issuer_id, since=since, until=until
    )
    peak = max((figures.issued for figures in found.months.values()), default=0)
    return render_template(
        "engagement/analytics.html",
        issuer=issuer,
        report=found,
        since=since,
        until=until,
        peak=peak,
    )


@bp.get("/issuers/<int:issuer_id>/analytics.csv")
@login_required
def export(issuer_id: int) -> Response:
    """The same figures as CSV: one row per achievement and month."""
    _issuer, found = analytics.for_member(
        context.db_session(), _user_id(), issuer_id, since=_date("since"), until=_date("until")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["achievement_id", "achievement", "month", *COLUMNS, "shares_by_channel"])
    for entry in found.achievements:
        for month, figures in entry.months.items():
            data = figures.as_dict()
            channels = ";".join(f"{k}={v}" for k, v in data["shares_by_channel"].items())
            writer.writerow(
                [entry.public_id, _safe(entry.name), month, *(data[c] for c in COLUMNS), channels]
            )
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="analytics.csv"'},
    )


def _safe(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
