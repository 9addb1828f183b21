"""Open Badges 2.0 (and 1.x, 0.5) objects: assertions, badge classes, issuers, keys.

Pure: no Flask, no database, no network. Fetching the hosted copy, the BadgeClass, the issuer and
its keys happens elsewhere (through ``wallet.http``); this module judges what was fetched. Every
parser raises ``FieldsError`` (an ``Invalid``) naming each field that is missing or malformed.
"""

from __future__ import annotations

import datetime as dt
import re
import typing as t
from dataclasses import dataclass

from wallet.badges import recipients
from wallet.badges.fields import FieldsError
from wallet.badges.fields import Problem
from wallet.badges.fields import Reader
from wallet.badges.fields import parse_timestamp
from wallet.badges.ob2_issuer import Alignment
from wallet.badges.ob2_issuer import BadgeClass
from wallet.badges.ob2_issuer import CryptographicKey
from wallet.badges.ob2_issuer import Issuer
from wallet.badges.ob2_issuer import RevocationListError
from wallet.badges.ob2_issuer import VerificationPolicy
from wallet.badges.ob2_issuer import hosted_in_scope
from wallet.badges.ob2_issuer import is_revoked
from wallet.badges.ob2_issuer import parse_badge_class
from wallet.badges.ob2_issuer import parse_issuer
from wallet.badges.ob2_issuer import parse_key
from wallet.badges.ob2_jws import SignatureError
from wallet.badges.ob2_jws import verify_signed_assertion
from wallet.messages import N_

__all__ = [
    "Alignment",
    "Assertion",
    "BadgeClass",
    "CryptographicKey",
    "FieldsError",
    "Issuer",
    "Problem",
    "Recipient",
    "RevocationListError",
    "SignatureError",
    "Verification",
    "VerificationPolicy",
    "hosted_in_scope",
    "is_revoked",
    "keys_to_try",
    "parse",
    "parse_assertion",
    "parse_badge_class",
    "parse_issuer",
    "parse_key",
    "parse_recipient",
    "parse_timestamp",
    "recipient_matches",
    "revocation_status",
    "verify_signed_assertion",
]

_OB_CONTEXT = re.compile(
    r"^https?://(w3id\.org/openbadges|openbadgespec\.org)/v(?P<version>[12])"
    r"(/|/context\.json)?$"
)
Version = t.Literal["0.5", "1.0", "1.1", "2.0"]


@dataclass(frozen=True)
class Recipient:
    """Who an assertion was awarded to (an IdentityObject, or 0.5's recipient string)."""

    type: str
    identity: str
    hashed: bool
    salt: str = ""


@dataclass(frozen=True)
class Verification:
    """How an assertion is verified."""

    #: ``hosted`` (fetch it from its id) or ``signed`` (a JWS by the issuer's key).
    type: str
    #: Signed: the URL of the CryptographicKey that signed it.
    creator: str | None = None
    #: 1.0: the hosted assertion's URL (hosted) or the public key's URL (signed).
    url: str | None = None


@dataclass(frozen=True)
class Assertion:
    """An award of a badge to a recipient (1.x and 0.5 read into the 2.0 shape)."""

    id: str
    recipient: Recipient
    #: The BadgeClass: its URL, or the embedded object.
    badge: str | BadgeClass
    verification: Verification
    #: When ``revoked`` is true and the issuer stripped the assertion, this is the epoch.
    issued_on: dt.datetime
    version: Version = "2.0"
    expires: dt.datetime | None = None
    revoked: bool = False
    revocation_reason: str | None = None
    #: Legacy 1.0 ``uid``, which revocation lists of that era name.
    uid: str | None = None
    image: str | None = None
    narrative: str | None = None
    evidence: tuple[str, ...] = ()

    @property
    def verification_type(self) -> str:
        """Return ``hosted`` or ``signed``."""
        return self.verification.type

    @property
    def creator(self) -> str | None:
        """Return the signing key's URL named by a signed assertion."""
        return self.verification.creator

    @property
    def badge_id(self) -> str:
        """Return the BadgeClass's id, embedded or not."""
        return self.badge if isinstance(self.badge, str) else self.badge.id


