"""The documents an issuer publishes, as plain JSON. Pure: rows and the public origin in, dicts out.

Every URL here is stable (public ids, never names), because credentials name them forever:

- OB 2.0: ``/ob/v2/issuers/<id>`` (Issuer), ``/ob/v2/badges/<id>`` (BadgeClass),
  ``/ob/v2/assertions/<id>`` (hosted Assertion), ``/ob/v2/issuers/<id>/revocations``.
- OB 3.0: ``/ob/v3/issuers/<id>`` (Profile holding the issuer's public key as a Multikey
  verification method, the key document our credentials' proofs name),
  ``/ob/v3/credentials/<id>`` (the signed OpenBadgeCredential),
  ``/ob/v3/issuers/<id>/status`` (BitstringStatusListCredential, revocation).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import gzip
import hashlib
import typing as t

from wallet.badges.credentials import OB3_CONTEXTS

if t.TYPE_CHECKING:
    from wallet.issuers.models import Achievement
    from wallet.issuers.models import IssuedAward
    from wallet.issuers.models import Issuer

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
#: What each kind of recipient is called in an OB 2.0 ``recipient.type`` and an OB 3.0
#: ``identityType``.
OB2_RECIPIENT_TYPE = {"email": "email", "url": "url", "phone": "telephone"}
OB3_IDENTITY_TYPE = {"email": "emailAddress", "url": "url", "phone": "phoneNumber"}
#: Entries in a status list: the spec's minimum, so one award cannot be told from the list size.
STATUS_LIST_BITS = 131_072


class AwardFacts(t.Protocol):
    """What an award's credential says of it: an ``IssuedAward``, or its row before insertion."""

    @property
    def public_id(self) -> str: ...
    @property
    def recipient_type(self) -> str: ...
    @property
    def recipient_normalized(self) -> str: ...
    @property
    def salt(self) -> str: ...
    @property
    def issued_at(self) -> dt.datetime: ...
    @property
    def expires_at(self) -> dt.datetime | None: ...
    @property
    def status_index(self) -> int: ...


@functools.lru_cache(maxsize=1024)
def timestamp(value: dt.datetime) -> str:
    """Return an ISO 8601 UTC timestamp with a Z."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Urls:
    """Where an issuer's documents live under the wallet's public origin."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def ob2_issuer(self, issuer: Issuer) -> str:
        """Return the OB 2.0 Issuer's URL."""
        return f"{self.base}/ob/v2/issuers/{issuer.public_id}"

    def revocations(self, issuer: Issuer) -> str:
        """Return the OB 2.0 RevocationList's URL."""
        return f"{self.ob2_issuer(issuer)}/revocations"

    def badge_class(self, achievement: Achievement) -> str:
        """Return the BadgeClass URL (also the OB 3.0 achievement's id)."""
        return f"{self.base}/ob/v2/badges/{achievement.public_id}"

    def assertion(self, award: AwardFacts) -> str:
        """Return the hosted assertion's URL."""
        return f"{self.base}/ob/v2/assertions/{award.public_id}"

    def profile(self, issuer: Issuer) -> str:
        """Return the OB 3.0 Profile's URL: the issuer's id in its credentials."""
        return f"{self.base}/ob/v3/issuers/{issuer.public_id}"

    def key(self, issuer: Issuer) -> str:
        """Return the verification method the issuer's proofs name."""
        return f"{self.profile(issuer)}#key-1"

    def status_list(self, issuer: Issuer) -> str:
        """Return the BitstringStatusListCredential's URL."""
        return f"{self.profile(issuer)}/status"

    def credential(self, award: AwardFacts) -> str:
        """Return where the signed OB 3.0 credential is published."""
        return f"{self.base}/ob/v3/credentials/{award.public_id}"


def hashed_identity(identifier: str, salt: str) -> str:
    """Return the ``sha256$...`` recipient identity both OB 2.0 and OB 3.0 publish."""
    return "sha256$" + hashlib.sha256((identifier + salt).encode()).hexdigest()


def ob2_issuer(urls: Urls, issuer: Issuer) -> dict[str, t.Any]:
    """Return the OB 2.0 Issuer profile."""
    document: dict[str, t.Any] = {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": urls.ob2_issuer(issuer),
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "revocationList": urls.revocations(issuer),
    }
    if issuer.description:
        document["description"] = issuer.description
    return document


def badge_class(urls: Urls, achievement: Achievement) -> dict[str, t.Any]:
    """Return the OB 2.0 BadgeClass of an achievement."""
    document: dict[str, t.Any] = {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": urls.badge_class(achievement),
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": achievement.criteria},
        "issuer": urls.ob2_issuer(achievement.issuer),
        "image": f"{urls.badge_class(achievement)}/image",
    }
    if achievement.alignments:
        document["alignment"] = [
            {
                "targetName": a.get("name", ""),
                "targetUrl": a.get("url") or urls.badge_class(achievement),
                **({"targetFramework": a["framework"]} if a.get("framework") else {}),
                **({"targetCode": a["code"]} if a.get("code") else {}),
            }
            for a in achievement.alignments
        ]
    if achievement.tags:
        document["tags"] = list(achievement.tags)
    return document


