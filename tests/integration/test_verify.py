"""Verification end to end: issuers' documents served by a local web server, checks explained."""

from __future__ import annotations

import base64
import gzip
import json
import typing as t
import warnings

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jws
from joserfc.errors import SecurityWarning
from joserfc.jwk import OKPKey
from joserfc.jwk import RSAKey

from tests.issuer_site import IssuerSite as _Issuer
from tests.issuer_site import hosted_ob2 as _hosted_ob2
from tests.issuer_site import publish as _publish
from wallet.badges import baking
from wallet.badges import keys
from wallet.badges import proofs
from wallet.badges.verify import verify
from wallet.cli import main
from wallet.http import HttpClient
from wallet.http import HttpSettings

if t.TYPE_CHECKING:
    from flask import Flask

PNG = (
    __import__("pathlib").Path(__file__).parent.parent
    / "data/vectors/ob2/openbadges-bakery/public_domain_heart.png"
).read_bytes()


FETCH = HttpClient(HttpSettings(allow_loopback=True, total_timeout=3)).get


def _names(report: t.Any) -> dict[str, str]:
    return {check.name: check.status for check in report.checks}


def test_a_hosted_badge_is_valid_with_every_check_explained(site: str) -> None:
    report = verify(_hosted_ob2(site), fetch=FETCH, recipients=["Ada@example.org"])
    assert report.status == "valid"
    assert _names(report) == {
        "format": "pass",
        "hosted": "pass",
        "issuer": "pass",
        "scope": "pass",
        "revocation": "pass",
        "validity": "pass",
        "recipient": "pass",
    }
    assert report.credential["issuer"]["name"] == "Example College"
    assert all(check.message for check in report.checks)


def test_a_hosted_badge_revoked_with_410_is_invalid(site: str) -> None:
    text = _hosted_ob2(site)
    _Issuer.gone.add("/a/1")
    report = verify(text, fetch=FETCH)
    assert report.status == "invalid"
    assert _names(report)["revocation"] == "fail"


def test_an_unreachable_issuer_is_unverifiable_not_invalid(site: str) -> None:
    text = _hosted_ob2(site).replace(site, "http://127.0.0.1:9")
    report = verify(text, fetch=FETCH)
    assert report.status == "unverifiable"


def test_a_badge_for_someone_else_says_how_to_claim_it(site: str) -> None:
    report = verify(_hosted_ob2(site), fetch=FETCH, recipients=["grace@example.org"])
    assert report.status == "invalid"
    assert "Add and verify that address" in next(
        c.message for c in report.checks if c.name == "recipient"
    )


def test_a_baked_png_pointing_at_a_hosted_badge_verifies(site: str) -> None:
    _hosted_ob2(site)
    report = verify(baking.bake_png(PNG, f"{site}/a/1"), fetch=FETCH)
    assert report.status == "valid"


def test_a_signed_ob2_badge_needs_a_key_its_issuer_lists(site: str) -> None:
    key = RSAKey.generate_key(2048)
    _publish(
        "/key",
        {
            "id": f"{site}/key",
            "type": "CryptographicKey",
            "owner": f"{site}/issuer",
            "publicKeyPem": key.as_pem(private=False).decode(),
        },
    )
    _hosted_ob2(site)
    issuer = json.loads(_Issuer.documents["/issuer"])
    assertion = {
        **json.loads(_Issuer.documents["/a/1"]),
        "id": "urn:uuid:5c0b5d0e-0c57-4b6f-8e3a-1f3c2b7d9e10",
        "verification": {"type": "SignedBadge", "creator": f"{site}/key"},
    }
    token = jws.serialize_compact({"alg": "RS256"}, json.dumps(assertion), key)

    _publish("/issuer", {**issuer, "publicKey": f"{site}/key"})
    assert verify(token, fetch=FETCH).status == "valid"

    _publish("/issuer", issuer)  # the issuer no longer lists the key
    report = verify(token, fetch=FETCH)
    assert report.status == "invalid"
    assert _names(report)["key"] == "fail"


