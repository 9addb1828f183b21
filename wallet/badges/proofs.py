"""Embedded proofs of verifiable credentials: Data Integrity (eddsa-rdfc-2022, eddsa-jcs-2022, the
legacy eddsa-2022 name) and Ed25519Signature2020. Pure: the caller resolves the key.

A proof is checked over the credential without its ``proof``: SHA-256 of the canonical proof
options, then SHA-256 of the canonical document, signed with Ed25519.
"""

from __future__ import annotations

import copy
import hashlib
import typing as t
from dataclasses import dataclass

import base58
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from wallet.badges import base58btc
from wallet.badges import jsonld
from wallet.errors import Invalid
from wallet.messages import N_
from wallet.messages import Message

RDFC_SUITES = ("eddsa-rdfc-2022", "eddsa-2022")
JCS_SUITE = "eddsa-jcs-2022"


@dataclass(frozen=True)
class ProofResult:
    """The outcome of checking one proof."""

    valid: bool
    #: ``DataIntegrityProof/eddsa-rdfc-2022``, ``Ed25519Signature2020``...
    suite: str
    verification_method: str | None
    #: Why it failed, for people (a ``Message``); empty when valid.
    reason: str = ""


def proofs_of(credential: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    """Return the credential's proofs (a single proof or a set of them)."""
    proof = credential.get("proof")
    if isinstance(proof, dict):
        return [proof]
    if isinstance(proof, list):
        return [item for item in proof if isinstance(item, dict)]
    return []


def suite_of(proof: dict[str, t.Any]) -> str:
    """Name the proof's type and cryptosuite."""
    kind = str(proof.get("type", ""))
    suite = proof.get("cryptosuite")
    return f"{kind}/{suite}" if suite else kind


def _hash_data(credential: dict[str, t.Any], proof: dict[str, t.Any]) -> bytes:
    document = {key: value for key, value in credential.items() if key != "proof"}
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    if proof.get("cryptosuite") == JCS_SUITE:
        # JCS keeps the proof's own @context, which must match the document's.
        if "@context" in options and options["@context"] != document.get("@context"):
            raise Invalid(N_("The proof's vocabulary does not match the credential's."))
        return (
            hashlib.sha256(rfc8785.dumps(options)).digest()
            + hashlib.sha256(rfc8785.dumps(document)).digest()
        )
    options["@context"] = document.get("@context")
    return (
        hashlib.sha256(jsonld.canonize(options).encode()).digest()
        + hashlib.sha256(jsonld.canonize(document).encode()).digest()
    )


def verify_proof(
    credential: dict[str, t.Any], proof: dict[str, t.Any], public_key: bytes
) -> ProofResult:
    """Check ``proof`` over ``credential`` with the Ed25519 ``public_key`` (32 bytes)."""
    suite = suite_of(proof)
    method = proof.get("verificationMethod")
    method_id = method if isinstance(method, str) else None

    def fail(reason: str) -> ProofResult:
        return ProofResult(False, suite, method_id, Message.of(reason))

    supported = proof.get("type") == "Ed25519Signature2020" or (
        proof.get("type") == "DataIntegrityProof"
        and proof.get("cryptosuite") in (*RDFC_SUITES, JCS_SUITE)
    )
    if not supported:
        return fail(
            Message(
                N_("This kind of signature (%(suite)s) is not one we can check."),
                suite=suite or "unnamed",
            )
        )
    if proof.get("proofPurpose") != "assertionMethod":
        return fail(N_("The signature was not made for issuing credentials (proofPurpose)."))
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return fail(N_("The signature value is missing or not in the expected form."))
    try:
        signature = base58.b58decode(value[1:])
        key = Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError:
        return fail(N_("The signature or the key is damaged."))
    try:
        # Canonicalising refuses undefined terms, so a signature never covers less than we show.
        data = _hash_data(credential, proof)
    except Invalid as error:
        return fail(error.message)
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return fail(
            N_(
                "The signature does not match: the credential was changed after it was signed, "
                "or the key is not the one that signed it."
            )
        )
    return ProofResult(True, suite, method_id)


def sign(
    credential: dict[str, t.Any],
    private_key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str,
    cryptosuite: str = "eddsa-rdfc-2022",
) -> dict[str, t.Any]:
    """Return ``credential`` with a DataIntegrityProof made with ``private_key``."""
    unsigned = {key: value for key, value in copy.deepcopy(credential).items() if key != "proof"}
    proof: dict[str, t.Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": cryptosuite,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    if cryptosuite == JCS_SUITE:
        proof["@context"] = unsigned.get("@context")
    signature = private_key.sign(_hash_data(unsigned, proof))
    proof["proofValue"] = "z" + base58btc.encode(signature)
    return {**unsigned, "proof": proof}
