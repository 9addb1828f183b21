"""Use cases of the accounts domain. Each owns its transaction and raises ``wallet.errors``."""

from __future__ import annotations

import re
import secrets
import typing as t
import unicodedata

from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from wallet import errors
from wallet.accounts import messages
from wallet.accounts import passwords
from wallet.accounts import queries
from wallet.accounts import tokens
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import EmailVerified
from wallet.events.models import OutboxMessage
from wallet.pathways import coearned

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.config import Config

HANDLE_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")
LOCALES = ("en", "es")


class EmailNotVerified(errors.Invalid):
    """The password was right but the address has not been verified yet."""


def _check_password_policy(password: str, email: str = "") -> None:
    problem = passwords.password_problem(password, email=email)
    if problem:
        raise errors.Invalid(problem, field="password")


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:30].strip("-")


def free_handle(session: Session, *candidates: str) -> str:
    """Return a free handle made from the first usable candidate (or one with a number)."""
    for candidate in candidates:
        slug = _slug(candidate)
        if len(slug) >= 3 and not queries.handle_taken(session, slug):
            return slug
    base = next((s for s in map(_slug, candidates) if s), "earner")[:30].strip("-") or "earner"
    while True:
        handle = f"{base}-{secrets.randbelow(10**6):06d}"
        if not queries.handle_taken(session, handle):
            return handle


def _record_verification(
    session: Session, config: Config, user: User, address: EmailAddress
) -> None:
    token = tokens.make_token(
        config.secret_key, tokens.VERIFY_EMAIL, {"e": address.id, "a": address.normalized}
    )
    outbox.record(
        session,
        messages.verify_email(
            to=address.email,
            name=user.display_name,
            base_url=config.base_url,
            token=token,
            user_id=user.id,
            days=config.verify_email_max_age // 86400,
        ),
    )


def register(
    session: Session, config: Config, *, email: str, password: str, display_name: str
) -> User | None:
    """Create an account and send the verification link.

    When a verified account already owns ``email`` nothing is created and its owner is told by mail
    instead; the caller answers both cases the same way so the response reveals nothing.
    """
    email = email.strip()
    _check_password_policy(password, email)
    display_name = display_name.strip() or email.split("@")[0]
    owner = queries.user_with_verified_email(session, email)
    if owner is not None:
        outbox.record(
            session,
            messages.someone_signed_up_as_you(to=email, base_url=config.base_url, user_id=owner.id),
        )
        session.commit()
        return None
    user = User(
        handle=free_handle(session, display_name, email.split("@")[0]),
        display_name=display_name[:120],
        password_hash=passwords.hash_password(password),
    )
    address = EmailAddress(email=email, normalized=queries.normalize_email(email), is_primary=True)
    user.emails.append(address)
    session.add(user)
    session.flush()
    _record_verification(session, config, user, address)
    session.commit()
    return user


def read_verification_link(config: Config, token: str) -> dict[str, t.Any]:
    """Return what a verification link names; raise ``Invalid`` for a forged or expired one."""
    try:
        data = tokens.read_token(
            config.secret_key, tokens.VERIFY_EMAIL, token, config.verify_email_max_age
        )
    except tokens.TokenExpired as error:
        raise errors.Invalid(
            _("This link has expired. Sign in or add the address again to get a new one.")
        ) from error
    except tokens.TokenInvalid as error:
        raise errors.Invalid(
            _("This link is not valid. Copy the whole link from the mail.")
        ) from error
    return data


