"""Signed, expiring tokens for links sent by mail. Pure: no Flask, no database.

Single use is enforced by what a token names: a verification token names an address that stops
being unverified once used; a reset token carries a fingerprint of the password hash it replaces.
"""

from __future__ import annotations

import hashlib
import typing as t

from itsdangerous import BadSignature
from itsdangerous import SignatureExpired
from itsdangerous import URLSafeTimedSerializer

#: Salts keep a token made for one purpose from being accepted for another.
VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"  # noqa: S105 - a salt name, not a secret


class TokenExpired(Exception):
    """The token was genuine but is too old."""


class TokenInvalid(Exception):
    """The token was not made by us, was altered, or is malformed."""


def make_token(secret: str, purpose: str, data: dict[str, t.Any]) -> str:
    """Return a URL-safe token carrying ``data`` for ``purpose``."""
    return URLSafeTimedSerializer(secret, salt=purpose).dumps(data)


def read_token(secret: str, purpose: str, token: str, max_age: int) -> dict[str, t.Any]:
    """Return the data in ``token``; raise ``TokenExpired`` or ``TokenInvalid``."""
    serializer = URLSafeTimedSerializer(secret, salt=purpose)
    try:
        data = serializer.loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TokenExpired from error
    except BadSignature as error:
        raise TokenInvalid from error
    if not isinstance(data, dict):
        raise TokenInvalid
    return data


def fingerprint(value: str) -> str:
    """Return a short digest of ``value`` (a password hash) to bind a token to it."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]
