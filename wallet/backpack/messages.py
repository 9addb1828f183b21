"""The mail the backpack sends, as ``MailRequested`` events, in the earner's saved language."""

from __future__ import annotations

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
