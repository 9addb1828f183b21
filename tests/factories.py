"""Test data: callables that build rows with unique values."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time
import typing as t

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from itsdangerous import TimestampSigner
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from wallet.accounts import passwords
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User
from wallet.backpack.models import Award
from wallet.backpack.models import AwardSkill
from wallet.badges import keys
from wallet.badges import proofs
from wallet.badges.credentials import open_badge_credential
from wallet.db import utcnow
from wallet.events.models import OutboxMessage

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: The password every factory-made earner has.
PASSWORD = "correct horse battery 9"
_counter = itertools.count(1)
_hash_cache: dict[str, str] = {}


def unique_email(prefix: str = "earner") -> str:
    """Return an address no other test uses."""
    return f"{prefix}{next(_counter)}-{id(_counter)}@example.org"


def make_user(
    session: Session,
    *,
    email: str | None = None,
    password: str = PASSWORD,
    verified: bool = True,
    display_name: str | None = None,
) -> User:
    """Create (and commit) an earner with one primary address."""
    email = email or unique_email()
    if password not in _hash_cache:  # hashing is deliberately slow; one hash per password will do
        _hash_cache[password] = passwords.hash_password(password)
    number = next(_counter)
    user = User(
        handle=f"earner-{number}-{id(_counter) % 10000}",
        display_name=display_name or f"Earner {number}",
        password_hash=_hash_cache[password],
    )
    user.emails.append(
        EmailAddress(
            email=email,
            normalized=email.lower(),
            is_primary=True,
            verified_at=utcnow() if verified else None,
        )
    )
    session.add(user)
    session.commit()
    return user


def mails_to(session: Session, address: str) -> list[dict[str, t.Any]]:
    """Return the payloads of every mail recorded for ``address``, oldest first."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.type == "mail.requested")
        .order_by(OutboxMessage.id)
    )
    return [row.payload for row in rows if row.payload["to"].lower() == address.lower()]


def link_in_last_mail(session: Session, address: str, path: str) -> str:
    """Return the path (from ``path`` on) of the link in the last mail sent to ``address``."""
    text = mails_to(session, address)[-1]["text"]
    match = re.search(re.escape(path) + r"[^\s]+", text)
    assert match, f"no {path} link in: {text}"
    return match.group(0)


def expired_token(secret: str, purpose: str, data: dict[str, t.Any], age: int = 10**7) -> str:
    """Return a genuine token for ``purpose`` that was signed ``age`` seconds ago."""

    class _Past(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age

    return URLSafeTimedSerializer(secret, salt=purpose, signer=_Past).dumps(data)


def signed_badge(
    recipient: str,
    *,
    name: str = "Robotics",
    expires: dt.datetime | None = None,
    **extra: t.Any,
) -> dict[str, t.Any]:
    """Return an OB 3.0 badge for ``recipient``, signed by a fresh did:key issuer (offline).

    ``extra`` goes to ``open_badge_credential`` (``image``, ``alignments``).
    """
    private = Ed25519PrivateKey.generate()
    multibase = (
        "z"
        + base58.b58encode(keys.ED25519_PREFIX + private.public_key().public_bytes_raw()).decode()
    )
    issuer = f"did:key:{multibase}"
    credential = open_badge_credential(
        issuer_id=issuer,
        issuer_name="Test Institute",
        recipient_email=recipient,
        achievement_id="https://example.org/achievements/1",
        name=name,
        description="Built a robot.",
        criteria="Build a robot.",
        achievement_type="Course",
        issued=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        expires=expires,
        **extra,
    )
    return proofs.sign(
        credential,
        private,
        verification_method=f"{issuer}#{multibase}",
        created="2026-01-01T00:00:00Z",
    )


def make_award(session: Session, user: User, *, commit: bool = True, **fields: t.Any) -> Award:
    """Add an award row as if it had been imported and verified (no verification runs).

    For tests of listing, filtering and who sees what; tests of import use the real path.
    """
    number = next(_counter)
    values: dict[str, t.Any] = {
        "user_id": user.id,
        "original": b'{"id": "urn:uuid:%d"}' % number,
        "original_type": "application/json",
        "format": "ob3-credential",
        "credential_id": f"urn:uuid:test-{number}-{id(_counter)}",
        "issuer_id": "https://issuer.example/",
        "issuer_name": "Example Issuer",
        "achievement_name": f"Achievement {number}",
        "achievement_type": "Course",
        "issued_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=number),
        "verification_status": "valid",
        "verification": {"status": "valid", "checks": []},
        "details": {},
    }
    skills = fields.pop("skills", [])
    award = Award(**(values | fields))
    award.skills = [
        AwardSkill(name=name, normalized=" ".join(name.casefold().split())) for name in skills
    ]
    session.add(award)
    if commit:
        session.commit()
    return award