def verify_email(session: Session, config: Config, token: str) -> EmailAddress:
    """Mark the address a verification link names as verified."""
    data = read_verification_link(config, token)
    address = session.get(EmailAddress, data.get("e"))
    if address is None or address.normalized != data.get("a"):
        raise errors.Invalid(_("This link is no longer valid: the address was removed."))
    if address.verified:
        raise errors.Conflict(_("This link was already used. Your address is verified."))
    if queries.user_with_verified_email(session, address.email) is not None:
        raise errors.Conflict(_("This address is already verified on another account."))
    address.verified_at = utcnow()
    # Awards issued to this address can reach the earner now (wallet.issuers.awarding.claim_for).
    outbox.record(session, EmailVerified(email=address.normalized, about_user_id=address.user_id))
    if not any(e.is_primary and e.verified for e in address.user.emails if e is not address):
        for other in address.user.emails:
            other.is_primary = other is address
    try:
        session.commit()
    except IntegrityError as error:  # another account verified it a moment ago
        session.rollback()
        raise errors.Conflict(_("This address is already verified on another account.")) from error
    return address


def authenticate(session: Session, config: Config, *, email: str, password: str) -> User:
    """Return the earner whose verified ``email`` and ``password`` match."""
    user = queries.user_with_verified_email(session, email)
    if user is None:
        for claimant in queries.users_claiming_email(session, email)[:3]:
            if passwords.check_password(claimant.password_hash, password):
                address = next(
                    e for e in claimant.emails if e.normalized == queries.normalize_email(email)
                )
                _record_verification(session, config, claimant, address)
                session.commit()
                raise EmailNotVerified(
                    _(
                        "Please verify your email address first. "
                        "We have sent you a new link; it may take a minute to arrive."
                    )
                )
        passwords.check_password(passwords.DUMMY_HASH, password)  # same time as a real check
        raise errors.Invalid(_("The email or password is not right."))
    if not passwords.check_password(user.password_hash, password):
        raise errors.Invalid(_("The email or password is not right."))
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_sign_in_at = utcnow()
    session.commit()
    return user


def request_password_reset(session: Session, config: Config, *, email: str) -> None:
    """Mail a reset link to ``email`` if an earner verified it; say nothing either way."""
    user = queries.user_with_verified_email(session, email)
    if user is None:
        return
    token = tokens.make_token(
        config.secret_key,
        tokens.RESET_PASSWORD,
        {"u": user.id, "f": tokens.fingerprint(user.password_hash)},
    )
    outbox.record(
        session,
        messages.reset_password(
            to=email.strip(),
            name=user.display_name,
            base_url=config.base_url,
            token=token,
            user_id=user.id,
            minutes=config.reset_password_max_age // 60,
        ),
    )
    session.commit()


def user_for_reset_token(session: Session, config: Config, token: str) -> User:
    """Return the earner a reset link is for, if it is still good."""
    try:
        data = tokens.read_token(
            config.secret_key, tokens.RESET_PASSWORD, token, config.reset_password_max_age
        )
    except tokens.TokenExpired as error:
        raise errors.Invalid(_("This link has expired. Ask for a new one below.")) from error
    except tokens.TokenInvalid as error:
        raise errors.Invalid(_("This link is not valid. Ask for a new one below.")) from error
    user = session.get(User, data.get("u"))
    if user is None or tokens.fingerprint(user.password_hash) != data.get("f"):
        raise errors.Invalid(_("This link was already used. Ask for a new one below."))
    return user


def reset_password(session: Session, config: Config, token: str, new_password: str) -> User:
    """Set a new password from a reset link; every existing session is signed out."""
    user = user_for_reset_token(session, config, token)
    _set_password(session, config, user, new_password)
    session.commit()
    return user


def change_password(
    session: Session, config: Config, user_id: int, *, current: str, new: str
) -> User:
    """Change the password of a signed-in earner who knows the current one."""
    user = _user(session, user_id)
    if not passwords.check_password(user.password_hash, current):
        raise errors.Invalid(_("Your current password is not right."), field="current_password")
    _set_password(session, config, user, new)
    session.commit()
    return user


def _set_password(session: Session, config: Config, user: User, new_password: str) -> None:
    primary = user.primary_email
    _check_password_policy(new_password, primary.email if primary else "")
    user.password_hash = passwords.hash_password(new_password)
    user.session_version += 1
    if primary is not None:
        outbox.record(
            session,
            messages.password_changed(
                to=primary.email, name=user.display_name, base_url=config.base_url, user_id=user.id
            ),
        )


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise errors.NotFound(_("This account does not exist."))
    return user


