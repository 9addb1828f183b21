"""The earner's per-issuer pseudonymous id. Pure.

``ern_`` + HMAC-SHA256(key, "<issuer id>:<user id>"), the key derived from ``SECRET_KEY`` with
HKDF: stable for one issuer (it can count returning earners), different between issuers (two
issuers cannot join their data), and not reversible without the instance's secret.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


@functools.cache
def _key(secret_key: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"wallet earner pseudonym v1"
    ).derive(secret_key.encode())


def earner_id(secret_key: str, issuer_id: int, user_id: int) -> str:
    """Return the id under which ``issuer_id`` sees ``user_id``."""
    digest = hmac.new(_key(secret_key), f"{issuer_id}:{user_id}".encode(), hashlib.sha256)
    return "ern_" + base64.b32encode(digest.digest()[:20]).decode().lower()
