"""Build Open Badges 3.0 credentials (unsigned). Pure: no Flask, no database.

The recipient is named by a salted SHA-256 of their email, as OB 3.0's IdentityObject allows, so
a credential shown publicly does not reveal the address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import typing as t
import uuid

OB3_CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def open_badge_credential(
    *,
    issuer_id: str,
    issuer_name: str,
    recipient_email: str,
    achievement_id: str,
    name: str,
    description: str,
    criteria: str,
    achievement_type: str,
    issued: dt.datetime,
    expires: dt.datetime | None = None,
    image: str | None = None,
    alignments: t.Sequence[t.Mapping[str, str]] = (),
) -> dict[str, t.Any]:
    """Return an unsigned ``OpenBadgeCredential`` awarding an achievement to an email address.

    ``alignments`` are OB 3.0 Alignment fields (``targetName``, ``targetUrl``, ``targetFramework``,
    ``targetCode``), the skills the achievement stands for.
    """
    salt = secrets.token_hex(8)
    identity = "sha256$" + hashlib.sha256((recipient_email + salt).encode()).hexdigest()
    credential: dict[str, t.Any] = {
        "@context": list(OB3_CONTEXTS),
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer_name},
        "validFrom": _timestamp(issued),
        "name": name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": identity,
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": achievement_type,
                "name": name,
                "description": description,
                "criteria": {"narrative": criteria},
            },
        },
    }
    achievement = credential["credentialSubject"]["achievement"]
    if image is not None:
        achievement["image"] = {"id": image, "type": "Image"}
    if alignments:
        achievement["alignment"] = [{"type": ["Alignment"], **a} for a in alignments]
    if expires is not None:
        credential["validUntil"] = _timestamp(expires)
    return credential
