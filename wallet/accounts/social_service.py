"""Use cases of signing in with an external account (LinkedIn, Google, GitHub, Microsoft).

The rules, which python-social-auth's pipeline follows through ``link_or_create``:

- an account already linked signs its earner in;
- while signed in, an external account is linked to the signed-in earner;
- otherwise it is linked to an existing earner only when the provider says it verified the email
  and an earner verified that same email here; an email the provider did not verify never
  reaches an existing account (that would let anyone who types someone's address at a provider
  take their wallet over);
- an unknown account with an email nobody verified here creates a new earner without a password;
- an earner can always sign in some way: unlinking the last way is refused.
"""

from __future__ import annotations

import secrets
import typing as t

from flask_babel import gettext as _
from social_core.exceptions import AuthPolicyError
from sqlalchemy import func
from sqlalchemy import select

from wallet import errors
from wallet.accounts import queries
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import SocialAccount
from wallet.accounts.models import User
from wallet.accounts.service import free_handle
from wallet.db import utcnow

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: Marks an account that has no password (no argon2 hash starts with it, so none matches).
NO_PASSWORD = "!"  # noqa: S105 (a marker, not a password)


class EmailNeedsSignIn(AuthPolicyError):
    """The external account's email belongs to an earner, but the provider did not verify it."""


def has_password(user: User) -> bool:
    """Say whether the earner can sign in with a password."""
    return not user.password_hash.startswith(NO_PASSWORD)


def email_verified_by_provider(response: t.Mapping[str, t.Any]) -> bool:
    """Say whether the provider asserted that the account's email is verified (OIDC claim)."""
    value = response.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def link_or_create(
    strategy: t.Any,
    details: dict[str, t.Any],
    backend: t.Any,
    response: dict[str, t.Any] | None = None,
    user: User | None = None,
    social: t.Any = None,
    *args: t.Any,
    **kwargs: t.Any,
) -> dict[str, t.Any]:
    """Pipeline step: choose the earner an external account belongs to, or create one."""
    if user is not None:  # signed in, or the account is already linked
        return {"user": user, "is_new": False}
    session: Session = strategy.storage.user.session
    email = str(details.get("email") or "").strip()
    verified = email_verified_by_provider(response or {})
    owner = queries.user_with_verified_email(session, email) if email else None
    if owner is not None:
        if not verified:
            raise EmailNeedsSignIn(backend)
        return {"user": owner, "is_new": False}
    name = str(details.get("fullname") or details.get("username") or "").strip()
    return {"user": _new_earner(session, name, email, verified=verified), "is_new": True}


def remember_details(
    details: dict[str, t.Any],
    response: dict[str, t.Any] | None = None,
    social: t.Any = None,
    *args: t.Any,
    **kwargs: t.Any,
) -> None:
    """Pipeline step: note the account's name and email for the settings page (no tokens)."""
    if social is None:
        return
    social.extra_data = {
        "name": str(details.get("fullname") or ""),
        "email": str(details.get("email") or ""),
        "email_verified": email_verified_by_provider(response or {}),
    }
    social.save()


def _new_earner(session: Session, name: str, email: str, *, verified: bool) -> User:
    display_name = name or (email.split("@")[0] if email else _("New earner"))
    user = User(
        handle=free_handle(session, display_name, email.split("@")[0] if email else ""),
        display_name=display_name[:120],
        password_hash=NO_PASSWORD + secrets.token_urlsafe(16),
        last_sign_in_at=utcnow(),
    )
    if email:
        user.emails.append(
            EmailAddress(
                email=email,
                normalized=queries.normalize_email(email),
                is_primary=True,
                verified_at=utcnow() if verified else None,
            )
        )
    session.add(user)
    session.flush()
    return user


def linked_accounts(session: Session, user_id: int) -> list[SocialAccount]:
    """Return the external accounts the earner signs in with."""
    return list(
        session.scalars(
            select(SocialAccount).where(SocialAccount.user_id == user_id).order_by(SocialAccount.id)
        )
    )


def sign_in_methods(session: Session, user: User) -> int:
    """Return how many ways the earner has to sign in (a password needs a verified email)."""
    linked = session.scalar(
        select(func.count()).select_from(SocialAccount).where(SocialAccount.user_id == user.id)
    )
    password = has_password(user) and any(e.verified for e in user.emails)
    return int(linked or 0) + int(password)


def unlink(session: Session, user_id: int, account_id: int) -> SocialAccount:
    """Unlink one of the earner's external accounts, unless it is their last way to sign in."""
    account = session.scalar(
        select(SocialAccount).where(
            SocialAccount.id == account_id, SocialAccount.user_id == user_id
        )
    )
    if account is None:
        raise errors.NotFound(_("This account is not linked to yours."))
    user = session.get_one(User, user_id)
    if sign_in_methods(session, user) <= 1:
        raise errors.Conflict(
            _(
                "This is your only way to sign in. Set a password (through “Forgot your "
                "password?”) or link another account first."
            )
        )
    session.delete(account)
    session.commit()
    return account
