"""Badges baked into PNG and SVG images: read the real ones, bake our own, refuse hostile ones."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from tests.refusals import answers_or_refuses
from wallet.badges import baking
from wallet.badges.baking import BakingError

VECTORS = Path(__file__).parent.parent / "data" / "vectors"
JWS = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJodHRwczovL2V4YW1wbGUub3JnIn0.c2lnbmF0dXJl"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10"/></svg>'
)


def _png() -> bytes:
    return (VECTORS / "ob2" / "openbadges-bakery" / "public_domain_heart.png").read_bytes()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _with_chunk(png: bytes, chunk: bytes) -> bytes:
    ihdr_end = 8 + 8 + 13 + 4
    return png[:ihdr_end] + chunk + png[ihdr_end:]


@pytest.mark.parametrize(
    ("path", "kind", "standard"),
    [
        ("ob2/openbadges-bakery/baked_heart.png", "json", "ob2"),
        ("ob2/openbadges-bakery/baked_example.svg", "url", "ob2"),
        ("1edtech-validator/ob20/simple-badge.png", "json", "ob2"),
        ("1edtech-validator/ob30/simple-json.png", "json", "ob3"),
        ("1edtech-validator/ob30/simple-json.svg", "json", "ob3"),
        ("1edtech-validator/ob30/simple-jwt.png", "jws", "ob3"),
        ("1edtech-validator/ob30/simple-jwt.svg", "jws", "ob3"),
        ("1edtech-validator/ob30/simple-jwt_v1.svg", "jws", "ob3"),
    ],
)
def test_real_baked_images_give_up_their_credential(path: str, kind: str, standard: str) -> None:
    baked = baking.extract((VECTORS / path).read_bytes())
    assert (baked.kind, baked.standard) == (kind, standard)
    if kind == "json":
        assert isinstance(json.loads(baked.text), dict)


def test_unbaked_images_say_so() -> None:
    with pytest.raises(BakingError, match="no badge baked"):
        baking.extract(_png())
    with pytest.raises(BakingError, match="no badge baked"):
        baking.extract((VECTORS / "ob2" / "openbadges-bakery" / "unbaked_example.svg").read_bytes())


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('{"id": "urn:uuid:1", "note": "]]> inside"}', "json"),
        (JWS, "jws"),
        ("https://x.org/a", "url"),
    ],
)
@pytest.mark.parametrize("standard", ["ob2", "ob3"])
def test_what_we_bake_reads_back_the_same(text: str, kind: str, standard: str) -> None:
    for image, bake in ((_png(), baking.bake_png), (SVG, baking.bake_svg)):
        baked = baking.extract(bake(image, text, standard=standard))  # type: ignore[operator]
        assert (baked.text, baked.kind, baked.standard) == (text, kind, standard)


def test_baking_again_replaces_the_previous_badge() -> None:
    twice = baking.bake_png(baking.bake_png(_png(), JWS), "https://x.org/b")
    assert baking.extract(twice).text == "https://x.org/b"
    svg_twice = baking.bake_svg(baking.bake_svg(SVG, JWS), "https://x.org/b")
    assert baking.extract(svg_twice).text == "https://x.org/b"


def test_a_legacy_text_chunk_holding_a_url_is_read() -> None:
    png = _with_chunk(_png(), _chunk(b"tEXt", b"openbadges\x00https://issuer.example/a/1"))
    baked = baking.extract(png)
    assert (baked.kind, baked.text) == ("url", "https://issuer.example/a/1")


def test_compressed_international_text_is_read() -> None:
    body = b"openbadges\x00\x01\x00\x00\x00" + zlib.compress(JWS.encode())
    assert baking.extract(_with_chunk(_png(), _chunk(b"iTXt", body))).text == JWS


def test_a_decompression_bomb_is_refused() -> None:
    bomb = zlib.compress(b"{" + b" " * (100 * 1024 * 1024), 9)
    png = _with_chunk(_png(), _chunk(b"iTXt", b"openbadges\x00\x01\x00\x00\x00" + bomb))
    assert len(png) < 1024 * 1024
    with pytest.raises(BakingError, match="too large"):
        baking.extract(png)


def test_two_badges_in_one_image_are_refused() -> None:
    chunk = _chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00" + JWS.encode())
    with pytest.raises(BakingError, match="more than one"):
        baking.extract(_with_chunk(_with_chunk(_png(), chunk), chunk))


def test_damaged_and_truncated_pngs_are_refused() -> None:
    baked = baking.bake_png(_png(), JWS)
    with pytest.raises(BakingError, match="cut short"):
        baking.extract(baked[: len(baked) // 2])
    flipped = bytearray(baked)
    flipped[40] ^= 0xFF
    with pytest.raises(BakingError, match="checksum"):
        baking.extract(bytes(flipped))


def test_an_image_over_5_mb_is_refused() -> None:
    with pytest.raises(BakingError, match="larger than 5 MB"):
        baking.extract(baking.PNG_SIGNATURE + b"\x00" * (50 * 1024 * 1024))


def test_svg_with_script_is_read_but_flagged_unsafe_to_serve() -> None:
    hostile = SVG.replace(b"<rect", b'<script>alert(1)</script><rect onload="alert(2)"')
    baked = baking.extract(baking.bake_svg(hostile, JWS))
    assert baked.text == JWS
    assert baked.has_active_content


@pytest.mark.parametrize(
    "svg",
    [
        # billion laughs
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">'
        b']><svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
        # external entity (XXE)
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    ],
)
def test_svg_entities_are_never_expanded(svg: bytes) -> None:
    with pytest.raises(BakingError, match="entities"):
        baking.extract(svg)


def test_deeply_nested_svg_is_handled_without_crashing() -> None:
    deep = (
        b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 20000 + b"</g>" * 20000 + b"</svg>"
    )
    with pytest.raises(BakingError, match="no badge"):
        baking.extract(deep)


@settings(max_examples=300)
@given(st.binary(max_size=2048))
def test_any_bytes_are_read_or_refused_with_a_reason(data: bytes) -> None:
    for reader in (baking.extract, baking.extract_png, baking.extract_svg):
        answers_or_refuses(reader, data)


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_any_bytes_after_the_png_signature_are_read_or_refused(data: bytes) -> None:
    answers_or_refuses(baking.extract_png, baking.PNG_SIGNATURE + data)
