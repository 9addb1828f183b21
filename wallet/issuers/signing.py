"""The issuer's Ed25519 key: made by the platform, sealed at rest, used to sign. No Flask."""

from __future__ import annotations

import typing as t

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wallet import sealing
from wallet.badges import keys
from wallet.badges import proofs
from wallet.issuers.documents import Urls
from wallet.issuers.documents import timestamp

if t.TYPE_CHECKING:
    import datetime as dt

    from wallet.issuers.models import Issuer


def new_key(data_keys: tuple[str, ...]) -> tuple[str, str]:
    """Return (sealed private key, public key multibase) of a fresh Ed25519 key."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes_raw()
    multibase = "z" + base58.b58encode(keys.ED25519_PREFIX + public).decode()
    return sealing.seal(data_keys, private.private_bytes_raw()), multibase


def private_key(issuer: Issuer, data_keys: tuple[str, ...]) -> Ed25519PrivateKey:
    """Return the issuer's private key, unsealed."""
    raw = sealing.unseal(data_keys, issuer.signing_key_sealed)
    return Ed25519PrivateKey.from_private_bytes(raw)


def sign(
    document: dict[str, t.Any],
    issuer: Issuer,
    urls: Urls,
    data_keys: tuple[str, ...],
    created: dt.datetime,
) -> dict[str, t.Any]:
    """Return ``document`` with the issuer's ``eddsa-rdfc-2022`` DataIntegrityProof."""
    return proofs.sign(
        document,
        private_key(issuer, data_keys),
        verification_method=urls.key(issuer),
        created=timestamp(created),
    )
