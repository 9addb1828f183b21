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

VECTORS = Path(__file__).parent.parent / "data" / "vectors"
OB20 = VECTORS / "1edtech-validator" / "ob20"
MANIFEST = json.loads((VECTORS / "MANIFEST.json").read_text())["files"]

#: Vectors whose MANIFEST kind is a parseable OB 2.0 object but which break a rule of the spec,
#: with the field our parser names. (The rdf-validation BadgeClasses test RDF types only and omit
#: ``image``, which OB 2.0 requires of a BadgeClass.)
BROKEN = {
    "basic-assertion-invalid-context.json": "@context",
    "basic-assertion-invalid-type.json": "type",
    "basic-assertion-expired-before-issued.json": "expires",
    "badge-class-with-language.json": "image",
    "rdf-validation/badge-class-invalid-issuer-type.json": "image",
    "rdf-validation/valid-badge-class-empty-criteria-type.json": "image",
    "rdf-validation/valid-badge-class.json": "image",
}
PARSERS = {
    "ob2 Assertion": ob2.parse,
    "ob2 OtherAssertion": ob2.parse,
    "ob2 BadgeClass": ob2.parse_badge_class,
    "ob2 Issuer": ob2.parse_issuer,
    "ob2 CryptographicKey": ob2.parse_key,
}


def _load(name: str) -> dict[str, object]:
    return json.loads((OB20 / name).read_text())


def _pem(name: str) -> str:
    return str(_load(f"assets/{name}.json")["publicKeyPem"])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("path", "kind"),
    [(path, info["kind"]) for path, info in MANIFEST.items() if info["kind"] in PARSERS],
)
def test_every_ob2_vector_is_read_or_its_broken_field_is_named(path: str, kind: str) -> None:
    document = json.loads((VECTORS / path).read_text())
    broken = BROKEN.get(path.removeprefix("1edtech-validator/ob20/"))
    if broken is None:
        PARSERS[kind](document)
        return
    with pytest.raises(ob2.FieldsError) as caught:
        PARSERS[kind](document)
    assert broken in [problem.field for problem in caught.value.problems]
    assert caught.value.message.startswith("The ")


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
    with pytest.raises(ob2.FieldsError, match="recipient, issuedOn") as caught:
        ob2.parse_assertion(
            {"id": "https://x.org/a", "badge": "b", "verification": {"type": "hosted"}}
        )
    assert caught.value.field == "recipient"
    assert [p.field for p in caught.value.problems] == ["recipient", "issuedOn"]


def test_every_problem_is_named_at_once() -> None:
    document = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://x.org/a",
        "recipient": {"type": "email", "hashed": True, "identity": "ada@example.org"},
        "badge": {"type": "BadgeClass", "id": "https://x.org/b", "name": "B"},
        "verification": {"type": "mailed"},
        "issuedOn": "last tuesday",
    }
    with pytest.raises(ob2.FieldsError) as caught:
        ob2.parse_assertion(document)
    fields = {problem.field for problem in caught.value.problems}
    assert fields == {
        "recipient.identity",
        "verification.type",
        "issuedOn",
        "badge.description",
        "badge.image",
        "badge.criteria",
        "badge.issuer",
    }
    assert "not a sha256$ or md5$ hash" in caught.value.message


def test_an_embedded_badge_class_and_issuer_are_read_typed() -> None:
    badge = _load("assets/robotics-badge.json")
    issuer = _load("assets/organization-with-revocation-list.json")
    assertion = ob2.parse_assertion(
        {**_load("basic-assertion.json"), "badge": {**badge, "issuer": issuer}}
    )
    assert isinstance(assertion.badge, ob2.BadgeClass)
    assert assertion.badge_id == badge["id"]
    assert isinstance(assertion.badge.issuer, ob2.Issuer)
    assert assertion.badge.issuer.revocation_list == "http://example.org/revocation-list.json"
    assert assertion.badge.issuer.public_keys == ("http://example.org/key3.json",)


