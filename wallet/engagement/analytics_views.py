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
    "recommendation_clicks",
    "verifications",
    "survey_responses",
    "nps",
)
#: The columns of pathway rows.
PATHWAY_COLUMNS = ("progressed", "completed")


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
    """The same figures as CSV: one row per month for the issuer, each achievement and pathway."""
    _issuer, found = analytics.for_member(
        context.db_session(), _user_id(), issuer_id, since=_date("since"), until=_date("until")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["kind", "id", "name", "month", *COLUMNS, "shares_by_channel", *PATHWAY_COLUMNS]
    )
    blank = [""] * len(PATHWAY_COLUMNS)
    for month, figures in found.months.items():
        writer.writerow(["issuer", "", "", month, *_cells(figures), *blank])
    for entry in found.achievements:
        for month, figures in entry.months.items():
            row = ["achievement", entry.public_id, _safe(entry.name), month, *_cells(figures)]
            writer.writerow([*row, *blank])
    for path in found.pathways:
        for month, moves in path.months.items():
            data = moves.as_dict()
            cells = ["" for _column in COLUMNS] + [""]
            cells[COLUMNS.index("recommendation_clicks")] = str(data["recommendation_clicks"])
            writer.writerow(
                ["pathway", path.public_id, _safe(path.name), month, *cells]
                + [data[column] for column in PATHWAY_COLUMNS]
            )
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="analytics.csv"'},
    )


def _cells(figures: analytics.Figures) -> list[t.Any]:
    """Return the CSV cells of one row of figures (``COLUMNS``, then the shares by channel)."""
    data = figures.as_dict()
    channels = ";".join(f"{k}={v}" for k, v in data["shares_by_channel"].items())
    return [*("" if data[c] is None else data[c] for c in COLUMNS), channels]


def _safe(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
