"""Recognising what an earner brings, and parsing untrusted JSON safely."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from tests.refusals import answers_or_refuses
from wallet.badges import formats
from wallet.badges.formats import FormatError

VECTORS = Path(__file__).parent.parent / "data" / "vectors"
MANIFEST = json.loads((VECTORS / "MANIFEST.json").read_text())["files"]

#: What each MANIFEST kind must be recognised as.
EXPECTED = {
    "ob2 Assertion": "ob2-assertion",
    "ob2 BadgeClass": "ob2-badgeclass",
    "ob2 Issuer": "ob2-issuer",
    "vc OpenBadgeCredential": "ob3-credential",
    "vc AchievementCredential": "ob3-credential",
    "vc ClrCredential": "clr-credential",
    "vc EndorsementCredential": "ob3-endorsement",
    "vc AlumniCredential": "other-vc",
    "png": "png",
    "svg": "svg",
}


def _b64(value: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("path", "expected"),
    [(path, EXPECTED[info["kind"]]) for path, info in MANIFEST.items() if info["kind"] in EXPECTED],
)
def test_every_vector_is_recognised_as_its_kind(path: str, expected: str) -> None:
    assert formats.detect((VECTORS / path).read_bytes()).format == expected


@pytest.mark.parametrize(
    ("path", "shape"),
    [(path, info["payloadShape"]) for path, info in MANIFEST.items() if info["kind"] == "jws"],
)
def test_signed_vectors_are_told_apart_as_ob2_or_vc_jwt(path: str, shape: str) -> None:
    detected = formats.detect((VECTORS / path).read_bytes())
    assert detected.format == ("ob2-signed" if shape == "OB2 Assertion" else "vc-jwt")
    assert detected.header["alg"] == "RS256"


def test_legacy_assertions_are_recognised() -> None:
    v05 = {"recipient": "sha256$abc", "salt": "x", "badge": {"name": "Old"}}
    v10 = {"uid": "1", "recipient": {"type": "email"}, "badge": "https://x.org/b", "verify": {}}
    assert formats.detect(json.dumps(v05)).format == "ob05-assertion"
    assert formats.detect(json.dumps(v10)).format == "ob1-assertion"


def test_a_url_is_recognised() -> None:
    detected = formats.detect("  https://issuer.example/assertions/1  ")
    assert (detected.format, detected.text) == ("url", "https://issuer.example/assertions/1")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("[" * 10000 + "]" * 10000, "neither"),
        ('{"a":' * 10000 + "1" + "}" * 10000, "nested too deeply"),
        ('{"a": NaN}', "not a number"),
        ('{"type": "Assertion", "type": "BadgeClass"}', "twice"),
        ('{"name": "no type"}', "not an Open Badge"),
        ("hello there", "neither"),
        ("eyJhbGciOiJub25lIn0.bm90IGpzb24.", "JSON"),
    ],
)
def test_bad_input_is_refused_with_a_specific_reason(text: str, reason: str) -> None:
    with pytest.raises(FormatError, match=reason):
        formats.detect(text)


def test_a_document_over_2_mb_is_refused() -> None:
    with pytest.raises(FormatError, match="larger than 2 MB"):
        formats.detect('{"a": "' + "x" * (3 * 1024 * 1024) + '"}')


def test_a_jws_header_with_alg_none_is_still_only_detected_not_trusted() -> None:
    token = f"{_b64({'alg': 'none'})}.{_b64({'vc': {'type': ['VerifiableCredential']}})}."
    detected = formats.detect(token)
    assert detected.format == "vc-jwt"
    assert detected.header == {"alg": "none"}


@settings(max_examples=300)
@given(st.one_of(st.binary(max_size=500), st.text(max_size=500)))
def test_any_input_is_recognised_or_refused_with_a_reason(data: bytes | str) -> None:
    answers_or_refuses(formats.detect, data)


@settings(max_examples=200)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=5), children, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_any_json_object_is_classified_or_refused(value: object) -> None:
    answers_or_refuses(formats.detect, json.dumps({"value": value, "type": value}))


@pytest.mark.parametrize(
    ("path", "version"),
    [
        (path, "1.1" if "/v1/" in path else "2.0")
        for path in MANIFEST
        if path.startswith("dcc-vc-test-fixtures/verifiableCredentials/")
        and MANIFEST[path]["kind"].startswith("vc ")
        and "oldDCCExample" not in path
    ],
)
def test_the_vc_data_model_is_read_from_the_first_context(path: str, version: str) -> None:
    detected = formats.detect((VECTORS / path).read_bytes())
    assert detected.vc_version == version


def test_vc_jwts_say_which_data_model_they_carry() -> None:
    v1 = formats.detect((VECTORS / "1edtech-validator" / "ob30" / "simple.jwt").read_bytes())
    assert (v1.format, v1.vc_version) == ("vc-jwt", "1.1")
    payload = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
    }
    v2 = formats.detect(f"{_b64({'alg': 'ES256'})}.{_b64(payload)}.c2ln")
    assert (v2.format, v2.vc_version) == ("vc-jwt", "2.0")


def test_ob2_assertions_say_how_they_are_verified() -> None:
    hosted = formats.detect(
        (VECTORS / "1edtech-validator" / "ob20" / "basic-assertion.json").read_bytes()
    )
    assert (hosted.format, hosted.verification, hosted.is_award) == (
        "ob2-assertion",
        "hosted",
        True,
    )
    signed = formats.detect((VECTORS / "1edtech-validator" / "ob20" / "simple.jwt").read_bytes())
    assert (signed.format, signed.verification) == ("ob2-signed", "signed")


def test_a_badge_class_is_recognised_but_is_not_an_award() -> None:
    path = VECTORS / "1edtech-validator" / "ob20" / "assets" / "robotics-badge.json"
    detected = formats.detect(path.read_bytes())
    assert not detected.is_award
    assert "not an award" in formats.NOT_AN_AWARD[detected.format]


def test_a_presentation_is_recognised() -> None:
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [],
    }
    detected = formats.detect(json.dumps(presentation))
    assert (detected.format, detected.vc_version) == ("presentation", "2.0")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"a": 1e400}', "too large"),
        ('{"a": "\\ud800"}', "not valid Unicode"),
        ('{"a": ' + "[" * 10000 + "]" * 10000 + "}", "nested too deeply"),
        ("https://issuer.example/a b", "single web address"),
        ("https:///no-host", "does not name a web site"),
        ("https://" + "a" * 3000 + ".example/", "single web address"),
    ],
)
def test_subtler_bad_input_is_refused_with_a_specific_reason(text: str, reason: str) -> None:
    with pytest.raises(FormatError, match=reason):
        formats.detect(text)


def test_a_byte_order_mark_before_json_is_tolerated() -> None:
    text = "\ufeff" + json.dumps({"type": "Assertion", "recipient": "a@b.c", "badge": "x"})
    assert formats.detect(text.encode()).format == "ob05-assertion"


def test_a_50_mb_upload_is_refused_quickly_and_clearly() -> None:
    with pytest.raises(FormatError, match="larger than 2 MB"):
        formats.detect(b"{" + b" " * (50 * 1024 * 1024) + b"}")


def test_json_nested_10000_deep_is_refused_before_it_is_parsed() -> None:
    with pytest.raises(FormatError, match="nested too deeply"):
        formats.parse_json("[" * 10000 + "]" * 10000)
    # Brackets inside strings are text, not nesting.
    assert formats.parse_json(json.dumps({"a": "[" * 10000})) == {"a": "[" * 10000}
