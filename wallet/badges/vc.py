"""Verify Open Badges 3.0 and CLR 2.0 credentials (embedded proofs or VC-JWT), check by check.

The signing key must belong to the issuer: resolved from did:key, a did:web document, the
issuer's key document, or its JWKS. A key found only inside the credential is never enough.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from urllib.parse import unquote
from urllib.parse import urlsplit

import base58

from wallet.badges import checks
from wallet.badges import keys
from wallet.badges import ob2
from wallet.badges import proofs
from wallet.badges import status
from wallet.badges import vcjwt
from wallet.badges.report import Report
from wallet.errors import Invalid
from wallet.http import FetchError
from wallet.messages import N_
from wallet.messages import Message

if t.TYPE_CHECKING:
    from wallet.badges.checks import Fetch
    from wallet.badges.formats import Detected

VC_CONTEXTS = ("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1")


def issuer_id(credential: dict[str, t.Any]) -> str:
    """Return the issuer's id (the issuer may be a string or an object)."""
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else ""


def _did_web_url(did: str) -> str:
    parts = [unquote(part) for part in did[len("did:web:") :].split(":")]
    if len(parts) == 1:
        return f"https://{parts[0]}/.well-known/did.json"
    return "https://" + "/".join(parts) + "/did.json"


def resolve_method(method_id: str, fetch: Fetch) -> tuple[dict[str, t.Any], str]:
    """Return the verification method ``method_id`` names and the controller it belongs to."""
    if method_id.startswith("did:key:"):
        did = method_id.split("#")[0]
        raw = keys.did_key_ed25519(method_id)
        return {"publicKeyMultibase": "z" + _b58(keys.ED25519_PREFIX + raw)}, did
    if method_id.startswith("did:web:"):
        document = checks.fetch_json(fetch, _did_web_url(method_id.split("#")[0]))
    elif method_id.startswith(("https://", "http://")):
        # A key document at the issuer's URL; plain http only as the hosted OB 2.0 documents
        # may be (development, old issuers), still through the SSRF guard.
        document = checks.fetch_json(fetch, method_id.split("#")[0])
    else:
        raise keys.KeyProblem(N_("The credential names its key in a way we cannot look up."))
    method = keys.find_method(document, method_id)
    controller = method.get("controller") or document.get("id")
    return method, str(controller or "")


def _b58(raw: bytes) -> str:
    return base58.b58encode(raw).decode()


def _structure(credential: dict[str, t.Any], report: Report) -> bool:
    contexts = credential.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    types = credential.get("type", [])
    missing = [
        name
        for name, ok in (
            ("@context", first in VC_CONTEXTS),
            ("type", isinstance(types, list) and "VerifiableCredential" in types),
            ("issuer", bool(issuer_id(credential))),
            ("credentialSubject", isinstance(credential.get("credentialSubject"), dict)),
        )
        if not ok
    ]
    if missing:
        report.add(
            "format",
            "fail",
            Message(
                N_("The credential lacks required fields: %(fields)s."), fields=", ".join(missing)
            ),
        )
        return False
    report.add(
        "format", "pass", N_("The credential has the fields a verifiable credential requires.")
    )
    return True


def _summary(credential: dict[str, t.Any]) -> dict[str, t.Any]:
    issuer = credential.get("issuer")
    subject = credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    achievement = achievement if isinstance(achievement, dict) else {}
    return {
        "id": credential.get("id"),
        "issuer": {
            "id": issuer_id(credential),
            "name": issuer.get("name") if isinstance(issuer, dict) else None,
        },
        "achievement": {
            "id": achievement.get("id"),
            "name": achievement.get("name") or credential.get("name"),
            "type": achievement.get("achievementType"),
        },
        "issued": credential.get("validFrom") or credential.get("issuanceDate"),
        "expires": credential.get("validUntil") or credential.get("expirationDate"),
        "recipient": _recipient_label(subject),
    }


def _recipient_label(subject: t.Any) -> str | None:
    if not isinstance(subject, dict):
        return None
    identifiers = subject.get("identifier", [])
    for item in identifiers if isinstance(identifiers, list) else [identifiers]:
        if isinstance(item, dict) and isinstance(item.get("identityHash"), str):
            return str(item["identityHash"])
    value = subject.get("id")
    return value if isinstance(value, str) else None


