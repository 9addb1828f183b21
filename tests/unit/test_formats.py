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
