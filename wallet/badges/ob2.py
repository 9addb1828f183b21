"""Open Badges 2.0 (and 1.x) assertions: fields, recipients, signatures, revocation lists.

Pure: no Flask, no database, no network. Fetching the hosted copy, the BadgeClass, the issuer and
its keys happens elsewhere (through ``wallet.http``); this module judges what was fetched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import typing as t
from dataclasses import dataclass
from dataclasses import field

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from wallet.badges.formats import FormatError
from wallet.badges.formats import parse_json
from wallet.badges.jose import registry
from wallet.errors import Invalid

_HASHED = re.compile(r"^(md5\$[0-9a-f]{32}|sha256\$[0-9a-f]{64})$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UNIX = re.compile(r"^\d{9,11}$")


class SignatureError(Invalid):
    """The signature does not verify with the key, or uses an algorithm we refuse."""


@dataclass(frozen=True)
class Recipient:
    """Who an assertion was awarded to."""

    type: str
    identity: str
    hashed: bool
    salt: str = ""


@dataclass(frozen=True)
class Assertion:
    """The fields of an OB 2.0 assertion we use (1.x upgraded on the way)."""

    id: str
    recipient: Recipient
    #: The BadgeClass: its URL, or the embedded object.
    badge: str | dict[str, t.Any]
    #: ``hosted`` or ``signed``.
    verification_type: str
    issued_on: dt.datetime
    creator: str | None = None
    expires: dt.datetime | None = None
    revoked: bool = False
    revocation_reason: str | None = None
    #: Legacy 1.0 ``uid``, which revocation lists of that era name.
    uid: str | None = None
    image: str | None = None
    narrative: str | None = None
    evidence: list[t.Any] = field(default_factory=list)


def parse_timestamp(value: t.Any, name: str) -> dt.datetime:
    """Read an OB timestamp: ISO 8601 (2.0), a bare date or Unix seconds (1.x) -> aware UTC."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(int(value))
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise Invalid(f"The badge's {name} date is missing or not a date.")
    try:
        if _UNIX.match(text):
            return dt.datetime.fromtimestamp(int(text), dt.UTC)
        if _DATE.match(text):
            return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError) as error:
        raise Invalid(f"The badge's {name} date ({text[:40]}) is not a date.") from error
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _text(value: t.Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _iri_or_id(value: t.Any) -> str | None:
    if isinstance(value, dict):
        return _text(value.get("id"))
    return _text(value)


def parse_assertion(document: dict[str, t.Any]) -> Assertion:
    """Check the required fields of an OB 2.0/1.x assertion and return them typed."""
    if document.get("revoked") is True and _text(document.get("id")):
        # A revoked hosted assertion may be stripped down to its id and the reason.
        return Assertion(
            id=document["id"],
            recipient=Recipient(type="email", identity="", hashed=False),
            badge="",
            verification_type="hosted",
            issued_on=dt.datetime.min.replace(tzinfo=dt.UTC),
            revoked=True,
            revocation_reason=_text(document.get("revocationReason")),
        )
    verification = document.get("verification", document.get("verify"))
    issued = document.get("issuedOn", document.get("issued_on"))
    recipient = document.get("recipient")
    missing = [
        name
        for name, value in (
            ("recipient", recipient),
            ("badge", document.get("badge")),
            ("verification", verification),
            ("issuedOn", issued),
        )
        if value in (None, "", {}, [])
    ]
    if missing:
        raise Invalid("The badge is missing required fields: " + ", ".join(missing) + ".")
    if not isinstance(verification, dict):
        raise Invalid("The badge's verification must be an object naming hosted or signed.")
    kind = str(verification.get("type", "")).lower()
    kind = {"hostedbadge": "hosted", "signedbadge": "signed"}.get(kind, kind)
    if kind not in ("hosted", "signed"):
        raise Invalid("The badge's verification type must be hosted or signed.")
    assertion_id = _text(document.get("id"))
    if assertion_id is None:
        # 1.0: a hosted assertion's id is where it lives; a signed one's is its uid.
        url, uid = _text(verification.get("url")), _text(document.get("uid"))
        assertion_id = url if kind == "hosted" and url else (f"uid:{uid}" if uid else None)
    if assertion_id is None:
        raise Invalid("The badge is missing required fields: id.")
    evidence = document.get("evidence", [])
    return Assertion(
        id=assertion_id,
        recipient=parse_recipient(recipient, document.get("salt")),
        badge=document["badge"],
        verification_type=kind,
        issued_on=parse_timestamp(issued, "issue"),
        creator=_text(verification.get("creator")),
        expires=parse_timestamp(document["expires"], "expiry") if document.get("expires") else None,
        revoked=document.get("revoked") is True,
        revocation_reason=_text(document.get("revocationReason")),
        uid=_text(document.get("uid")),
        image=_iri_or_id(document.get("image")),
        narrative=_text(document.get("narrative")),
        evidence=evidence if isinstance(evidence, list) else [evidence],
    )


def parse_recipient(value: t.Any, legacy_salt: t.Any = None) -> Recipient:
    """Read an IdentityObject (2.0/1.x) or a 0.5 recipient string."""
    if isinstance(value, str):
        return Recipient(
            type="email",
            identity=value,
            hashed=bool(_HASHED.match(value)),
            salt=legacy_salt if isinstance(legacy_salt, str) else "",
        )
    if not isinstance(value, dict) or not isinstance(value.get("identity"), str):
        raise Invalid("The badge does not say who it was awarded to (recipient identity).")
    hashed = value.get("hashed") is True
    identity = value["identity"]
    if hashed and not _HASHED.match(identity):
        raise Invalid("The badge's recipient is marked hashed but is not a sha256$ or md5$ hash.")
    salt = value.get("salt")
    return Recipient(
        type=str(value.get("type", "email")),
        identity=identity,
        hashed=hashed,
        salt=salt if isinstance(salt, str) else "",
    )


def _candidates(identifier: str) -> set[str]:
    stripped = identifier.strip()
    return {identifier, stripped, stripped.lower()}


def recipient_matches(recipient: Recipient, identifiers: t.Iterable[str]) -> bool:
    """Say whether the badge was awarded to any of ``identifiers`` (emails, URLs, phones)."""
    if recipient.hashed:
        algorithm, _, expected = recipient.identity.partition("$")
        expected = expected.lower()
        for identifier in identifiers:
            for candidate in _candidates(identifier):
                digest = hashlib.new(
                    algorithm.lower(),
                    (candidate + recipient.salt).encode(),
                    usedforsecurity=False,
                ).hexdigest()
                if hmac.compare_digest(digest, expected):
                    return True
        return False
    wanted = recipient.identity.strip().lower()
    return any(wanted in _candidates(identifier) for identifier in identifiers)


def verify_signed_assertion(token: str, public_key_pem: str) -> dict[str, t.Any]:
    """Verify an OB 2.0 signed assertion (compact JWS, RS256) and return its payload."""
    try:
        key = RSAKey.import_key(public_key_pem)
    except (JoseError, ValueError, TypeError) as error:
        raise SignatureError("The issuer's key is not a usable RSA public key.") from error
    try:
        signature = jws.deserialize_compact(token.strip(), key, registry=registry(["RS256"]))
    except JoseError as error:
        raise SignatureError(
            "The signature does not match the issuer's key: the badge was altered or not "
            "signed by this issuer."
        ) from error
    except (ValueError, TypeError) as error:
        raise SignatureError("The signed badge is damaged and cannot be read.") from error
    try:
        payload = parse_json(signature.payload)
    except FormatError as error:
        raise SignatureError("The signed badge does not hold a JSON assertion.") from error
    if not isinstance(payload, dict):
        raise SignatureError("The signed badge does not hold a JSON assertion.")
    return payload


def revocation_status(assertion: Assertion, revocation_list: t.Any) -> tuple[bool, str | None]:
    """Return whether ``revocation_list`` (an OB RevocationList, or 1.0's {uid: reason}) revokes
    ``assertion``, and the reason given."""
    if not isinstance(revocation_list, dict):
        return False, None
    if "revokedAssertions" not in revocation_list:
        # OB 1.0 lists map uids to reasons.
        if assertion.uid and assertion.uid in revocation_list:
            reason = revocation_list[assertion.uid]
            return True, reason if isinstance(reason, str) else None
        return False, None
    entries = revocation_list["revokedAssertions"]
    for entry in entries if isinstance(entries, list) else [entries]:
        if isinstance(entry, str) and entry in (assertion.id, assertion.uid):
            return True, None
        if isinstance(entry, dict) and (
            entry.get("id") == assertion.id or (assertion.uid and entry.get("uid") == assertion.uid)
        ):
            reason = entry.get("revocationReason")
            return True, reason if isinstance(reason, str) else None
    return False, None
