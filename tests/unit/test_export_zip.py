"""The export zip is built from plain values: its files, names, order and presentation."""

from __future__ import annotations

import datetime as dt
import io
import json
import typing as t
import zipfile

from wallet.backpack import export

NOW = dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC)
#: A VC-JWT's shape (header.payload.signature); the export never checks signatures.
JWT = (
    "eyJhbGciOiJFZERTQSJ9."
    "eyJ2YyI6eyJAY29udGV4dCI6WyJodHRwczovL3d3dy53My5vcmcvMjAxOC9jcmVkZW50aWFscy92MSJdfX0."
    "c2lnbmF0dXJl"
)
OB3 = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "id": "urn:uuid:1",
    "issuer": {"id": "did:example:1", "type": ["Profile"]},
    "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"name": "Robotics"}},
}
OB2 = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://issuer.example/a/1",
}


def _item(original: bytes, original_type: str, format: str, name: str) -> export.Item:
    return export.Item(
        original=original,
        original_type=original_type,
        format=format,
        credential_id=name,
        issuer_id="did:example:1",
        issuer_name="Issuer",
        achievement_name=name,
        achievement_type="",
        issued_at=NOW,
        expires_at=None,
        state="valid",
        verification={"status": "valid", "checks": [{"name": "signature", "status": "pass"}]},
        verified_at=NOW,
        revoked_at=None,
        visibility="private",
        added_at=NOW,
    )


def _profile() -> export.Profile:
    return export.Profile(
        handle="ana",
        display_name="Ana",
        locale="es",
        created_at=NOW,
        last_sign_in_at=None,
        emails=[export.Email("ana@example.org", verified_at=None, primary=True, added_at=NOW)],
    )


def _build(items: t.Sequence[export.Item]) -> bytes:
    builder = export.Builder(_profile(), generated_at=NOW, wallet="https://wallet.example")
    for item in items:
        builder.add(item)
    return builder.finish()


ITEMS = [
    _item(json.dumps(OB3).encode(), "application/json", "ob3-credential", "Robótica Básica"),
    _item(JWT.encode(), "text/plain", "vc-jwt", "Token"),
    _item(json.dumps(OB2).encode(), "application/json", "ob2-assertion", "Old badge"),
    _item(b"https://issuer.example/a/2", "text/plain", "ob3-credential", "Linked"),
]


def test_every_original_is_written_untouched_under_a_readable_name() -> None:
    archive = zipfile.ZipFile(io.BytesIO(_build(ITEMS)))
    assert archive.namelist() == [
        "README.txt",
        "profile.json",
        "credentials/001-robotica-basica.json",
        "credentials/002-token.jwt",
        "credentials/003-old-badge.json",
        "credentials/004-linked.txt",
        "index.json",
        "presentation.json",
    ]
    assert archive.read("credentials/002-token.jwt") == JWT.encode()
    assert all(info.date_time == (2026, 3, 1, 12, 30, 0) for info in archive.infolist())
    profile = json.loads(archive.read("profile.json"))
    assert profile["emails"][0] == {
        "email": "ana@example.org",
        "verified": False,
        "verified_at": None,
        "primary": True,
        "added_at": "2026-03-01T12:30:00Z",
    }


def test_the_presentation_holds_the_verifiable_credentials_only() -> None:
    archive = zipfile.ZipFile(io.BytesIO(_build(ITEMS)))
    presentation = json.loads(archive.read("presentation.json"))
    assert presentation["type"] == ["VerifiablePresentation"]
    assert presentation["verifiableCredential"] == [
        OB3,
        {
            "@context": "https://www.w3.org/ns/credentials/v2",
            "id": f"data:application/vc+jwt,{JWT}",
            "type": "EnvelopedVerifiableCredential",
        },
    ]
    index = json.loads(archive.read("index.json"))
    assert [entry["in_presentation"] for entry in index["credentials"]] == [
        True,
        True,
        False,  # OB 2.0 is not a verifiable credential
        False,  # a link: the export fetches nothing
    ]
    assert index["credentials"][0]["verification"] == {
        "status": "valid",
        "checked_at": "2026-03-01T12:30:00Z",
        "checks": [{"name": "signature", "status": "pass"}],
    }


def test_the_same_data_at_the_same_time_gives_the_same_zip() -> None:
    assert _build(ITEMS) == _build(ITEMS)


def test_an_empty_wallet_still_exports_its_profile() -> None:
    archive = zipfile.ZipFile(io.BytesIO(_build([])))
    assert json.loads(archive.read("presentation.json"))["verifiableCredential"] == []
    assert json.loads(archive.read("index.json"))["count"] == 0


def test_slugs_are_safe_file_names() -> None:
    assert export.slug("Ünïcode & Friends!") == "unicode-friends"
    assert export.slug("../../etc/passwd") == "etc-passwd"
    assert export.slug("日本語") == "badge"
    assert len(export.slug("x" * 500)) == export.MAX_SLUG
