"""Jinja globals and filters shared by every page."""

from __future__ import annotations

import datetime as dt
import typing as t

from flask import Flask
from flask_babel import format_date
from flask_babel import format_datetime
from flask_babel import format_timedelta
from flask_babel import get_locale
from flask_babel import gettext

from wallet.messages import Message
from wallet.web import markdown


def _date(value: dt.datetime | dt.date | None, style: str = "medium") -> str:
    if value is None:
        return ""
    return str(format_date(value, style))


def _datetime(value: dt.datetime | None, style: str = "medium") -> str:
    if value is None:
        return ""
    return str(format_datetime(value, style))


def _ago(value: dt.datetime | None) -> str:
    """Return how long ago ``value`` was, in words ("3 minutes ago")."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    elapsed = value - dt.datetime.now(dt.UTC)
    return str(format_timedelta(min(elapsed, dt.timedelta(0)), add_direction=True))


def _translated_check(check: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """Return a stored check (``Report.to_json``) with name and message in the reader's language.

    Reports stored before messages kept their template have only the English message: shown as is.
    """
    name = str(check.get("name") or "")
    message = Message.from_json(check, fallback=str(check.get("message") or ""))
    return {
        **check,
        "name": gettext(name) if name else "",
        "message": message.render(gettext),
    }


def init_app(app: Flask) -> None:
    """Register the filters and globals on ``app``."""
    app.add_template_filter(_date, "date")
    app.add_template_filter(_datetime, "datetime")
    app.add_template_filter(_ago, "ago")
    app.add_template_filter(markdown.render, "markdown")
    app.add_template_filter(_translated_check, "translated_check")
    app.add_template_global(lambda: str(get_locale() or "en"), "current_locale")
