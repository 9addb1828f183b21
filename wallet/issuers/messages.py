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


def join_issuer(
    *, to: str, issuer: str, role: str, link: str, days: int, locale: str | None = None
) -> MailRequested:
    """Invite someone to join an issuer's team."""
    _ = translations(locale).gettext
    text = _(
        "Hello,\n\n"
        "You are invited to join %(issuer)s on the wallet as %(role)s, to issue badges.\n\n"
        "Sign in (or create your wallet with this address), then open this link within "
        "%(days)d days:\n%(link)s\n\n"
        "If you did not expect this, ignore this mail."
    ) % {"issuer": issuer, "role": role, "link": link, "days": days}
    subject = _("Join %(issuer)s") % {"issuer": issuer}
    return MailRequested(to=to, subject=subject, text=text)
