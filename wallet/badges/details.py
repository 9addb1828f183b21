"""What an award says about itself, for people: description, criteria, skills, evidence. Pure.

Verification leaves the documents it read in ``Report.documents`` (the OB 2.0 assertion with its
BadgeClass and Issuer, or the verifiable credential); this module turns them into one plain shape
for both families, keeping only text and http(s)/data URLs. Everything here is untrusted: the
templates escape it, and nothing is ever rendered as HTML.
"""

from __future__ import annotations

import typing as t
import urllib.parse

#: Longest text kept from any one field; a description is not a novel.
MAX_TEXT = 5_000
#: Most items kept from any one list (alignments, evidence, tags).
MAX_ITEMS = 50


class Alignment(t.TypedDict):
    """A skill or competency the award aligns to (OB ``Alignment``)."""

    name: str
    url: str
    framework: str
    code: str
    description: str


class Evidence(t.TypedDict):
    """Evidence of the earner's work."""

    name: str
    url: str
    narrative: str


class Details(t.TypedDict):
    """The human-facing content of an award."""

    description: str
    criteria: str
    criteria_url: str
    image: str
    alignments: list[Alignment]
    evidence: list[Evidence]
    tags: list[str]
    endorsements: int


def empty() -> Details:
    """Return details with nothing known."""
    return {
        "description": "",
        "criteria": "",
        "criteria_url": "",
        "image": "",
        "alignments": [],
        "evidence": [],
        "tags": [],
        "endorsements": 0,
    }


def from_documents(documents: t.Mapping[str, t.Any]) -> Details:
    """Read the details from the documents a verification kept (see ``Report.documents``)."""
    if isinstance(documents.get("credential"), dict):
        return _from_credential(documents["credential"])
    badge = documents.get("badge")
    if isinstance(badge, dict):
        return _from_ob2(documents.get("assertion") or {}, badge, documents.get("issuer") or {})
    return empty()


def _from_ob2(
    assertion: dict[str, t.Any], badge: dict[str, t.Any], issuer: dict[str, t.Any]
) -> Details:
    criteria = badge.get("criteria")
    details = empty()
    details["description"] = _text(badge.get("description"))
    details["criteria"] = _text(criteria.get("narrative")) if isinstance(criteria, dict) else ""
    details["criteria_url"] = _url(criteria.get("id") if isinstance(criteria, dict) else criteria)
    details["image"] = _image_url(
        _image_ref(assertion.get("image")) or _image_ref(badge.get("image"))
    )
    details["alignments"] = [_alignment(item) for item in _items(badge.get("alignment"))]
    details["evidence"] = [_evidence(item) for item in _items(assertion.get("evidence"))]
    details["tags"] = [_text(tag) for tag in _items(badge.get("tags")) if _text(tag)]
    details["endorsements"] = sum(
        len(_items(document.get("endorsement"))) for document in (assertion, badge, issuer)
    )
    return details


def _from_credential(credential: dict[str, t.Any]) -> Details:
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, dict) else {}
    criteria = achievement.get("criteria")
    details = empty()
    details["description"] = _text(achievement.get("description") or credential.get("description"))
    details["criteria"] = _text(criteria.get("narrative")) if isinstance(criteria, dict) else ""
    details["criteria_url"] = _url(criteria.get("id") if isinstance(criteria, dict) else "")
    details["image"] = _image_url(
        _image_ref(achievement.get("image")) or _image_ref(credential.get("image"))
    )
    details["alignments"] = [_alignment(item) for item in _items(achievement.get("alignment"))]
    details["evidence"] = [
        _evidence(item) for item in _items(credential.get("evidence") or subject.get("evidence"))
    ]
    details["tags"] = [_text(tag) for tag in _items(achievement.get("tag")) if _text(tag)]
    details["endorsements"] = len(_items(credential.get("endorsement"))) + len(
        _items(achievement.get("endorsement"))
    )
    return details


def _alignment(item: t.Any) -> Alignment:
    item = item if isinstance(item, dict) else {}
    return {
        "name": _text(item.get("targetName"), 300),
        "url": _url(item.get("targetUrl")),
        "framework": _text(item.get("targetFramework"), 300),
        "code": _text(item.get("targetCode"), 100),
        "description": _text(item.get("targetDescription")),
    }


def _evidence(item: t.Any) -> Evidence:
    if isinstance(item, str):
        return {"name": "", "url": _url(item), "narrative": ""}
    item = item if isinstance(item, dict) else {}
    return {
        "name": _text(item.get("name"), 300),
        "url": _url(item.get("id")),
        "narrative": _text(item.get("narrative") or item.get("description")),
    }


def _image_ref(value: t.Any) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _items(value: t.Any) -> list[t.Any]:
    if value is None:
        return []
    return (value if isinstance(value, list) else [value])[:MAX_ITEMS]


def _text(value: t.Any, limit: int = MAX_TEXT) -> str:
    if isinstance(value, dict):  # a JSON-LD language map or value object: take its text
        value = value.get("@value") or next(iter(value.values()), "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def _image_url(value: str) -> str:
    """Return ``value`` if it is an http(s) URL or an image ``data:`` URL, else ``""``."""
    return value if value.startswith("data:image/") else _url(value)


def _url(value: t.Any) -> str:
    """Return ``value`` if it is an http(s) URL, else ``""`` (never javascript:, data: or file:)."""
    if not isinstance(value, str):
        return ""
    try:
        parts = urllib.parse.urlsplit(value.strip())
    except ValueError:
        return ""
    return value.strip()[:2000] if parts.scheme in ("http", "https") and parts.netloc else ""
