"""Badges baked into PNG and SVG images: read the real ones, bake our own, refuse hostile ones."""

from __future__ import annotations

import base64
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
        ("1edtech-validator/ob30/simple-jwt.png", "jwt", "ob3"),
        ("1edtech-validator/ob30/simple-jwt.svg", "jwt", "ob3"),
        ("1edtech-validator/ob30/simple-jwt_v1.png", "jwt", "ob3"),
        ("1edtech-validator/ob30/simple-jwt_v1.svg", "jwt", "ob3"),
    ],
)
def test_real_baked_images_give_up_their_credential(path: str, kind: str, standard: str) -> None:
    baked = baking.extract((VECTORS / path).read_bytes())
    assert (baked.kind, baked.standard) == (kind, standard)
    if kind == "json":
        assert isinstance(json.loads(baked.text), dict)


def test_every_baked_image_in_the_manifest_gives_up_what_it_records() -> None:
    manifest = json.loads((VECTORS / "MANIFEST.json").read_text())["files"]
    for path, info in manifest.items():
        data = (VECTORS / path).read_bytes()
        expected = [keyword for _chunk, keyword in info.get("bakedChunks", [])]
        if info.get("openbadges:assertion"):
            expected.append("openbadges")
        if info.get("openbadges:credential"):
            expected.append("openbadgecredential")
        if info["kind"] not in ("png", "svg"):
            continue
        if not expected:
            with pytest.raises(BakingError, match="no badge baked"):
                baking.extract(data)
            continue
        baked = baking.extract(data)
        assert baked.standard == ("ob3" if expected == ["openbadgecredential"] else "ob2"), path


def test_unbaked_images_say_so() -> None:
    with pytest.raises(BakingError, match="no badge baked"):
        baking.extract(_png())
    with pytest.raises(BakingError, match="no badge baked"):
        baking.extract((VECTORS / "ob2" / "openbadges-bakery" / "unbaked_example.svg").read_bytes())


VC_JWT = (
    "eyJhbGciOiJSUzI1NiJ9."
    + base64.urlsafe_b64encode(json.dumps({"vc": {"type": ["VerifiableCredential"]}}).encode())
    .rstrip(b"=")
    .decode()
    + ".c2lnbmF0dXJl"
)


@pytest.mark.parametrize(
    ("text", "standard", "kind"),
    [
        ('{"id": "urn:uuid:1", "note": "]]> inside"}', "ob2", "json"),
        ('{"id": "urn:uuid:1", "note": "]]> inside"}', "ob3", "json"),
        (JWS, "ob2", "jws"),
        (JWS, "ob3", "jwt"),
        (VC_JWT, "ob2", "jwt"),
        ("https://x.org/a?b=1&c=2", "ob2", "url"),
    ],
)
def test_what_we_bake_reads_back_the_same(text: str, standard: str, kind: str) -> None:
    for image, bake in ((_png(), baking.bake_png), (SVG, baking.bake_svg)):
        baked = baking.extract(bake(image, text, standard))  # type: ignore[operator]
        assert (baked.text, baked.kind, baked.standard) == (text, kind, standard)


def test_real_svgs_are_baked_and_read_by_the_element_their_standard_names() -> None:
    ob2_svg = (VECTORS / "ob2" / "openbadges-bakery" / "unbaked_example.svg").read_bytes()
    ob3_svg = (VECTORS / "1edtech-validator" / "ob30" / "simple-json.svg").read_bytes()
    # The OB 3.0 image declares the OB 3.0 namespace on its root; baking OB 2.0 into it must
    # still produce an element in the OB 2.0 namespace.
    for image in (ob2_svg, ob3_svg):
        for standard in ("ob2", "ob3"):
            baked = baking.bake_svg(image, JWS, standard)  # type: ignore[arg-type]
            assert baking.extract(baked).standard == standard


def test_an_ob3_image_cannot_carry_a_link() -> None:
    with pytest.raises(BakingError, match="not a link"):
        baking.bake_png(_png(), "https://x.org/a", "ob3")


