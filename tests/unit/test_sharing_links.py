"""LinkedIn's Add to Profile link and the share links carry the right fields."""

from __future__ import annotations

import datetime as dt
import urllib.parse

from wallet.sharing import links
from wallet.sharing import structured


def _cert(**changes: object) -> links.Certification:
    values: dict[str, object] = {
        "name": "Welding & Cutting",
        "organization_id": "",
        "organization_name": "Dock School",
        "issued": dt.datetime(2026, 1, 31, tzinfo=dt.UTC),
        "expires": None,
        "url": "https://wallet.example/a/abc",
        "cert_id": "urn:uuid:1",
    }
    return links.Certification(**(values | changes))  # type: ignore[arg-type]


def _query(url: str) -> dict[str, str]:
    parts = urllib.parse.urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == links.ADD_TO_PROFILE
    return dict(urllib.parse.parse_qsl(parts.query, strict_parsing=True))


def test_months_are_one_based_and_empty_fields_are_left_out() -> None:
    query = _query(links.add_to_profile_url(_cert()))
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Welding & Cutting",
        "organizationName": "Dock School",
        "issueYear": "2026",
        "issueMonth": "1",
        "certUrl": "https://wallet.example/a/abc",
        "certId": "urn:uuid:1",
    }
    december = _cert(
        issued=dt.datetime(2025, 12, 1, tzinfo=dt.UTC),
        expires=dt.datetime(2027, 12, 31, tzinfo=dt.UTC),
    )
    query = _query(links.add_to_profile_url(december))
    assert (query["issueMonth"], query["expirationYear"], query["expirationMonth"]) == (
        "12",
        "2027",
        "12",
    )


def test_the_organization_id_is_preferred_to_the_name() -> None:
    query = _query(links.add_to_profile_url(_cert(organization_id="1337")))
    assert query["organizationId"] == "1337"
    assert "organizationName" not in query
    # Anything but a number is no page id: the name is used.
    assert "organizationId" not in _query(links.add_to_profile_url(_cert(organization_id="x1")))


def test_the_credential_id_is_ours_when_the_credential_has_no_readable_one() -> None:
    assert links.cert_id("urn:uuid:7", "pub") == "urn:uuid:7"
    assert links.cert_id("sha256:" + "0" * 64, "pub") == "pub"
    assert links.cert_id("https://x.example/" + "a" * 200, "pub") == "pub"


def test_share_links_carry_the_page() -> None:
    page = "https://wallet.example/a/abc?x=1"
    assert links.share_url("linkedin", page, "T") == (
        "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fwallet.example%2Fa%2Fabc%3Fx%3D1"
    )
    assert "u=https%3A%2F%2Fwallet.example" in links.share_url("facebook", page, "T")
    x = urllib.parse.urlsplit(links.share_url("x", page, "My badge"))
    assert dict(urllib.parse.parse_qsl(x.query)) == {"text": "My badge", "url": page}
    mail = urllib.parse.urlsplit(links.share_url("email", page, "My badge"))
    assert mail.scheme == "mailto"
    assert dict(urllib.parse.parse_qsl(mail.query))["body"] == f"My badge\n{page}"


def test_json_ld_cannot_end_its_script_block() -> None:
    text = str(structured.json_for_script({"name": "</script><script>alert(1)</script>&\u2028"}))
    for raw in ("<", ">", "&", "\u2028"):
        assert raw not in text
    expected = "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"
    assert text == '{"name":"' + expected + '\\u0026\\u2028"}'