def test_a_0_5_assertion_is_read_with_the_link_it_came_from() -> None:
    salt = "s"
    identity = "sha256$" + hashlib.sha256(b"ada@example.org" + salt.encode()).hexdigest()
    document = {
        "recipient": identity,
        "salt": salt,
        "issued_on": "2012-06-01",
        "badge": {
            "version": "0.5.0",
            "name": "Old badge",
            "image": "/img.png",
            "description": "From 2012",
            "criteria": "https://old.example/criteria",
            "issuer": {"origin": "https://old.example", "name": "Old issuer"},
        },
    }
    with pytest.raises(ob2.FieldsError, match="missing required fields: id"):
        ob2.parse_assertion(document)
    assertion = ob2.parse_assertion(document, source_url="https://old.example/a/1.json")
    assert (assertion.version, assertion.id) == ("0.5", "https://old.example/a/1.json")
    assert isinstance(assertion.badge, ob2.BadgeClass)
    assert assertion.badge.issuer_id == "https://old.example"
    assert ob2.recipient_matches(assertion.recipient, ["Ada@Example.org"])


def test_an_issuer_missing_its_contact_fields_is_told_which() -> None:
    with pytest.raises(ob2.FieldsError, match="url, email"):
        ob2.parse_issuer({"type": "Issuer", "id": "https://x.org/i", "name": "X"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-12-31T23:59:59Z", dt.datetime(2016, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),
        ("2016-12-31T23:59:59+02:00", dt.datetime(2016, 12, 31, 21, 59, 59, tzinfo=dt.UTC)),
        ("2015-04-01", dt.datetime(2015, 4, 1, tzinfo=dt.UTC)),
        (1427846400, dt.datetime(2015, 4, 1, tzinfo=dt.UTC)),
        ("1427846400", dt.datetime(2015, 4, 1, tzinfo=dt.UTC)),
        ("2016-12-31t23:59:59z", dt.datetime(2016, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),
        ("2016-12-31T23:59:59", dt.datetime(2016, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),
        ("2016-12-31 23:59:59.123456789Z", dt.datetime(2016, 12, 31, 23, 59, 59, 123456, dt.UTC)),
    ],
)
def test_timestamps_of_every_version_are_read_as_utc(value: object, expected: dt.datetime) -> None:
    assert ob2.parse_timestamp(value, "issue") == expected


@pytest.mark.parametrize("value", ["yesterday", "2016-13-01", 10**15, True, None, "9999-01-01"])
def test_dates_that_are_not_dates_are_refused_with_a_reason(value: object) -> None:
    with pytest.raises(Invalid, match="issue date"):
        ob2.parse_timestamp(value, "issue")


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


@pytest.mark.parametrize(
    ("token", "key"),
    [("simple.jwt", "key1"), ("simple-not-revoked.jwt", "key2"), ("simple-revoked.jwt", "key3")],
)
def test_signed_vectors_verify_with_the_issuers_key_only(token: str, key: str) -> None:
    text = (OB20 / token).read_text()
    payload = ob2.verify_signed_assertion(text, _pem(key))
    assert ob2.parse_assertion(payload).verification_type == "signed"
    for other in {"key1", "key2", "key3"} - {key}:
        with pytest.raises(ob2.SignatureError, match="does not match"):
            ob2.verify_signed_assertion(text, _pem(other))


def test_the_revoked_signed_vector_is_found_in_its_issuers_list() -> None:
    revoked = ob2.parse_assertion(
        ob2.verify_signed_assertion((OB20 / "simple-revoked.jwt").read_text(), _pem("key3"))
    )
    kept = ob2.parse_assertion(
        ob2.verify_signed_assertion((OB20 / "simple-not-revoked.jwt").read_text(), _pem("key2"))
    )
    listed = (OB20 / "assets" / "revocation-list.json").read_text()
    assert ob2.is_revoked(revoked.id, listed)[0]
    assert ob2.is_revoked(kept.id, listed) == (False, None)


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
    with pytest.raises(ob2.SignatureError, match="'none'"):
        ob2.verify_signed_assertion(f"{none_header}.{body}.", public_pem)
    hs_header = _b64(json.dumps({"alg": "HS256"}).encode())
    signing_input = f"{hs_header}.{body}"
    mac = hmac.new(public_pem.encode(), signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(ob2.SignatureError, match="'HS256'"):
        ob2.verify_signed_assertion(f"{signing_input}.{_b64(mac)}", public_pem)
    # Even a header that claims RS256 over an HMAC does not pass.
    rs_header = _b64(json.dumps({"alg": "RS256"}).encode())
    mac = hmac.new(public_pem.encode(), f"{rs_header}.{body}".encode(), hashlib.sha256).digest()
    with pytest.raises(ob2.SignatureError, match="does not match"):
        ob2.verify_signed_assertion(f"{rs_header}.{body}.{_b64(mac)}", public_pem)


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


def test_a_one_entry_revocation_list_is_matched() -> None:
    # The reference validator misses these (JSON-LD compaction turns the list into one value).
    for entry in ("urn:uuid:1", ["urn:uuid:1"], {"id": "urn:uuid:1", "revocationReason": "Why"}):
        listed = {"type": "RevocationList", "revokedAssertions": entry}
        assert ob2.is_revoked("urn:uuid:1", listed)[0]
    assert ob2.is_revoked("urn:uuid:2", _load("assets/empty-revocation-list.json")) == (False, None)


@pytest.mark.parametrize(
    "listed",
    ["not json", "[1, 2]", {"type": "RevocationList"}, b"\xff", '{"a": 1, "a": 2}'],
)
def test_an_unreadable_revocation_list_is_never_read_as_not_revoked(listed: object) -> None:
    with pytest.raises(ob2.RevocationListError, match="revocation list"):
        ob2.is_revoked("urn:uuid:1", listed)


@pytest.mark.parametrize(
    ("assertion", "issuer", "expected"),
    [
        # The default policy is the issuer id's host, whatever the scheme.
        ("https://example.org/a/1", "issuer1.json", True),
        ("http://badges.example.org/a/1", "issuer1.json", False),
        ("https://example.org/a/1", "issuer-with-allowed-origins.json", None),
        ("https://example.org/a/1", "issuer-with-allowed-origins-valid-starts-with.json", None),
        ("https://evil.example/a/1", "organization.json", False),
        ("https://example.org/a/1", "organization.json", True),
    ],
)
def test_hosted_assertions_must_live_where_the_issuer_allows(
    assertion: str, issuer: str, expected: bool | None
) -> None:
    profile = ob2.parse_issuer(_load(f"assets/{issuer}"))
    result = ob2.hosted_in_scope(assertion, profile)
    if expected is None:
        # The policy vectors: whatever they state decides, so check it against the policy itself.
        policy = profile.verification
        assert policy is not None
        if policy.starts_with:
            assert result == any(assertion.startswith(p) for p in policy.starts_with)
        else:
            assert result == ("example.org" in policy.allowed_origins)
    else:
        assert result is expected


def test_a_signed_assertion_may_only_use_a_key_its_issuer_lists() -> None:
    issuer = ob2.parse_issuer(_load("assets/organization-with-revocation-list.json"))
    signed = ob2.parse_assertion(ASSERTION)
    assert ob2.keys_to_try(signed, issuer) == []
    own = ob2.parse_assertion(
        {**ASSERTION, "verification": {"type": "signed", "creator": "http://example.org/key3.json"}}
    )
    assert ob2.keys_to_try(own, issuer) == ["http://example.org/key3.json"]
    no_creator = ob2.parse_assertion({**ASSERTION, "verification": {"type": "signed"}})
    assert ob2.keys_to_try(no_creator, issuer) == ["http://example.org/key3.json"]


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


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@context",
                    "id",
                    "type",
                    "recipient",
                    "identity",
                    "hashed",
                    "salt",
                    "badge",
                    "issuer",
                    "verification",
                    "verify",
                    "issuedOn",
                    "expires",
                    "revoked",
                    "name",
                    "criteria",
                    "alignment",
                    "publicKey",
                    "revokedAssertions",
                ]
            )
            | st.text(max_size=5),
            children,
            max_size=6,
        )
    ),
    max_leaves=40,
)


