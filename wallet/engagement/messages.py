"""The mail engagement sends, as ``MailRequested`` events. No Flask: sent from jobs."""

from __future__ import annotations

from wallet.events.catalog import MailRequested
from wallet.i18n import translations


def endpoint_disabled(
    *, to: str, issuer: str, url: str, gone: bool, link: str, locale: str | None = None
) -> MailRequested:
    """Tell an issuer's owner or admin that we stopped delivering to one of its endpoints."""
    _ = translations(locale).gettext
    why = (
        _("It answered 410 Gone, which asks us to stop.")
        if gone
        else _("Its deliveries kept failing for about three days.")
    )
    text = _(
        "Hello,\n\n"
        "We stopped sending the events of %(issuer)s to %(url)s.\n%(why)s\n\n"
        "Nothing is lost: every event stays in the feed (GET /api/v1/events). Fix the "
        "endpoint, then enable it again:\n%(link)s"
    ) % {"issuer": issuer, "url": url, "why": why, "link": link}
    subject = _("Webhook endpoint disabled: %(url)s") % {"url": url}
    return MailRequested(to=to, subject=subject, text=text)
