"""Links that share an award without any OAuth: LinkedIn's Add to Profile and share links. Pure.

LinkedIn's Add to Profile form is prefilled from query parameters (see the research notes in
``shared/reference/integrations.md`` §1a): ``organizationId`` (the issuer's LinkedIn page, which
brings its logo) is preferred to the free-text ``organizationName``; months are 1-based; empty
parameters are left out rather than sent empty. Prefilling is best effort on LinkedIn's side, so
the page also shows every field for copying.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from dataclasses import dataclass

ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"
#: The share channels, in the order the page offers them.
CHANNELS = ("linkedin", "x", "facebook", "email")
#: Longest credential id handed to LinkedIn; longer ids (or digests) give way to our public id.
MAX_CERT_ID = 100


@dataclass(frozen=True)
class Certification:
    """The fields of a LinkedIn "Licenses & certifications" entry."""

    name: str
    #: The issuer's LinkedIn organisation (page) id, digits only; empty when unknown.
    organization_id: str
    organization_name: str
    issued: dt.datetime | None
    expires: dt.datetime | None
    #: The public page of the award (must be reachable by anyone).
    url: str
    cert_id: str


def cert_id(credential_id: str, public_id: str) -> str:
    """Return the credential id shown on LinkedIn: the credential's own, when it is readable."""
    if (
        credential_id
        and not credential_id.startswith("sha256:")
        and len(credential_id) <= MAX_CERT_ID
    ):
        return credential_id
    return public_id


def add_to_profile_params(cert: Certification) -> dict[str, str]:
    """Return the query parameters of the Add to Profile link, without empty ones."""
    params = {"startTask": "CERTIFICATION_NAME", "name": cert.name}
    organization = cert.organization_id.strip()
    if organization.isdigit():
        params["organizationId"] = organization
    elif cert.organization_name:
        params["organizationName"] = cert.organization_name
    if cert.issued is not None:
        params["issueYear"] = str(cert.issued.year)
        params["issueMonth"] = str(cert.issued.month)  # 1-based, as LinkedIn expects
    if cert.expires is not None:
        params["expirationYear"] = str(cert.expires.year)
        params["expirationMonth"] = str(cert.expires.month)
    params["certUrl"] = cert.url
    params["certId"] = cert.cert_id
    return {name: value for name, value in params.items() if value}


def add_to_profile_url(cert: Certification) -> str:
    """Return LinkedIn's Add to Profile link for ``cert``."""
    return f"{ADD_TO_PROFILE}?{urllib.parse.urlencode(add_to_profile_params(cert))}"


def share_url(channel: str, page_url: str, title: str) -> str:
    """Return the link that shares ``page_url`` on ``channel`` (one of ``CHANNELS``)."""
    quoted = urllib.parse.quote(page_url, safe="")
    if channel == "linkedin":
        # Only ``url`` is honoured: LinkedIn reads the card from the page's Open Graph tags.
        return f"https://www.linkedin.com/sharing/share-offsite/?url={quoted}"
    if channel == "x":
        return "https://x.com/intent/post?" + urllib.parse.urlencode(
            {"text": title, "url": page_url}
        )
    if channel == "facebook":
        return f"https://www.facebook.com/sharer/sharer.php?u={quoted}"
    if channel == "email":
        query = urllib.parse.urlencode(
            {"subject": title, "body": f"{title}\n{page_url}"}, quote_via=urllib.parse.quote
        )
        return f"mailto:?{query}"
    raise ValueError(channel)
