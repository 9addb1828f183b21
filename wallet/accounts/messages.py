"""The mail the accounts domain sends, as ``MailRequested`` events. Pure: no Flask, no database."""

from __future__ import annotations

from flask_babel import gettext as _

from wallet.events.catalog import MailRequested

#: Paths of the pages the links in these mails open; the views serve the same paths.
VERIFY_PATH = "/verify-email/"
RESET_PATH = "/reset-password/"


def verify_email(
    *, to: str, name: str, base_url: str, token: str, user_id: int, days: int
) -> MailRequested:
    """Ask the owner of ``to`` to confirm the address."""
    link = f"{base_url}{VERIFY_PATH}{token}"
    text = _(
        "Hello %(name)s,\n\n"
        "Confirm that %(email)s is your address by opening this link:\n\n%(link)s\n\n"
        "The link works once and for %(days)d days. If you did not ask for this, ignore this mail.",
        name=name,
        email=to,
        link=link,
        days=days,
    )
    return MailRequested(
        to=to, subject=_("Confirm your email address"), text=text, about_user_id=user_id
    )


def someone_signed_up_as_you(*, to: str, base_url: str, user_id: int) -> MailRequested:
    """Tell the owner of an address that someone tried to create a second account with it."""
    text = _(
        "Hello,\n\n"
        "Someone tried to create a wallet with %(email)s, which already has an account.\n"
        "If it was you, sign in at %(sign_in)s or reset your password at %(reset)s.\n"
        "If it was not you, you can ignore this mail: nothing has changed.",
        email=to,
        sign_in=f"{base_url}/sign-in",
        reset=f"{base_url}/reset-password",
    )
    return MailRequested(
        to=to, subject=_("You already have a wallet"), text=text, about_user_id=user_id
    )


def reset_password(
    *, to: str, name: str, base_url: str, token: str, user_id: int, minutes: int
) -> MailRequested:
    """Send a link that lets the owner of ``to`` choose a new password."""
    link = f"{base_url}{RESET_PATH}{token}"
    text = _(
        "Hello %(name)s,\n\n"
        "Choose a new password for your wallet by opening this link:\n\n%(link)s\n\n"
        "The link works once and for %(minutes)d minutes. "
        "If you did not ask for this, ignore this mail: your password has not changed.",
        name=name,
        link=link,
        minutes=minutes,
    )
    return MailRequested(to=to, subject=_("Reset your password"), text=text, about_user_id=user_id)


def password_changed(*, to: str, name: str, base_url: str, user_id: int) -> MailRequested:
    """Tell an earner their password changed, in case it was not them."""
    text = _(
        "Hello %(name)s,\n\n"
        "The password of your wallet was just changed and every other session was signed out.\n"
        "If this was not you, reset your password now at %(reset)s.",
        name=name,
        reset=f"{base_url}/reset-password",
    )
    return MailRequested(
        to=to, subject=_("Your password was changed"), text=text, about_user_id=user_id
    )
