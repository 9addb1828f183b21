"""The mail the backpack sends, as ``MailRequested`` events, in the earner's saved language."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal

from wallet.events.catalog import MailRequested
from wallet.i18n import translations


def award_went_bad(
    *,
    to: str,
    name: str,
    locale: str | None,
    state: str,
    achievement: str,
    issuer: str,
    link: str,
    user_id: int,
) -> MailRequested:
    """Tell an earner that a re-verification found one of their awards revoked or expired."""
    _ = translations(locale).gettext
    if state == "revoked":
        subject = _("A badge in your wallet was revoked")
        what = _("%(issuer)s has revoked your badge “%(badge)s”.")
    else:
        subject = _("A badge in your wallet has expired")
        what = _("Your badge “%(badge)s” from %(issuer)s has expired.")
    text = _(
        "Hello %(name)s,\n\n%(what)s\n"
        "It is marked so in your wallet and on every page where you shared it.\n\n"
        "See the details: %(link)s"
    ) % {"name": name, "what": what % {"badge": achievement, "issuer": issuer}, "link": link}
    return MailRequested(to=to, subject=subject, text=text, about_user_id=user_id)


def export_ready(
    *,
    to: str,
    name: str,
    locale: str | None,
    link: str,
    expires_at: dt.datetime,
    size: int,
    count: int,
    user_id: int,
) -> MailRequested:
    """Tell an earner their data export is ready, with the link that downloads it."""
    _ = translations(locale).gettext
    text = _(
        "Hello %(name)s,\n\n"
        "The export of your wallet is ready: %(count)d badges and your profile in one ZIP file "
        "(%(size)s).\n\n"
        "Download it, signed in to your wallet, from this link:\n\n%(link)s\n\n"
        "The link works until %(date)s. You can also download it from your settings page, "
        "or make a new export there at any time."
    ) % {
        "name": name,
        "count": count,
        "size": format_size(size, locale),
        "link": link,
        "date": format_date(expires_at, "long", locale=locale or "en"),
    }
    return MailRequested(
        to=to, subject=_("Your wallet export is ready"), text=text, about_user_id=user_id
    )


def format_size(size: int, locale: str | None) -> str:
    """Return a file size people read: "12.3 KB", "4.5 MB" (decimal units, localised digits)."""
    for unit, factor in (("MB", 1_000_000), ("KB", 1_000)):
        if size >= factor:
            return f"{format_decimal(round(size / factor, 1), locale=locale or 'en')} {unit}"
    return f"{size} B"
