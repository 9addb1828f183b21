"""What an Open Badges 2.0 (and 1.x) issuer publishes: BadgeClasses, its Profile, keys, revocations.

Pure: no Flask, no database, no network. The documents are fetched elsewhere; each parser raises
``FieldsError`` naming every field that is missing or malformed.
"""

from __future__ import annotations

import typing as t
import urllib.parse
from dataclasses import dataclass

from wallet.badges.fields import FieldsError
from wallet.badges.fields import Problem
from wallet.badges.fields import Reader
from wallet.badges.formats import parse_json
from wallet.errors import Invalid
from wallet.messages import N_
from wallet.messages import Message


@dataclass(frozen=True)
class VerificationPolicy:
    """An issuer's rule for where its hosted assertions may live."""

    starts_with: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()


@dataclass(frozen=True)
class Issuer:
    """An issuer Profile."""

    id: str
    name: str
    url: str | None = None
    email: str | None = None
    telephone: str | None = None
    description: str | None = None
    image: str | None = None
    #: URLs of the issuer's CryptographicKeys.
    public_keys: tuple[str, ...] = ()
    revocation_list: str | None = None
    verification: VerificationPolicy | None = None


@dataclass(frozen=True)
class Alignment:
    """A standard or framework a badge aligns to."""

    target_name: str
    target_url: str
    target_description: str | None = None
    target_framework: str | None = None
    target_code: str | None = None


