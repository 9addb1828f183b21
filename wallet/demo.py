"""Demo data for ``wallet seed-demo``: an earner to sign in as on a fresh install."""

from __future__ import annotations

import secrets
import typing as t

from wallet.accounts import passwords
from wallet.accounts import queries
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User
from wallet.db import utcnow

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEMO_EMAIL = "demo@example.org"


def _new_password() -> str:
    # Four random words would need a word list; a long random token is as strong and prints well.
    return "demo-" + secrets.token_urlsafe(12)


def seed(session: Session, *, reset_password: bool = False) -> list[str]:
    """Create the demo earner unless it exists; return lines to print (with any new password)."""
    user = queries.user_with_verified_email(session, DEMO_EMAIL)
    lines: list[str] = []
    if user is None:
        password = _new_password()
        user = User(
            handle="demo",
            display_name="Demo Earner",
            password_hash=passwords.hash_password(password),
        )
        user.emails.append(
            EmailAddress(
                email=DEMO_EMAIL, normalized=DEMO_EMAIL, is_primary=True, verified_at=utcnow()
            )
        )
        session.add(user)
        session.commit()
        lines.append(f"Created the demo earner {DEMO_EMAIL} with password: {password}")
    elif reset_password:
        password = _new_password()
        user.password_hash = passwords.hash_password(password)
        user.session_version += 1
        session.commit()
        lines.append(f"New password for the demo earner {DEMO_EMAIL}: {password}")
    else:
        lines.append(
            f"The demo earner {DEMO_EMAIL} exists. "
            "Run `wallet seed-demo --reset-password` to print a new password."
        )
    lines.append(
        "Issuers, achievements and awards join the demo when those features land (issues 4 and 5)."
    )
    return lines
