"""Secrets kept at rest (issuers' signing keys, OAuth tokens), sealed with Fernet. No Flask.

The sealing keys come from ``Config.data_keys``: the first seals, every one unseals, so a key is
rotated by putting the new one first and re-sealing at leisure. Without ``DATA_KEYS`` one key is
derived from ``SECRET_KEY`` with HKDF, so a fresh install works, and a database copied without the
instance's secret holds nothing usable.
"""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet
from cryptography.fernet import InvalidToken
from cryptography.fernet import MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class SealError(Exception):
    """A sealed value cannot be opened with any configured key (wrong key, or tampered)."""


def derived_key(secret: str) -> str:
    """Return a Fernet key derived from the app's secret key."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"wallet data key v1").derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(raw).decode()


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def seal(keys: tuple[str, ...], data: bytes) -> str:
    """Encrypt and authenticate ``data`` with the first key."""
    return _fernet(keys).encrypt(data).decode()


def unseal(keys: tuple[str, ...], token: str) -> bytes:
    """Decrypt what ``seal`` produced with any of ``keys``."""
    try:
        return _fernet(keys).decrypt(token.encode())
    except InvalidToken as error:
        raise SealError("cannot unseal: no configured data key opens it") from error