def test_text_that_is_no_credential_is_not_baked() -> None:
    with pytest.raises(BakingError, match="neither a badge"):
        baking.bake_svg(SVG, "hello")


def test_a_comment_mentioning_svg_before_the_root_does_not_mislead_baking() -> None:
    svg = b"<!-- <svg> drawn by hand --> " + SVG
    assert baking.extract(baking.bake_svg(svg, JWS)).text == JWS


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


def test_deeply_nested_svg_is_refused_with_a_reason() -> None:
    deep = (
        b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 20000 + b"</g>" * 20000 + b"</svg>"
    )
    with pytest.raises(BakingError, match="nested too deeply"):
        baking.extract(deep)
    shallow = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 50 + b"</g>" * 50 + b"</svg>"
    assert baking.extract(baking.bake_svg(shallow, JWS)).text == JWS


def test_an_svg_of_countless_tiny_elements_is_refused_with_a_reason() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g/>" * 600_000 + b"</svg>"
    assert len(svg) < baking.MAX_IMAGE_BYTES
    with pytest.raises(BakingError, match="too many parts"):
        baking.extract(svg)


@pytest.mark.parametrize(
    "hostile",
    [
        b'<a href="java\tscript:alert(1)"><rect/></a>',
        b'<a xmlns:xl="http://www.w3.org/1999/xlink" xl:href=" JavaScript:alert(1)"/>',
        b"<foreignObject><div>hi</div></foreignObject>",
        b'<rect onclick="steal()"/>',
        b'<set attributeName="href" to="javascript:alert(1)"/>',
    ],
)
def test_every_way_to_run_code_in_an_svg_is_flagged(hostile: bytes) -> None:
    svg = SVG.replace(b"<rect", hostile + b"<rect", 1)
    assert baking.extract(baking.bake_svg(svg, JWS)).has_active_content


def test_a_plain_svg_is_not_flagged() -> None:
    assert not baking.extract(baking.bake_svg(SVG, JWS)).has_active_content


def test_a_legacy_text_chunk_without_a_value_is_refused_with_a_reason() -> None:
    with pytest.raises(BakingError, match="neither a badge"):
        baking.extract(_with_chunk(_png(), _chunk(b"tEXt", b"openbadges")))


def test_the_international_text_chunk_wins_over_the_legacy_one() -> None:
    png = _with_chunk(_png(), _chunk(b"tEXt", b"openbadges\x00https://old.example/a"))
    png = _with_chunk(png, _chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00" + JWS.encode()))
    assert baking.extract(png).text == JWS


@settings(max_examples=300)
@given(st.binary(max_size=2048))
def test_any_bytes_are_read_or_refused_with_a_reason(data: bytes) -> None:
    for reader in (baking.extract, baking.extract_png, baking.extract_svg):
        answers_or_refuses(reader, data)


@settings(max_examples=300)
@given(st.binary(max_size=300), st.sampled_from([b"iTXt", b"tEXt"]))
def test_any_text_chunk_body_is_read_or_refused(body: bytes, kind: bytes) -> None:
    for keyword in (b"openbadges", b"openbadgecredential"):
        answers_or_refuses(baking.extract_png, _with_chunk(_png(), _chunk(kind, keyword + body)))


@settings(max_examples=300)
@given(st.text(max_size=200), st.text(max_size=50))
def test_any_text_in_a_baked_svg_element_is_read_or_refused(body: str, verify: str) -> None:
    escaped = body.replace("&", "&amp;").replace("<", "&lt;")
    attribute = verify.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        f'<openbadges:assertion verify="{attribute}">{escaped}</openbadges:assertion></svg>'
    )
    answers_or_refuses(baking.extract_svg, svg.encode("utf-8", "surrogatepass"))


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_any_bytes_after_the_png_signature_are_read_or_refused(data: bytes) -> None:
    answers_or_refuses(baking.extract_png, baking.PNG_SIGNATURE + data)
