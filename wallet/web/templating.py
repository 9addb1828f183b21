"""Jinja globals and filters shared by every page."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_babel import format_date
from flask_babel import format_datetime
from flask_babel import get_locale


def _date(value: dt.datetime | dt.date | None, style: str = "medium") -> str:
    if value is None:
        return ""
    return str(format_date(value, style))


def _datetime(value: dt.datetime | None, style: str = "medium") -> str:
    if value is None:
        return ""
    return str(format_datetime(value, style))


def init_app(app: Flask) -> None:
    """Register the filters and globals on ``app``."""
    app.add_template_filter(_date, "date")
    app.add_template_filter(_datetime, "datetime")
    app.add_template_global(lambda: str(get_locale() or "en"), "current_locale")