def _own_email(session: Session, user_id: int, email_id: int) -> EmailAddress:
    address = queries.email_of_user(session, user_id, email_id)
    if address is None:
        raise errors.NotFound(_("This address is not on your account."))
    return address


def add_email(session: Session, config: Config, user_id: int, email: str) -> EmailAddress:
    """Add an address to an earner's account and send it a verification link."""
    user = _user(session, user_id)
    normalized = queries.normalize_email(email)
    if any(e.normalized == normalized for e in user.emails):
        raise errors.Conflict(_("This address is already on your account."), field="email")
    address = EmailAddress(email=email.strip(), normalized=normalized)
    user.emails.append(address)
    session.flush()
    _record_verification(session, config, user, address)
    session.commit()
    return address


def resend_verification(session: Session, config: Config, user_id: int, email_id: int) -> None:
    """Send a fresh verification link for one of the earner's unverified addresses."""
    address = _own_email(session, user_id, email_id)
    if address.verified:
        raise errors.Conflict(_("This address is already verified."))
    _record_verification(session, config, address.user, address)
    session.commit()


def make_primary(session: Session, user_id: int, email_id: int) -> EmailAddress:
    """Make a verified address the one mail goes to."""
    address = _own_email(session, user_id, email_id)
    if not address.verified:
        raise errors.Invalid(_("Verify this address before making it your main one."))
    for other in address.user.emails:
        other.is_primary = other is address
    session.commit()
    return address


def remove_email(session: Session, user_id: int, email_id: int) -> None:
    """Remove an address from an earner's account.

    Awards belong to the earner, not to an address row, so removing an address never removes an
    award that was sent to it.
    """
    address = _own_email(session, user_id, email_id)
    if address.is_primary:
        raise errors.Invalid(_("Make another verified address your main one before removing this."))
    session.delete(address)
    session.commit()


def update_profile(
    session: Session,
    user_id: int,
    *,
    display_name: str,
    handle: str,
    locale: str | None,
    headline: str | None = None,
    listed: bool | None = None,
) -> User:
    """Change the earner's name, public handle, language, headline and directory listing.

    ``headline`` and ``listed`` left None are unchanged.
    """
    user = _user(session, user_id)
    display_name = display_name.strip()
    handle = handle.strip().lower()
    if not display_name:
        raise errors.Invalid(_("Enter the name to show on your pages."), field="display_name")
    if not HANDLE_PATTERN.match(handle):
        raise errors.Invalid(
            _("Use 3 to 40 lowercase letters, digits or hyphens, not starting or ending with one."),
            field="handle",
        )
    if queries.handle_taken(session, handle, except_user=user.id):
        raise errors.Conflict(_("This handle is taken. Try another."), field="handle")
    if locale and locale not in LOCALES:
        raise errors.Invalid(_("Choose a language from the list."), field="locale")
    user.display_name = display_name[:120]
    user.handle = handle
    user.locale = locale or None
    if headline is not None:
        user.headline = " ".join(headline.split())[:160]
    if listed is not None:
        user.listed = listed
    try:
        session.commit()
    except IntegrityError as error:  # someone took the handle a moment ago
        session.rollback()
        raise errors.Conflict(_("This handle is taken. Try another."), field="handle") from error
    return user


def delete_account(session: Session, user_id: int, *, password: str) -> None:
    """Delete the earner's account and every personal row, after they confirmed with a password."""
    user = _user(session, user_id)
    if not passwords.check_password(user.password_hash, password):
        raise errors.Invalid(_("Your password is not right."), field="password")
    # Mail not yet sent about this earner carries their address: erase it with the account.
    session.execute(delete(OutboxMessage).where(OutboxMessage.user_id == user.id))
    coearned.earner_removed(session, user.id)
    session.delete(user)
    session.commit()