def test_a_signed_badge_naming_no_key_is_checked_with_each_key_its_issuer_lists(
    site: str,
) -> None:
    signing, other = RSAKey.generate_key(2048), RSAKey.generate_key(2048)
    for path, key in (("/old-key", other), ("/key", signing)):
        _publish(
            path,
            {
                "id": f"{site}{path}",
                "type": "CryptographicKey",
                "owner": f"{site}/issuer",
                "publicKeyPem": key.as_pem(private=False).decode(),
            },
        )
    _hosted_ob2(site)
    issuer = json.loads(_Issuer.documents["/issuer"])
    assertion = {
        **json.loads(_Issuer.documents["/a/1"]),
        "id": "urn:uuid:0d6f3c1a-4b2e-4c8d-9a7f-2e5b1c3d4f60",
        "verification": {"type": "SignedBadge"},
    }
    token = jws.serialize_compact({"alg": "RS256"}, json.dumps(assertion), signing)

    _publish("/issuer", {**issuer, "publicKey": [f"{site}/old-key", f"{site}/key"]})
    assert verify(token, fetch=FETCH).status == "valid"

    _publish("/issuer", {**issuer, "publicKey": [f"{site}/old-key"]})
    report = verify(token, fetch=FETCH)
    assert report.status == "invalid"
    assert _names(report)["signature"] == "fail"


def test_an_issuer_whose_id_is_not_a_web_address_leaves_scope_unchecked(site: str) -> None:
    data = json.loads(_hosted_ob2(site))
    issuer = json.loads(_Issuer.documents["/issuer"])
    _publish("/issuer", {**issuer, "id": "urn:uuid:7a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b"})
    report = verify(json.dumps(data), fetch=FETCH)
    assert _names(report)["scope"] == "warn"
    assert report.status == "valid"
    _publish(
        "/issuer",
        {**issuer, "id": "urn:uuid:7a1e2b3c", "verification": {"allowedOrigins": "elsewhere.org"}},
    )
    assert verify(json.dumps(data), fetch=FETCH).status == "invalid"


def _did_key(private: Ed25519PrivateKey) -> str:
    raw = private.public_key().public_bytes_raw()
    return "did:key:z" + base58.b58encode(keys.ED25519_PREFIX + raw).decode()


def _ob3(issuer: str, **extra: t.Any) -> dict[str, t.Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:2f6a4d5e-1b2c-4d3e-8f9a-0b1c2d3e4f50",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example Institute"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Robotics",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.org/achievements/1",
                "type": ["Achievement"],
                "name": "Robotics",
                "description": "Built a robot.",
                "criteria": {"narrative": "Build a robot."},
            },
        },
        **extra,
    }


def _sign(credential: dict[str, t.Any], private: Ed25519PrivateKey) -> dict[str, t.Any]:
    did = _did_key(private)
    return proofs.sign(
        credential,
        private,
        verification_method=f"{did}#{did.split(':')[-1]}",
        created="2026-01-01T00:00:00Z",
    )


def test_an_ob3_credential_signed_by_its_issuers_did_key_is_valid() -> None:
    private = Ed25519PrivateKey.generate()
    signed = _sign(_ob3(_did_key(private)), private)
    report = verify(json.dumps(signed), fetch=FETCH)
    assert report.status == "valid", report.to_json()
    tampered = {**signed, "name": "Advanced Robotics"}
    assert verify(json.dumps(tampered), fetch=FETCH).status == "invalid"


def test_a_key_that_is_not_the_issuers_makes_the_credential_invalid() -> None:
    private = Ed25519PrivateKey.generate()
    signed = _sign(_ob3("https://mit.example/issuer"), private)
    report = verify(json.dumps(signed), fetch=FETCH)
    assert report.status == "invalid"
    assert _names(report) | {"signature": "pass"} == _names(report)
    assert _names(report)["key"] == "fail"