def ob2_assertion(urls: Urls, award: IssuedAward) -> dict[str, t.Any]:
    """Return the hosted OB 2.0 Assertion (``revoked`` with its reason once revoked)."""
    if award.revoked_at is not None:
        return {
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "id": urls.assertion(award),
            "revoked": True,
            "revocationReason": award.revocation_reason,
        }
    document: dict[str, t.Any] = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": urls.assertion(award),
        "recipient": {
            "type": OB2_RECIPIENT_TYPE.get(award.recipient_type, "email"),
            "hashed": True,
            "salt": award.salt,
            "identity": hashed_identity(award.recipient_normalized, award.salt),
        },
        "badge": urls.badge_class(award.achievement),
        "verification": {"type": "hosted"},
        "issuedOn": timestamp(award.issued_at),
    }
    if award.expires_at is not None:
        document["expires"] = timestamp(award.expires_at)
    return document


def revocation_list(
    urls: Urls, issuer: Issuer, revoked: t.Iterable[IssuedAward]
) -> dict[str, t.Any]:
    """Return the OB 2.0 RevocationList of an issuer."""
    return {
        "@context": OB2_CONTEXT,
        "type": "RevocationList",
        "id": urls.revocations(issuer),
        "issuer": urls.ob2_issuer(issuer),
        "revokedAssertions": [
            {"id": urls.assertion(award), "revocationReason": award.revocation_reason}
            for award in revoked
        ],
    }


def profile(urls: Urls, issuer: Issuer) -> dict[str, t.Any]:
    """Return the OB 3.0 Profile, which also publishes the issuer's signing key."""
    return {
        "@context": [*OB3_CONTEXTS, "https://w3id.org/security/multikey/v1"],
        "id": urls.profile(issuer),
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "verificationMethod": [
            {
                "id": urls.key(issuer),
                "type": "Multikey",
                "controller": urls.profile(issuer),
                "publicKeyMultibase": issuer.public_key_multibase,
            }
        ],
        "assertionMethod": [urls.key(issuer)],
    }


def unsigned_credential(
    urls: Urls, award: AwardFacts, achievement: Achievement, issuer: Issuer
) -> dict[str, t.Any]:
    """Return the OB 3.0 OpenBadgeCredential of an award, ready to be signed."""
    achievement_document: dict[str, t.Any] = {
        "id": urls.badge_class(achievement),
        "type": ["Achievement"],
        "achievementType": achievement.achievement_type,
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": achievement.criteria},
        "image": {"id": f"{urls.badge_class(achievement)}/image", "type": "Image"},
    }
    if achievement.alignments:
        achievement_document["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": a.get("name", ""),
                "targetUrl": a.get("url") or urls.badge_class(achievement),
                **({"targetFramework": a["framework"]} if a.get("framework") else {}),
                **({"targetCode": a["code"]} if a.get("code") else {}),
            }
            for a in achievement.alignments
        ]
    if achievement.tags:
        achievement_document["tag"] = list(achievement.tags)
    credential: dict[str, t.Any] = {
        "@context": list(OB3_CONTEXTS),
        "id": urls.credential(award),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": urls.profile(issuer), "type": ["Profile"], "name": issuer.name},
        "validFrom": timestamp(award.issued_at),
        "name": achievement.name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": OB3_IDENTITY_TYPE.get(award.recipient_type, "emailAddress"),
                    "hashed": True,
                    "identityHash": hashed_identity(award.recipient_normalized, award.salt),
                    "salt": award.salt,
                }
            ],
            "achievement": achievement_document,
        },
        "credentialStatus": {
            "id": f"{urls.status_list(issuer)}#{award.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(award.status_index),
            "statusListCredential": urls.status_list(issuer),
        },
    }
    if award.expires_at is not None:
        credential["validUntil"] = timestamp(award.expires_at)
    return credential


def unsigned_status_list(
    urls: Urls, issuer: Issuer, bits: bytes, updated: dt.datetime
) -> dict[str, t.Any]:
    """Return the issuer's BitstringStatusListCredential, ready to be signed."""
    encoded = base64.urlsafe_b64encode(gzip.compress(bits, mtime=0)).rstrip(b"=").decode()
    return {
        "@context": [VC2_CONTEXT],
        "id": urls.status_list(issuer),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": urls.profile(issuer),
        "validFrom": timestamp(updated),
        "credentialSubject": {
            "id": f"{urls.status_list(issuer)}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": "u" + encoded,
        },
    }
