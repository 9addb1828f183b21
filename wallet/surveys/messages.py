"""The mail surveys send, as ``MailRequested`` events, in the earner's saved language."""

from __future__ import annotations

from wallet.events.catalog import MailRequested
from wallet.i18n import translations


def invited(
    *,
    to: str,
    name: str,
    locale: str | None,
    issuer: str,
    title: str,
    link: str,
    reminder: bool,
    user_id: int,
) -> MailRequested:
    """Ask an earner to answer a survey (or remind them, once)."""
    _ = translations(locale).gettext
    subject = (
        _("Reminder: %(issuer)s asks about your badge")
        if reminder
        else _("%(issuer)s asks about your badge")
    ) % {"issuer": issuer}
    text = _(
        "Hello %(name)s,\n\n%(issuer)s would like to know how your badge is working for you: "
        "“%(title)s”. It takes a few minutes.\n\n"
        "%(issuer)s sees only totals of at least 5 people's answers, unless you choose to "
        "share your name.\n\nAnswer or decline here: %(link)s"
    ) % {"name": name, "issuer": issuer, "title": title, "link": link}
    return MailRequested(to=to, subject=subject, text=text, about_user_id=user_id)
