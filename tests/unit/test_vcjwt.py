"""VC-JWT: tokens verify with the issuer's key only, with the algorithms we accept only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import typing as t
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from joserfc import jws
from joserfc.errors import SecurityWarning
from joserfc.jwk import ECKey
from joserfc.jwk import OKPKey
from joserfc.jwk import RSAKey

from wallet.badges import vcjwt

VECTORS = Path(__file__).parent.parent / "data" / "vectors"
CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "id": "urn:uuid:7e2c1a52-8b1e-4b4e-9c4e-0f9d8b3f2a10",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://issuer.example", "name": "Example"},
    "validFrom": "2026-01-01T00:00:00Z",
    "credentialSubject": {"achievement": {"name": "Robotics"}},
}


def _sign(header: dict[str, str], payload: str, key: t.Any, algorithms: list[str]) -> str:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=SecurityWarning)  # EdDSA's RFC 9864 rename
        return jws.serialize_compact(header, payload, key, algorithms=algorithms)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


KEYS = {
    "RS256": lambda: RSAKey.generate_key(2048),
    "ES256": lambda: ECKey.generate_key("P-256"),
    "EdDSA": lambda: OKPKey.generate_key("Ed25519"),
}


@pytest.mark.parametrize("alg", list(KEYS))
@pytest.mark.parametrize("shape", ["vcdm2", "vc-claim"])
def test_tokens_signed_by_the_issuer_verify_and_tampering_fails(alg: str, shape: str) -> None:
    key = KEYS[alg]()
    claims = (
        dict(CREDENTIAL)
        if shape == "vcdm2"
        else {"vc": CREDENTIAL, "iss": "https://issuer.example", "jti": CREDENTIAL["id"]}
    )
    token = _sign({"alg": alg, "typ": "JWT"}, json.dumps(claims), key, [alg])
    public = key.as_dict(private=False)

    verified = vcjwt.verify(token, public)
    assert verified.credential == CREDENTIAL
    assert verified.key_source == "issuer"
    assert verified.mismatches == []

    header, _payload, signature = token.split(".")
    forged = {**claims, "jti": "urn:uuid:forged"} if shape == "vc-claim" else {**claims, "id": "x"}
    with pytest.raises(vcjwt.JwtError, match="does not match"):
        vcjwt.verify(f"{header}.{_b64(json.dumps(forged).encode())}.{signature}", public)
    with pytest.raises(vcjwt.JwtError, match="does not match"):
        vcjwt.verify(token, KEYS[alg]().as_dict(private=False))


def test_the_clr_vector_verifies_but_only_with_its_own_embedded_key() -> None:
    token = (VECTORS / "1edtech-validator" / "clr20" / "simple.jwt").read_text()
    verified = vcjwt.verify(token, None)
    assert verified.key_source == "embedded"
    assert "ClrCredential" in verified.credential["type"]


def test_alg_none_and_hs256_with_the_public_key_are_refused() -> None:
    key = RSAKey.generate_key(2048)
    public = key.as_dict(private=False)
    body = _b64(json.dumps(CREDENTIAL).encode())
    none = _b64(json.dumps({"alg": "none"}).encode())
    with pytest.raises(vcjwt.JwtError, match="algorithm we refuse"):
        vcjwt.verify(f"{none}.{body}.", public)
    pem = key.as_pem(private=False)
    hs = _b64(json.dumps({"alg": "HS256"}).encode())
    mac = hmac.new(pem, f"{hs}.{body}".encode(), hashlib.sha256).digest()
    with pytest.raises(vcjwt.JwtError, match="algorithm we refuse"):
        vcjwt.verify(f"{hs}.{body}.{_b64(mac)}", pem.decode())


def test_a_published_key_with_its_private_part_is_refused() -> None:
    key = OKPKey.generate_key("Ed25519")
    token = _sign({"alg": "EdDSA"}, json.dumps(CREDENTIAL), key, algorithms=["EdDSA"])
    with pytest.raises(vcjwt.JwtError, match="private part"):
        vcjwt.verify(token, key.as_dict(private=True))


def test_claims_that_disagree_with_the_credential_are_reported() -> None:
    key = OKPKey.generate_key("Ed25519")
    claims = {"vc": CREDENTIAL, "iss": "https://someone-else.example", "jti": "urn:uuid:other"}
    token = _sign({"alg": "EdDSA"}, json.dumps(claims), key, ["EdDSA"])
    assert vcjwt.verify(token, key.as_dict(private=False)).mismatches == ["iss", "jti"]


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_any_text_is_refused_with_a_reason(token: str) -> None:
    with pytest.raises(vcjwt.JwtError):
        vcjwt.verify(token, OKPKey.generate_key("Ed25519").as_dict(private=False))
