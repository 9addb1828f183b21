"""Public keys named in credentials: ``did:key`` decoding and multibase. Pure: no network.

``did:web`` documents, issuer key documents and JWKS are fetched elsewhere (``wallet.http``) and
handed to ``key_from_method``.
"""

from __future__ import annotations

import base64
import typing as t

import base58

from wallet.errors import Invalid
from wallet.messages import N_

#: multicodec prefix of an Ed25519 public key.
ED25519_PREFIX = b"\xed\x01"


class KeyProblem(Invalid):
    """A key could not be read from what the credential or issuer published."""


def multibase_ed25519(value: str) -> bytes:
    """Return the 32 raw bytes of an Ed25519 key in multibase (``z`` + base58btc, multicodec)."""
    if not value.startswith("z"):
        raise KeyProblem(N_("The key is not in the multibase form we read (z...)."))
    try:
        raw = base58.b58decode(value[1:])
    except ValueError as error:
        raise KeyProblem(N_("The key is damaged (not base58).")) from error
    if raw[:2] == ED25519_PREFIX and len(raw) == 34:
        return raw[2:]
    if len(raw) == 32:
        return raw
    raise KeyProblem(N_("The key is not an Ed25519 key."))


def did_key_ed25519(did_url: str) -> bytes:
    """Return the Ed25519 key a ``did:key`` (or its URL with a fragment) names."""
    did, _, fragment = did_url.partition("#")
    if not did.startswith("did:key:"):
        raise KeyProblem(N_("This is not a did:key identifier."))
    method_specific = did[len("did:key:") :]
    if fragment and fragment != method_specific:
        raise KeyProblem(N_("The did:key fragment does not name the key itself."))
    return multibase_ed25519(method_specific)


def key_from_method(method: dict[str, t.Any]) -> bytes:
    """Return the Ed25519 key of a verification method (Multikey or Ed25519VerificationKey2020)."""
    value = method.get("publicKeyMultibase")
    if isinstance(value, str):
        return multibase_ed25519(value)
    jwk = method.get("publicKeyJwk")
    if isinstance(jwk, dict) and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
        x = str(jwk.get("x", ""))
        try:
            raw = base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
        except ValueError as error:
            raise KeyProblem(N_("The key is damaged (not base64url).")) from error
        if len(raw) == 32:
            return raw
    raise KeyProblem(N_("The verification method holds no Ed25519 key we can read."))


def find_method(document: dict[str, t.Any], method_id: str) -> dict[str, t.Any]:
    """Return the verification method ``method_id`` that ``document`` lets issue credentials.

    Methods may be listed under ``verificationMethod`` and referenced from ``assertionMethod``,
    or embedded in ``assertionMethod`` directly; either way ``assertionMethod`` must name it.
    """
    controller = str(document.get("id", ""))

    def full(identifier: str) -> str:
        return f"{controller}{identifier}" if identifier.startswith("#") else identifier

    def entries(name: str) -> list[t.Any]:
        value = document.get(name, [])
        return value if isinstance(value, list) else [value]

    allowed = {
        full(item if isinstance(item, str) else str(item.get("id", "")))
        for item in entries("assertionMethod")
        if isinstance(item, str | dict)
    }
    if method_id not in allowed:
        raise KeyProblem(N_("The issuer's document does not allow this key to issue credentials."))
    for item in entries("assertionMethod") + entries("verificationMethod"):
        if isinstance(item, dict) and full(str(item.get("id", ""))) == method_id:
            return item
    raise KeyProblem(N_("The issuer's document does not list the key the credential names."))