def _recipient(subject: t.Any) -> ob2.Recipient | None:
    if not isinstance(subject, dict):
        return None
    identifiers = subject.get("identifier", [])
    for item in identifiers if isinstance(identifiers, list) else [identifiers]:
        if isinstance(item, dict) and isinstance(item.get("identityHash"), str):
            try:
                return ob2.parse_recipient(
                    {
                        "type": item.get("identityType", "emailAddress"),
                        "identity": item["identityHash"],
                        "hashed": item.get("hashed", True) is not False,
                        "salt": item.get("salt", ""),
                    }
                )
            except Invalid:
                return None
    return None


def verify_credential(
    detected: Detected,
    fetch: Fetch,
    recipients: t.Sequence[str],
    now: dt.datetime,
    report: Report,
) -> None:
    """Run every check on an OB 3.0 / CLR 2.0 credential and add them to ``report``."""
    if detected.format == "vc-jwt":
        credential = _check_jwt(detected, fetch, report)
        if credential is None:
            return
    else:
        credential = detected.document
    report.credential = _summary(credential)
    report.documents = {"credential": credential}
    if not _structure(credential, report):
        return
    if detected.format != "vc-jwt":
        _check_embedded_proofs(credential, fetch, report)
    _check_status(credential, fetch, report)
    checks.check_dates(
        _date(credential, "validFrom", "issuanceDate"),
        _date(credential, "validUntil", "expirationDate"),
        now,
        report,
    )
    checks.check_recipient(_recipient(credential.get("credentialSubject")), recipients, report)
    _check_endorsements(credential, fetch, now, report)


def _date(credential: dict[str, t.Any], *names: str) -> dt.datetime | None:
    for name in names:
        if credential.get(name):
            try:
                return ob2.parse_timestamp(credential[name], "validity")
            except Invalid:
                return None
    return None


def _check_embedded_proofs(credential: dict[str, t.Any], fetch: Fetch, report: Report) -> None:
    found = proofs.proofs_of(credential)
    if not found:
        report.add(
            "signature",
            "fail",
            N_("The credential is not signed, so anyone could have written it."),
        )
        return
    issuer = issuer_id(credential)
    for proof in found:
        method_id = str(proof.get("verificationMethod", ""))
        try:
            method, controller = resolve_method(method_id, fetch)
            public_key = keys.key_from_method(method)
        except FetchError as error:
            report.could_not(
                "key",
                Message(
                    N_("The issuer's key could not be fetched: %(error)s"), error=error.message
                ),
            )
            continue
        except Invalid as error:
            report.add("key", "fail", error.message)
            continue
        if controller == issuer:
            report.add("key", "pass", N_("The signing key belongs to the issuer."))
        else:
            report.add(
                "key",
                "fail",
                N_("The signing key does not belong to the issuer named in the credential."),
            )
        result = proofs.verify_proof(credential, proof, public_key)
        if result.valid:
            report.add(
                "signature",
                "pass",
                Message(
                    N_("The signature (%(suite)s) matches: nothing was changed."),
                    suite=result.suite,
                ),
            )
        elif "cannot read" in result.reason:
            report.could_not("signature", result.reason)
        else:
            report.add("signature", "fail", result.reason)


def _check_jwt(detected: Detected, fetch: Fetch, report: Report) -> dict[str, t.Any] | None:
    kid = detected.header.get("kid")
    issuer_key: dict[str, t.Any] | None = None
    linked: bool | None = False
    if isinstance(kid, str):
        try:
            method, _controller = resolve_method(kid, fetch)
        except FetchError as error:
            report.could_not(
                "key",
                Message(
                    N_("The issuer's key could not be fetched: %(error)s"), error=error.message
                ),
            )
            return None
        except Invalid as error:
            report.add("key", "fail", error.message)
            return None
        jwk = method.get("publicKeyJwk")
        issuer_key = jwk if isinstance(jwk, dict) else None
        linked = issuer_key is not None
    try:
        verified = vcjwt.verify(detected.text, issuer_key)
    except Invalid as error:
        report.add("signature", "fail", error.message)
        return None
    report.add(
        "signature",
        "pass",
        Message(
            N_("The signature (%(suite)s) matches: nothing was changed."),
            suite=str(verified.header.get("alg")),
        ),
    )
    if verified.key_source == "embedded":
        linked = _in_issuer_jwks(
            verified.header.get("jwk", {}), issuer_id(verified.credential), fetch, report
        )
        if linked is None:
            return verified.credential
    if linked:
        report.add("key", "pass", N_("The signing key is one the issuer publishes."))
    else:
        report.add(
            "key",
            "fail",
            N_("The signing key is only inside the credential; the issuer does not publish it."),
        )
    if verified.mismatches:
        report.add(
            "format",
            "warn",
            Message(
                N_("The token's claims disagree with the credential: %(claims)s"),
                claims=", ".join(verified.mismatches),
            ),
        )
    return verified.credential