def _version(document: dict[str, t.Any], reader: Reader) -> Version:
    if isinstance(document.get("recipient"), str):
        return "0.5"
    context = document.get("@context")
    if context is None:
        return "1.0"
    found: set[str] = set()
    for item in context if isinstance(context, list) else [context]:
        if isinstance(item, dict):
            found.add("2")  # an inline copy of the context (the vectors' assets use one)
        elif isinstance(item, str) and (match := _OB_CONTEXT.match(item.strip())):
            found.add(match["version"])
    if not found:
        reader.problem("@context", N_("it does not name the Open Badges context"))
        return "2.0"
    return "2.0" if "2" in found else "1.1"


def parse_recipient(value: t.Any, legacy_salt: t.Any = None) -> Recipient:
    """Read an IdentityObject (2.0/1.x) or a 0.5 recipient string."""
    reader = Reader({"recipient": value}, "badge")
    recipient = _recipient(reader, value, legacy_salt)
    reader.raise_if_any()
    if recipient is None:
        raise FieldsError("badge", [Problem("recipient", N_("it is missing"), missing=True)])
    return recipient


def _recipient(reader: Reader, value: t.Any, legacy_salt: t.Any = None) -> Recipient | None:
    if isinstance(value, str) and value.strip():
        # 0.5: a plain e-mail address, or a hash with the salt beside it.
        salt = legacy_salt if isinstance(legacy_salt, str) else ""
        hashed = bool(recipients.HASHED.match(value.strip()))
        return Recipient(type="email", identity=value.strip(), hashed=hashed, salt=salt)
    if not isinstance(value, dict):
        reader.problem(
            "recipient", N_("it does not say who the badge was awarded to"), missing=not value
        )
        return None
    identity = value.get("identity")
    if not isinstance(identity, str) or not identity.strip():
        reader.problem("recipient.identity", N_("it is missing"), missing=True)
        return None
    identity = identity.strip()
    declared = value.get("hashed")
    # Some 1.0 issuers wrote "true" as a string; a value shaped like a hash is one either way.
    hashed = declared is True or str(declared).lower() == "true"
    looks_hashed = bool(recipients.HASHED.match(identity))
    if hashed and not looks_hashed:
        reader.problem(
            "recipient.identity", N_("it is marked hashed but is not a sha256$ or md5$ hash")
        )
    salt = value.get("salt", "")
    if salt is None:
        salt = ""
    if not isinstance(salt, str):
        reader.problem("recipient.salt", N_("it is not text"))
        salt = ""
    kind = value.get("type", "email")
    return Recipient(
        type=kind if isinstance(kind, str) and kind else "email",
        identity=identity,
        hashed=hashed or looks_hashed,
        salt=salt,
    )


def recipient_matches(recipient: Recipient, identifiers: t.Iterable[str]) -> bool:
    """Say whether the badge was awarded to any of ``identifiers`` (emails, URLs, phones)."""
    return recipients.identity_matches(
        recipient.identity,
        list(identifiers),
        hashed=recipient.hashed,
        salt=recipient.salt,
        identity_type=recipient.type.rsplit(":", 1)[-1],
    )


def _verification(reader: Reader, value: t.Any) -> Verification | None:
    if not isinstance(value, dict):
        reader.problem("verification", N_("it must be an object naming hosted or signed"))
        return None
    kind = str(value.get("type", "")).lower()
    kind = {"hostedbadge": "hosted", "signedbadge": "signed"}.get(kind, kind)
    if kind not in ("hosted", "signed"):
        reader.problem("verification.type", N_("it must be hosted or signed"))
        return None
    sub = Reader(value, "verification", parent=reader)
    return Verification(type=kind, creator=sub.optional_iri("creator"), url=sub.optional_iri("url"))


def parse(document: t.Any) -> Assertion:
    """Read an OB 2.0/1.x/0.5 assertion from any JSON value; ``FieldsError`` says what is wrong."""
    return parse_assertion(document)


