"""What machines read on an award's page: schema.org JSON-LD, escaped for a script block. Pure.

The JSON-LD goes in ``<script type="application/ld+json">``: browsers treat it as data (the page's
CSP, which allows no inline script, does not apply to it) but the HTML parser still ends the block
at ``</script>``, so every ``<``, ``>`` and ``&`` is written as a JSON escape, as are the two line
separators older JavaScript parsers choke on.
"""

from __future__ import annotations

import datetime as dt
import json
import typing as t

from markupsafe import Markup

_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def json_for_script(value: t.Any) -> Markup:
    """Return ``value`` as JSON safe to put inside a ``<script>`` data block."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for raw, escaped in _ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)  # noqa: S704 - every character that could end the block is escaped


def credential_jsonld(
    *,
    name: str,
    description: str,
    page_url: str,
    image_url: str,
    category: str,
    issuer_name: str,
    issuer_url: str,
    issued: dt.datetime | None,
    expires: dt.datetime | None,
    skills: t.Sequence[t.Mapping[str, str]],
    identifier: str,
) -> dict[str, t.Any]:
    """Return a schema.org ``EducationalOccupationalCredential`` describing a public award."""
    issuer: dict[str, t.Any] = {"@type": "Organization", "name": issuer_name}
    if issuer_url.startswith(("https://", "http://")):
        issuer["url"] = issuer_url
    document: dict[str, t.Any] = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "name": name,
        "url": page_url,
        "image": image_url,
        "credentialCategory": category or "badge",
        "recognizedBy": issuer,
        "identifier": identifier,
    }
    if description:
        document["description"] = description
    if issued is not None:
        document["dateCreated"] = issued.date().isoformat()
    if expires is not None:
        document["expires"] = expires.date().isoformat()
    terms = []
    for skill in skills:
        term: dict[str, str] = {"@type": "DefinedTerm", "name": skill.get("name") or ""}
        if skill.get("code"):
            term["termCode"] = skill["code"]
        if skill.get("framework"):
            term["inDefinedTermSet"] = skill["framework"]
        if str(skill.get("url", "")).startswith(("https://", "http://")):
            term["url"] = skill["url"]
        if term["name"] or term.get("termCode"):
            terms.append(term)
    if terms:
        document["competencyRequired"] = terms
    return document
