"""Demo data for ``wallet seed-demo``: an earner to sign in as, holding verified badges.

The demo issuer signs OB 3.0 credentials with a fresh Ed25519 key named by ``did:key``, so the
awards verify offline, with every check passing, on any machine.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import typing as t

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from wallet.accounts import passwords
from wallet.accounts import queries
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User
from wallet.backpack import service as backpack
from wallet.backpack.models import Award
from wallet.badges import keys
from wallet.badges import proofs
from wallet.badges.credentials import open_badge_credential
from wallet.badges.verify import verify
from wallet.db import utcnow
from wallet.http import BlockedURL

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.http import Fetched

DEMO_EMAIL = "demo@example.org"
DEMO_ISSUER = "Demo Academy"
#: (achievement, OB 3.0 achievementType, description, months ago issued, years valid or None)
ACHIEVEMENTS = [
    (
        "Introduction to Robotics",
        "Course",
        "Built and programmed a line-following robot.",
        14,
        None,
    ),
    ("Python Programming", "Certification", "Passed the proctored Python exam.", 6, 3),
    ("Team Leadership", "Competency", "Led a team of five through a term project.", 2, None),
]


def _new_password() -> str:
    return "demo-" + secrets.token_urlsafe(12)


def _no_network(url: str, *, accept: t.Sequence[str]) -> Fetched:
    raise BlockedURL("The demo data is verified offline.", url=url)


def _seed_awards(session: Session, user: User) -> int:
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes_raw()
    multibase = "z" + base58.b58encode(keys.ED25519_PREFIX + raw).decode()
    issuer = f"did:key:{multibase}"
    now = utcnow()
    for title, kind, text, months_ago, years in ACHIEVEMENTS:
        issued = now - dt.timedelta(days=30 * months_ago)
        expires = issued + dt.timedelta(days=365 * years) if years else None
        credential = open_badge_credential(
            issuer_id=issuer,
            issuer_name=DEMO_ISSUER,
            recipient_email=DEMO_EMAIL,
            achievement_id=f"https://demo.example/achievements/{title.lower().replace(' ', '-')}",
            name=title,
            description=text,
            criteria=text,
            achievement_type=kind,
            issued=issued,
            expires=expires,
        )
        signed = proofs.sign(
            credential,
            private,
            verification_method=f"{issuer}#{multibase}",
            created=issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        original = json.dumps(signed, indent=2).encode()
        report = verify(original, fetch=_no_network, recipients=[DEMO_EMAIL])
        backpack.add_award(
            session,
            user.id,
            original=original,
            original_type="application/json",
            report=report,
            credential_id=signed["id"],
        )
    return len(ACHIEVEMENTS)


def seed(session: Session, *, reset_password: bool = False) -> list[str]:
    """Create the demo earner and their badges unless they exist; return lines to print."""
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
    if session.scalar(select(Award.id).where(Award.user_id == user.id).limit(1)) is None:
        count = _seed_awards(session, user)
        lines.append(f"Gave the demo earner {count} badges from {DEMO_ISSUER}, verified offline.")
    return lines