def parse_assertion(document: t.Any, *, source_url: str | None = None) -> Assertion:
    """Check the required fields of an OB 2.0/1.x/0.5 assertion and return them typed.

    :param source_url: where the document was fetched from; 0.5 assertions have no id but that.
    """
    if not isinstance(document, dict):
        raise FieldsError("badge", [Problem("", N_("it is not a JSON object"))])
    reader = Reader(document, "badge")
    if document.get("revoked") is True and reader.optional_iri("id"):
        try:
            return _assertion(document, source_url)
        except FieldsError:
            # A revoked hosted assertion may be stripped down to its id and the reason.
            return Assertion(
                id=document["id"].strip(),
                recipient=Recipient(type="email", identity="", hashed=False),
                badge="",
                verification=Verification(type="hosted"),
                issued_on=dt.datetime.fromtimestamp(0, dt.UTC),
                revoked=True,
                revocation_reason=reader.optional_text("revocationReason"),
            )
    return _assertion(document, source_url)


def _assertion(document: dict[str, t.Any], source_url: str | None) -> Assertion:
    reader = Reader(document, "badge")
    version = _version(document, reader)
    if version in ("1.1", "2.0") and "Assertion" not in reader.types():
        reader.problem("type", N_("it must be Assertion"))
    recipient = _recipient(reader, document.get("recipient"), document.get("salt"))
    verify_value = document.get("verification", document.get("verify"))
    if version == "0.5" and verify_value is None:
        verification: Verification | None = Verification(type="hosted", url=source_url)
    elif verify_value is None:
        reader.problem("verification", N_("it is missing"), missing=True)
        verification = None
    else:
        verification = _verification(reader, verify_value)
    issued = reader.timestamp("issuedOn", "issued_on", required=version != "0.5")
    expires = reader.timestamp("expires")
    badge = _badge(reader, document.get("badge"), legacy=version in ("0.5", "1.0"))
    assertion_id = reader.optional_iri("id")
    uid = reader.optional_text("uid")
    if assertion_id is None and verification is not None:
        # 1.0: a hosted assertion's id is where it lives; a signed one's is its uid. 0.5: where
        # it was fetched from.
        if verification.type == "hosted" and verification.url:
            assertion_id = verification.url
        elif uid:
            assertion_id = f"uid:{uid}"
    if assertion_id is None:
        reader.problem("id", N_("it is missing"), missing=True)
    if issued and expires and expires < issued:
        reader.problem("expires", N_("it is before the badge was issued"))
    evidence = document.get("evidence", [])
    reader.raise_if_any()
    if recipient is None or verification is None or badge is None or assertion_id is None:
        raise FieldsError(
            "badge", [Problem("", N_("it cannot be read"))]
        )  # every None is a problem
    return Assertion(
        id=assertion_id,
        recipient=recipient,
        badge=badge,
        verification=verification,
        issued_on=issued or dt.datetime.fromtimestamp(0, dt.UTC),
        version=version,
        expires=expires,
        revoked=document.get("revoked") is True,
        revocation_reason=reader.optional_text("revocationReason"),
        uid=uid,
        image=reader.optional_iri("image"),
        narrative=reader.optional_text("narrative"),
        evidence=tuple(
            item
            for item in (
                Reader.iri(e) for e in (evidence if isinstance(evidence, list) else [evidence])
            )
            if item
        ),
    )


def _badge(reader: Reader, value: t.Any, *, legacy: bool) -> str | BadgeClass | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, dict):
        try:
            return parse_badge_class(value, legacy=legacy)
        except FieldsError as error:
            for problem in error.problems:
                reader.problem(
                    f"badge.{problem.field}".rstrip("."), problem.message, missing=problem.missing
                )
            return None
    reader.problem("badge", N_("it is missing"), missing=not value)
    return None


def keys_to_try(assertion: Assertion, issuer: Issuer) -> list[str]:
    """Return the key URLs a signed assertion may be checked with: only keys the issuer lists."""
    if assertion.creator:
        return [assertion.creator] if assertion.creator in issuer.public_keys else []
    return list(issuer.public_keys)


def revocation_status(assertion: Assertion, revocation_list: t.Any) -> tuple[bool, str | None]:
    """Return whether ``revocation_list`` revokes ``assertion``, and the reason given."""
    return is_revoked(assertion.id, revocation_list, uid=assertion.uid)
