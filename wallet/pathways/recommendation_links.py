"""Signed links to follow or dismiss a recommendation (pure: no Flask, no database).

A link carries the earner it was made for, the target, its title and the reason, signed with the
secret key: the redirect route goes only where the wallet itself recommended, and only for that
earner, so it can never be an open redirect.
"""

from __future__ import annotations

import dataclasses
import typing as t

from itsdangerous import BadSignature
from itsdangerous import URLSafeSerializer

_SALT = "recommendation"


@dataclasses.dataclass(frozen=True)
class Link:
    """What a recommendation link names."""

    user_id: int
    target: str
    title: str
    reason: str


def make(secret: str, link: Link) -> str:
    """Return the signed token of ``link``."""
    return URLSafeSerializer(secret, salt=_SALT).dumps(
        [link.user_id, link.target, link.title, link.reason]
    )


def read(secret: str, token: str, user_id: int) -> Link | None:
    """Return the link in ``token`` if it is genuine and made for ``user_id``, else None."""
    try:
        data: t.Any = URLSafeSerializer(secret, salt=_SALT).loads(token)
    except BadSignature:
        return None
    if not (isinstance(data, list) and len(data) == 4 and data[0] == user_id):
        return None
    if not all(isinstance(value, str) for value in data[1:]):
        return None
    return Link(user_id=user_id, target=data[1], title=data[2], reason=data[3])