def _status_list(revoked_index: int | None) -> dict[str, t.Any]:
    bits = bytearray(16 * 1024)
    if revoked_index is not None:
        bits[revoked_index // 8] |= 0x80 >> (revoked_index % 8)
    encoded = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).rstrip(b"=").decode()
    return {
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "credentialSubject": {
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }


@pytest.mark.parametrize(("revoked_index", "expected"), [(None, "valid"), (7, "invalid")])
def test_a_status_list_revokes_or_clears_the_credential(
    site: str, revoked_index: int | None, expected: str
) -> None:
    private = Ed25519PrivateKey.generate()
    entry = {
        "id": f"{site}/status#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": f"{site}/status",
    }
    signed = _sign(_ob3(_did_key(private), credentialStatus=entry), private)
    _publish("/status", _status_list(revoked_index))
    assert verify(json.dumps(signed), fetch=FETCH).status == expected


def test_a_vc_jwt_whose_key_is_only_embedded_is_invalid() -> None:
    key = OKPKey.generate_key("Ed25519")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=SecurityWarning)
        token = jws.serialize_compact(
            {"alg": "EdDSA", "jwk": key.as_dict(private=False)},
            json.dumps(_ob3("did:example:nobody")),
            key,
            algorithms=["EdDSA"],
        )
    report = verify(token, fetch=FETCH)
    assert _names(report)["signature"] == "pass"
    assert _names(report)["key"] == "fail"
    assert report.status == "invalid"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"type": "BadgeClass", "name": "x"}', "not an award"),
        ("this is not a badge", "neither"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 10, "PNG"),
    ],
)
def test_things_that_are_not_badges_are_explained(data: str | bytes, message: str) -> None:
    report = verify(data, fetch=FETCH)
    assert report.status == "invalid"
    assert message in report.checks[0].message


def test_the_command_line_prints_json_and_exits_by_status(app: Flask, tmp_path: t.Any) -> None:
    private = Ed25519PrivateKey.generate()
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_sign(_ob3(_did_key(private)), private)))
    runner = app.test_cli_runner()

    result = runner.invoke(main, args=["verify", str(good), "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["status"] == "valid"
    assert printed["valid"] is True
    assert {"name", "status", "message"} == set(printed["checks"][0])
    assert printed["credential"]["achievement"]["name"] == "Robotics"

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**json.loads(good.read_text()), "name": "Changed"}))
    assert runner.invoke(main, args=["verify", str(bad)]).exit_code == 1
    assert runner.invoke(main, args=["verify", str(tmp_path / "missing.json")]).exit_code == 2


def test_a_malformed_hosted_copy_is_a_failed_check_not_a_crash(site: str) -> None:
    text = _hosted_ob2(site)
    _publish("/a/1", {"id": f"{site}/a/1", "type": "Assertion"})
    report = verify(text, fetch=FETCH)
    assert report.status == "invalid"
    assert _names(report)["hosted"] == "fail"


def test_a_0_5_assertion_fetched_from_a_link_takes_the_link_as_its_id(site: str) -> None:
    _publish(
        "/old-badge",
        {
            "recipient": "ada@example.org",
            "badge": {
                "name": "Old Robotics",
                "description": "From 2012",
                "image": f"{site}/img.png",
                "criteria": f"{site}/criteria",
                "issuer": {"origin": site, "name": "Old College"},
            },
            "issued_on": "2012-05-01",
        },
    )
    report = verify(f"{site}/old-badge", fetch=FETCH)
    assert report.format == "ob05-assertion"
    assert report.credential["id"] == f"{site}/old-badge"
    assert _names(report)["format"] == "pass", report.to_json()


def test_a_signed_badge_with_its_badgeclass_embedded_verifies(site: str) -> None:
    key = RSAKey.generate_key(2048)
    _hosted_ob2(site)
    _publish(
        "/key",
        {
            "id": f"{site}/key",
            "type": "CryptographicKey",
            "publicKeyPem": key.as_pem(private=False).decode(),
        },
    )
    issuer = json.loads(_Issuer.documents["/issuer"])
    _publish("/issuer", {**issuer, "publicKey": f"{site}/key"})
    assertion = {
        **json.loads(_Issuer.documents["/a/1"]),
        "id": "urn:uuid:0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
        "badge": json.loads(_Issuer.documents["/badge"]),
        "verification": {"type": "SignedBadge", "creator": f"{site}/key"},
    }
    token = jws.serialize_compact({"alg": "RS256"}, json.dumps(assertion), key)
    report = verify(token, fetch=FETCH)
    assert report.status == "valid", report.to_json()
    assert report.credential["achievement"]["name"] == "Robotics"