@settings(max_examples=400)
@given(JSON_VALUES)
def test_any_json_is_parsed_or_refused_with_field_problems(value: object) -> None:
    for parser in (ob2.parse, ob2.parse_badge_class, ob2.parse_issuer, ob2.parse_key):
        refusal: ob2.FieldsError | None = None
        try:
            parser(value)
        except ob2.FieldsError as error:
            refusal = error
        assert refusal is None or (refusal.message and refusal.problems)


@settings(max_examples=300)
@given(JSON_VALUES, st.text(max_size=10))
def test_any_revocation_list_is_read_or_refused_with_a_reason(value: object, wanted: str) -> None:
    refusal: ob2.RevocationListError | None = None
    try:
        revoked, reason = ob2.is_revoked(wanted, value)
        assert isinstance(revoked, bool)
    except ob2.RevocationListError as error:
        refusal = error
    assert refusal is None or refusal.message


@settings(max_examples=200)
@given(
    st.emails(),
    st.text(max_size=16),
    st.sampled_from(["sha256", "md5"]),
    st.booleans(),
)
def test_any_hashed_email_matches_only_its_own_address(
    email: str, salt: str, algorithm: str, upper: bool
) -> None:
    digest = hashlib.new(algorithm, (email + salt).encode(), usedforsecurity=False).hexdigest()
    identity = f"{algorithm}${digest.upper() if upper else digest}"
    recipient = ob2.parse_recipient(
        {"type": "email", "hashed": True, "salt": salt, "identity": identity}
    )
    assert ob2.recipient_matches(recipient, ["someone@else.example", f"  {email} "])
    assert not ob2.recipient_matches(recipient, [email + "x"])


