"""Password policy and hashing (argon2id). Pure: no Flask, no database."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError
from flask_babel import gettext as _
from zxcvbn.frequency_lists import FREQUENCY_LISTS

#: Shortest password accepted.
MIN_LENGTH = 10
#: Longest password accepted (argon2 copes, but an unbounded field is an easy way to burn CPU).
MAX_LENGTH = 1024

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@functools.cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most used passwords from real leaks; any of them is guessed at once.
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "") -> str | None:
    """Return why ``password`` is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return str(_("Use at least %(count)d characters.", count=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_("Use at most %(count)d characters.", count=MAX_LENGTH))
    lowered = password.lower()
    if lowered in _common_passwords():
        return str(
            _("This password is one of the most common ones. Choose something less guessable.")
        )
    if email and lowered == email.lower():
        return str(_("Do not use your email address as your password."))
    return None


def hash_password(password: str) -> str:
    """Return the argon2id hash of ``password``."""
    return _hasher.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """Say whether ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Say whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


#: A hash of a random password, checked when no account matches so timing does not tell.
DUMMY_HASH = _hasher.hash("timing-equaliser-not-a-real-password")
