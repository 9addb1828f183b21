"""Open Badges 2.0 and 1.x assertions: fields, recipients, signatures, revocation."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from joserfc import jws
from joserfc.jwk import RSAKey

from tests.refusals import answers_or_refuses
from wallet.badges import ob2
from wallet.errors import Invalid

OB20 = Path(__file__).parent.parent / "data" / "vectors" / "1edtech-validator" / "ob20"


def _load(name: str) -> dict[str, object]:
    return json.loads((OB20 / name).read_text())


def _pem(name: str) -> str:
    return str(_load(f"assets/{name}.json")["publicKeyPem"])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_hosted_vector_assertion_is_read() -> None:
    assertion = ob2.parse_assertion(_load("basic-assertion.json"))
    assert assertion.id == "https://example.org/beths-robotics-badge.json"
    assert assertion.verification_type == "hosted"
    assert assertion.issued_on == dt.datetime(2016, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
    assert assertion.badge == "https://example.org/robotics-badge.json"
    assert assertion.recipient.hashed


def test_the_vectors_recipient_matches_its_email_in_any_case() -> None:
    recipient = ob2.parse_assertion(_load("basic-assertion.json")).recipient
    assert ob2.recipient_matches(recipient, ["someone@example.org", "Nobody@Example.org "])
    assert not ob2.recipient_matches(recipient, ["somebody@example.org"])


def test_hashes_are_checked_with_the_salt_independently_computed() -> None:
    digest = hashlib.sha256(b"ada@example.orgpepper").hexdigest().upper()
    recipient = ob2.parse_recipient(
        {"type": "email", "hashed": True, "salt": "pepper", "identity": f"sha256${digest}"}
    )
    assert ob2.recipient_matches(recipient, ["ada@example.org"])
    md5 = hashlib.md5(b"ada@example.org", usedforsecurity=False).hexdigest()
    legacy = ob2.parse_recipient({"type": "email", "hashed": True, "identity": f"md5${md5}"})
    assert ob2.recipient_matches(legacy, ["ADA@example.org"])


def test_plain_identifiers_match_case_insensitively() -> None:
    recipient = ob2.parse_recipient({"type": "email", "hashed": False, "identity": "Ada@X.org"})
    assert ob2.recipient_matches(recipient, ["ada@x.org"])
    assert not ob2.recipient_matches(recipient, ["grace@x.org"])


def test_a_hash_that_is_not_a_hash_is_refused() -> None:
    with pytest.raises(Invalid, match="not a sha256"):
        ob2.parse_recipient({"type": "email", "hashed": True, "identity": "sha256$" + "a" * 40})


def test_missing_required_fields_are_named() -> None:
    with pytest.raises(Invalid, match="recipient, issuedOn"):
        ob2.parse_assertion(
            {"id": "https://x.org/a", "badge": "b", "verification": {"type": "hosted"}}
        )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-12-31T23:59:59Z", dt.datetime(2016, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),
        ("2016-12-31T23:59:59+02:00", dt.datetime(2016, 12, 31, 21, 59, 59, tzinfo=dt.UTC)),
        ("2015-04-01", dt.datetime(2015, 4, 1, tzinfo=dt.UTC)),
        (1427846400, dt.datetime(2015, 4, 1, tzinfo=dt.UTC)),
        ("1427846400", dt.datetime(2015, 4, 1, tzinfo=dt.UTC)),
    ],
)
def test_timestamps_of_every_version_are_read_as_utc(value: object, expected: dt.datetime) -> None:
    assert ob2.parse_timestamp(value, "issue") == expected


def test_a_legacy_1_0_assertion_is_upgraded() -> None:
    baked = json.loads(
        (Path(__file__).parent.parent / "data" / "vectors" / "ob2" / "openbadges-bakery")
        .joinpath("baked_heart.png")
        .read_bytes()
        .split(b"openbadges\x00\x00\x00\x00\x00", 1)[1]
        .split(b"}}", 1)[0]
        + b"}}"
    )
    assertion = ob2.parse_assertion(baked)
    assert assertion.uid == "123"
    assert assertion.verification_type == "hosted"
    assert assertion.issued_on == dt.datetime(2015, 4, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(("token", "key"), [("simple.jwt", "key1"), ("simple-revoked.jwt", "key3")])
def test_signed_vectors_verify_with_the_issuers_key_only(token: str, key: str) -> None:
    text = (OB20 / token).read_text()
    payload = ob2.verify_signed_assertion(text, _pem(key))
    assert ob2.parse_assertion(payload).verification_type == "signed"
    other = "key2"
    with pytest.raises(ob2.SignatureError, match="does not match"):
        ob2.verify_signed_assertion(text, _pem(other))


def _rsa_pair() -> tuple[RSAKey, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return RSAKey.import_key(pem), public_pem


ASSERTION = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "urn:uuid:2b1d9c1c-6ac5-4a0e-9d2b-6f8b4c1f0a11",
    "recipient": {"type": "email", "hashed": False, "identity": "ada@example.org"},
    "badge": "https://issuer.example/badge",
    "verification": {"type": "SignedBadge", "creator": "https://issuer.example/key"},
    "issuedOn": "2026-01-02T03:04:05Z",
}


def test_each_tampered_field_breaks_the_signature() -> None:
    key, public_pem = _rsa_pair()
    token = jws.serialize_compact({"alg": "RS256"}, json.dumps(ASSERTION), key)
    assert ob2.verify_signed_assertion(token, public_pem) == ASSERTION
    header, _payload, signature = token.split(".")
    for name in ASSERTION:
        tampered = {**ASSERTION, name: "tampered"}
        forged = f"{header}.{_b64(json.dumps(tampered).encode())}.{signature}"
        with pytest.raises(ob2.SignatureError):
            ob2.verify_signed_assertion(forged, public_pem)


def test_alg_none_and_hs256_with_the_public_key_as_secret_are_refused() -> None:
    _key, public_pem = _rsa_pair()
    body = _b64(json.dumps(ASSERTION).encode())
    none_header = _b64(json.dumps({"alg": "none"}).encode())
    with pytest.raises(ob2.SignatureError):
        ob2.verify_signed_assertion(f"{none_header}.{body}.", public_pem)
    hs_header = _b64(json.dumps({"alg": "HS256"}).encode())
    signing_input = f"{hs_header}.{body}"
    mac = hmac.new(public_pem.encode(), signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(ob2.SignatureError):
        ob2.verify_signed_assertion(f"{signing_input}.{_b64(mac)}", public_pem)


def test_revocation_lists_of_both_eras_are_read() -> None:
    revoked = ob2.parse_assertion(
        {**ASSERTION, "id": "https://example.org/beths-robotics-badge-revoked.json"}
    )
    listed = _load("assets/revocation-list.json")
    assert ob2.revocation_status(revoked, listed) == (True, "A good reason, for sure")
    by_string = ob2.parse_assertion(
        {**ASSERTION, "id": "urn:uuid:6deb4a00-ebce-4b28-8cc2-afa705ef7be4"}
    )
    assert ob2.revocation_status(by_string, listed) == (True, None)
    kept = ob2.parse_assertion(ASSERTION)
    assert ob2.revocation_status(kept, listed) == (False, None)
    legacy = ob2.parse_assertion({**ASSERTION, "uid": "abc"})
    assert ob2.revocation_status(legacy, {"abc": "Issued in error"}) == (True, "Issued in error")


@settings(max_examples=300)
@given(
    st.dictionaries(
        st.sampled_from(["id", "recipient", "badge", "verification", "issuedOn", "expires", "uid"]),
        st.one_of(
            st.none(),
            st.text(max_size=20),
            st.integers(),
            st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
        ),
    )
)
def test_any_document_is_read_or_refused_with_a_reason(document: dict[str, object]) -> None:
    answers_or_refuses(ob2.parse_assertion, document)


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_any_text_as_a_signed_badge_is_refused_with_a_reason(token: str) -> None:
    with pytest.raises(ob2.SignatureError):
        ob2.verify_signed_assertion(token, _pem("key1"))