def test_the_vectors_hash_is_sha256_of_the_address_and_salt() -> None:
    expected = hashlib.sha256(b"nobody@example.orgdeadsea").hexdigest()
    recipient = ob2.parse_assertion(_load("basic-assertion.json")).recipient
    assert recipient.identity == f"sha256${expected}"
    assert ob2.recipient_matches(recipient, ["NOBODY@example.org"])


def test_an_address_hashed_lowercase_by_the_issuer_matches_the_earners_capitals() -> None:
    digest = hashlib.sha256(b"ada@example.org").hexdigest()
    recipient = ob2.parse_recipient(
        {"type": "email", "hashed": True, "identity": f"sha256${digest}"}
    )
    assert ob2.recipient_matches(recipient, ["Ada@Example.ORG"])


@pytest.mark.parametrize(
    ("kind", "identity", "earner", "expected"),
    [
        ("url", "https://Ada.Example/", "https://ada.example", True),
        ("url", "https://ada.example/Profile", "https://ada.example/profile", False),
        ("telephone", "+1 (555) 010-9999", "+15550109999", True),
        ("telephone", "+15550109999", "+15550109998", False),
        ("email", "ada@example.org", "grace@example.org", False),
    ],
)
def test_urls_and_telephones_match_in_their_normal_forms(
    kind: str, identity: str, earner: str, expected: bool
) -> None:
    plain = ob2.parse_recipient({"type": kind, "hashed": False, "identity": identity})
    assert ob2.recipient_matches(plain, [earner]) is expected
    digest = hashlib.sha256(identity.encode()).hexdigest()
    hashed = ob2.parse_recipient({"type": kind, "hashed": True, "identity": f"sha256${digest}"})
    assert ob2.recipient_matches(hashed, [identity])


def test_a_hash_declared_unhashed_is_still_compared_as_a_hash() -> None:
    digest = hashlib.sha256(b"ada@example.orgx").hexdigest()
    for declared in (False, "true"):
        recipient = ob2.parse_recipient(
            {"type": "email", "hashed": declared, "salt": "x", "identity": f"sha256${digest}"}
        )
        assert ob2.recipient_matches(recipient, ["ada@example.org"])