def _in_issuer_jwks(
    jwk: dict[str, t.Any], issuer: str, fetch: Fetch, report: Report
) -> bool | None:
    parts = urlsplit(issuer)
    if parts.scheme != "https" or not parts.hostname:
        return False
    try:
        document = checks.fetch_json(fetch, f"https://{parts.netloc}/.well-known/jwks.json")
    except FetchError as error:
        report.could_not(
            "key",
            Message(
                N_("The issuer's published keys could not be fetched: %(error)s"),
                error=error.message,
            ),
        )
        return None
    except Invalid:
        return False
    fields = ("kty", "crv", "n", "e", "x", "y")
    wanted = {name: jwk.get(name) for name in fields}
    listed = document.get("keys", [])
    return any(
        isinstance(key, dict) and {name: key.get(name) for name in fields} == wanted
        for key in (listed if isinstance(listed, list) else [])
    )


def _check_status(credential: dict[str, t.Any], fetch: Fetch, report: Report) -> None:
    try:
        entries = status.entries_of(credential)
    except Invalid as error:
        report.add("revocation", "fail", error.message)
        return
    if not entries:
        report.add(
            "revocation", "pass", N_("The issuer publishes no revocation list for this credential.")
        )
        return
    for entry in entries:
        try:
            listed = checks.fetch_json(fetch, entry.list_url)
            if entry.type == "1EdTechRevocationList":
                reason = status.check_revocation_list(str(credential.get("id", "")), listed)
                flagged = reason is not None
            else:
                flagged = status.check_bitstring(entry, listed) != 0
                reason = None
        except FetchError as error:
            report.could_not(
                "revocation",
                Message(
                    N_("The issuer's status list could not be fetched: %(error)s"),
                    error=error.message,
                ),
            )
            continue
        except Invalid as error:
            report.could_not("revocation", error.message)
            continue
        if flagged:
            report.add("revocation", "fail", _flagged(entry.purpose, reason))
        else:
            report.add(
                "revocation",
                "pass",
                N_("The issuer's status list shows the credential in good standing."),
            )


def _flagged(purpose: str, reason: str | None) -> Message:
    """Say that the issuer revoked or suspended the credential, with its reason if it gave one."""
    if purpose == "suspension":
        if reason:
            return Message(
                N_("The issuer has suspended this credential. %(reason)s"), reason=reason
            )
        return Message(N_("The issuer has suspended this credential."))
    if reason:
        return Message(N_("The issuer has revoked this credential. %(reason)s"), reason=reason)
    return Message(N_("The issuer has revoked this credential."))


def _check_endorsements(
    credential: dict[str, t.Any], fetch: Fetch, now: dt.datetime, report: Report
) -> None:
    endorsements = credential.get("endorsement", [])
    if not isinstance(endorsements, list) or not endorsements:
        return
    good = 0
    for endorsement in endorsements:
        if not isinstance(endorsement, dict):
            continue
        inner = Report(format="ob3-endorsement", checked_at=now)
        _check_embedded_proofs(endorsement, fetch, inner)
        good += inner.status == "valid"
    # Endorsements add trust when they check out; they never make the credential invalid.
    report.add(
        "endorsements",
        "pass" if good == len(endorsements) else "warn",
        Message(
            N_("%(good)s of %(total)s endorsements check out."), good=good, total=len(endorsements)
        ),
    )
