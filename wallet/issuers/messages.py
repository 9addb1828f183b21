"""The mail the issuer side sends, as ``MailRequested`` events. No Flask: sent from jobs."""

from __future__ import annotations

from wallet.events.catalog import MailRequested
from wallet.i18n import translations


def claim_your_badge(
    *, to: str, name: str, issuer: str, achievement: str, link: str, locale: str | None = None
) -> MailRequested:
    """Tell someone without a wallet that an issuer awarded them a badge, and how to claim it."""
    _ = translations(locale).gettext
    text = _(
        "Hello %(name)s,\n\n"
        "%(issuer)s has awarded you the badge “%(badge)s”.\n\n"
        "To keep it, create your free wallet with this address (%(email)s) and confirm it:\n"
        "%(link)s\n\n"
        "The badge will be waiting for you to accept it. If you did not expect this, ignore "
        "this mail."
    ) % {"name": name or to, "issuer": issuer, "badge": achievement, "email": to, "link": link}
    subject = _("%(issuer)s awarded you a badge") % {"issuer": issuer}
    return MailRequested(to=to, subject=subject, text=text)