@dataclass(frozen=True)
class BadgeClass:
    """What a badge is for."""

    id: str
    name: str
    description: str
    image: str
    #: The criteria page's URL, when it has one.
    criteria: str | None
    #: The issuer: its URL, or the embedded Profile.
    issuer: str | Issuer
    criteria_narrative: str | None = None
    alignment: tuple[Alignment, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def issuer_id(self) -> str:
        """Return the issuer's id, embedded or not."""
        return self.issuer if isinstance(self.issuer, str) else self.issuer.id


@dataclass(frozen=True)
class CryptographicKey:
    """An issuer's public key document."""

    id: str | None
    owner: str | None
    public_key_pem: str


def parse_badge_class(document: t.Any, *, legacy: bool = False) -> BadgeClass:
    """Check the required fields of a BadgeClass and return them typed.

    :param legacy: a 1.0/0.5 badge, which had no ``id`` or ``type`` of its own.
    """
    if not isinstance(document, dict):
        raise FieldsError("badge description", [Problem("", N_("it is not a JSON object"))])
    reader = Reader(document, "badge description")
    if not legacy and "BadgeClass" not in reader.types():
        reader.problem("type", N_("it must be BadgeClass"))
    badge_id = reader.optional_iri("id") or ("" if legacy else reader.required_iri("id"))
    criteria_value = document.get("criteria")
    criteria = Reader.iri(criteria_value)
    narrative = (
        Reader(criteria_value, "criteria").optional_text("narrative")
        if isinstance(criteria_value, dict)
        else None
    )
    if criteria is None and narrative is None:
        reader.problem("criteria", N_("it is missing"), missing=True)
    issuer_value = document.get("issuer")
    issuer: str | Issuer | None = (
        Reader.iri(issuer_value) if isinstance(issuer_value, str) else None
    )
    if isinstance(issuer_value, dict):
        try:
            issuer = parse_issuer(issuer_value, legacy=legacy)
        except FieldsError as error:
            for problem in error.problems:
                reader.problem(
                    f"issuer.{problem.field}".rstrip("."), problem.message, missing=problem.missing
                )
    elif issuer is None:
        reader.problem("issuer", N_("it is missing"), missing=True)
    name = reader.required_text("name")
    description = reader.required_text("description")
    image = reader.required_iri("image")
    alignment = tuple(_alignments(reader, document.get("alignment", [])))
    tags = document.get("tags", [])
    reader.raise_if_any()
    if issuer is None:
        raise FieldsError(
            "badge description", [Problem("issuer", N_("it is missing"), missing=True)]
        )
    return BadgeClass(
        id=badge_id,
        name=name,
        description=description,
        image=image,
        criteria=criteria,
        issuer=issuer,
        criteria_narrative=narrative,
        alignment=alignment,
        tags=tuple(
            tag for tag in (tags if isinstance(tags, list) else [tags]) if isinstance(tag, str)
        ),
    )


def _alignments(reader: Reader, value: t.Any) -> t.Iterator[Alignment]:
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        if not isinstance(item, dict):
            reader.problem(f"alignment[{index}]", N_("it is not an object"))
            continue
        sub = Reader(item, "alignment", parent=reader, prefix=f"alignment[{index}].")
        # 1.1 named these url/name/description; 2.0 renamed them target*.
        name = sub.optional_text("targetName") or sub.optional_text("name")
        url = sub.optional_iri("targetUrl") or sub.optional_iri("url")
        if not name or not url:
            reader.problem(f"alignment[{index}]", N_("it needs a targetName and a targetUrl"))
            continue
        yield Alignment(
            target_name=name,
            target_url=url,
            target_description=sub.optional_text("targetDescription")
            or sub.optional_text("description"),
            target_framework=sub.optional_text("targetFramework"),
            target_code=sub.optional_text("targetCode"),
        )


def parse_issuer(document: t.Any, *, legacy: bool = False) -> Issuer:
    """Check the required fields of an issuer Profile and return them typed.

    :param legacy: a 1.0/0.5 IssuerOrganization (``origin``, ``contact``; no ``id`` or ``type``).
    """
    if not isinstance(document, dict):
        raise FieldsError("issuer", [Problem("", N_("it is not a JSON object"))])
    reader = Reader(document, "issuer")
    if legacy:
        issuer_id = reader.optional_iri("id") or reader.optional_iri("origin") or ""
        url = reader.optional_iri("url") or reader.optional_iri("origin")
        email = reader.optional_text("email") or reader.optional_text("contact")
    else:
        if not reader.types() & {"Issuer", "Profile"}:
            reader.problem("type", N_("it must be Issuer or Profile"))
        issuer_id = reader.required_iri("id")
        url = reader.required_iri("url")
        email = reader.required_text("email")
    name = reader.required_text("name")
    policy = document.get("verification")
    reader.raise_if_any()
    return Issuer(
        id=issuer_id,
        name=name,
        url=url,
        email=email,
        telephone=reader.optional_text("telephone"),
        description=reader.optional_text("description"),
        image=reader.optional_iri("image"),
        public_keys=reader.iris("publicKey"),
        revocation_list=reader.optional_iri("revocationList"),
        verification=VerificationPolicy(
            starts_with=Reader(policy, "verification").iris("startsWith"),
            allowed_origins=Reader(policy, "verification").iris("allowedOrigins"),
        )
        if isinstance(policy, dict)
        else None,
    )


def parse_key(document: t.Any) -> CryptographicKey:
    """Read a CryptographicKey document (its PEM is checked when a signature is verified)."""
    if not isinstance(document, dict):
        raise FieldsError("issuer key", [Problem("", N_("it is not a JSON object"))])
    reader = Reader(document, "issuer key")
    pem = reader.required_text("publicKeyPem")
    reader.raise_if_any()
    return CryptographicKey(
        id=reader.optional_iri("id"), owner=reader.optional_iri("owner"), public_key_pem=pem
    )


def hosted_in_scope(assertion_id: str, issuer: Issuer) -> bool | None:
    """Say whether a hosted assertion's URL is where its issuer allows; ``None`` if untestable.

    The default policy is the issuer id's own host; ``startsWith`` and ``allowedOrigins`` replace
    it. An issuer whose id is not an HTTP URL and that states no policy cannot be checked.
    """
    try:
        host = urllib.parse.urlsplit(assertion_id).netloc.lower()
        issuer_parts = urllib.parse.urlsplit(issuer.id)
    except ValueError:
        return False
    policy = issuer.verification or VerificationPolicy()
    if policy.starts_with:
        return any(assertion_id.startswith(prefix) for prefix in policy.starts_with)
    if policy.allowed_origins:
        return host in {origin.lower() for origin in policy.allowed_origins}
    if issuer_parts.scheme not in ("http", "https"):
        return None
    return host == issuer_parts.netloc.lower()


class RevocationListError(Invalid):
    """The issuer's revocation list cannot be read, so revocation cannot be ruled out."""


def is_revoked(
    assertion_id: str, revocation_list: t.Any, *, uid: str | None = None
) -> tuple[bool, str | None]:
    """Return whether an OB 2.0 RevocationList (or 1.0's ``{uid: reason}``) revokes the assertion.

    :param revocation_list: the list as parsed JSON, or its text.
    :raises RevocationListError: the list is not one; never read as "not revoked".
    """
    if isinstance(revocation_list, str | bytes):
        try:
            revocation_list = parse_json(revocation_list)
        except Invalid as error:
            raise RevocationListError(
                Message(
                    N_("The issuer's revocation list is unreadable: %(error)s"), error=error.message
                )
            ) from error
    if not isinstance(revocation_list, dict):
        raise RevocationListError(N_("The issuer's revocation list is not a JSON object."))
    wanted = {assertion_id.strip()} | ({uid.strip()} if uid else set())
    if "revokedAssertions" not in revocation_list:
        # 1.0 lists map uids to reasons.
        if revocation_list.get("type") == "RevocationList":
            raise RevocationListError(N_("The issuer's revocation list has no revokedAssertions."))
        for key in wanted & set(revocation_list):
            reason = revocation_list[key]
            return True, reason if isinstance(reason, str) else None
        return False, None
    entries = revocation_list["revokedAssertions"]
    # A one-entry list may arrive as a bare string or object (JSON-LD compaction does this).
    for entry in entries if isinstance(entries, list) else [entries]:
        if isinstance(entry, str) and entry.strip() in wanted:
            return True, None
        if (
            isinstance(entry, dict)
            and {str(entry.get(name, "")).strip() for name in ("id", "uid")} & wanted
        ):
            reason = entry.get("revocationReason")
            return True, reason if isinstance(reason, str) else None
    return False, None
