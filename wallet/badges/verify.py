"""Verify any badge an earner brings and explain every check. The same code serves the web and
``wallet verify``.

Network access is only through the ``fetch`` callable the caller passes (``wallet.http`` or its
Redis cache), so this module stays testable without the internet and never fetches on its own.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from wallet.badges import baking
from wallet.badges import checks
from wallet.badges import formats
from wallet.badges import ob2
from wallet.badges import vc
from wallet.badges.report import Report
from wallet.errors import Invalid
from wallet.http import FetchError
from wallet.http import HTTPStatusError
from wallet.messages import N_
from wallet.messages import Message

if t.TYPE_CHECKING:
    from wallet.badges.checks import Fetch


def verify(
    data: bytes | str,
    *,
    fetch: Fetch,
    recipients: t.Sequence[str] = (),
    now: dt.datetime | None = None,
) -> Report:
    """Verify a credential given as image bytes, pasted text (JSON, JWS, JWT) or a URL."""
    now = now or dt.datetime.now(dt.UTC)
    report = Report(format="unknown", checked_at=now)
    source_url: str | None = None
    try:
        detected = detect_any(data)
        if detected.format == "url":
            source_url = detected.text
            detected = formats.detect(fetch(source_url, accept=checks.TEXT_TYPES).content)
    except Invalid as error:
        report.add("format", "fail", error.message)
        return report
    except FetchError as error:
        report.could_not(
            "hosted",
            Message(N_("The badge's address could not be fetched: %(error)s"), error=error.message),
        )
        return report
    report.format = detected.format
    if detected.format in formats.NOT_AN_AWARD:
        report.add("format", "fail", formats.NOT_AN_AWARD[detected.format])
    elif detected.format in ("ob2-assertion", "ob1-assertion", "ob05-assertion", "ob2-signed"):
        _verify_ob2(detected, fetch, recipients, now, report, source_url)
    elif detected.format in ("ob3-credential", "clr-credential", "vc-jwt"):
        vc.verify_credential(detected, fetch, recipients, now, report)
    else:
        report.add("format", "fail", N_("This is not a single badge we can verify."))
    return report


def detect_any(data: bytes | str) -> formats.Detected:
    """Recognise ``data``, reading a baked image's credential when it is an image."""
    detected = formats.detect(data)
    if detected.format in ("png", "svg"):
        raw = data if isinstance(data, bytes) else data.encode()
        return formats.detect(baking.extract(raw).text)
    return detected


def _resolve(fetch: Fetch, value: t.Any) -> dict[str, t.Any]:
    """Return an embedded object, or fetch it when given by URL."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return checks.fetch_json(fetch, value)
    raise Invalid(N_("A linked document (badge or issuer) is neither embedded nor a web address."))


def _issuer_profile(issuer: dict[str, t.Any]) -> ob2.Issuer:
    """Read what the scope and key checks need from an issuer document, leniently.

    The legacy reading accepts 0.5/1.0 issuers (``origin``) and profiles without url or email;
    a missing name is only a warning (the issuer check), so it does not stop the reading.
    """
    try:
        return ob2.parse_issuer(issuer, legacy=True)
    except Invalid:
        return ob2.parse_issuer({**issuer, "name": "-"}, legacy=True)


def _verify_ob2(
    detected: formats.Detected,
    fetch: Fetch,
    recipients: t.Sequence[str],
    now: dt.datetime,
    report: Report,
    source_url: str | None = None,
) -> None:
    document = detected.document
    try:
        # 0.5 assertions carry no id: where they were fetched from is their id.
        assertion = ob2.parse_assertion(document, source_url=source_url)
    except Invalid as error:
        report.add("format", "fail", error.message)
        return
    report.add("format", "pass", N_("The badge has every field Open Badges 2.0 requires."))
    if assertion.verification_type == "hosted" and detected.format != "ob2-signed":
        try:
            hosted = checks.fetch_json(fetch, assertion.id)
        except HTTPStatusError as error:
            if error.status == 410:
                report.add("revocation", "fail", N_("The issuer has revoked this badge."))
                return
            report.could_not(
                "hosted",
                Message(
                    N_("The issuer's copy could not be fetched (%(status)s)."), status=error.status
                ),
            )
            return
        except (FetchError, Invalid) as error:
            report.could_not(
                "hosted",
                Message(
                    N_("The issuer's copy could not be fetched: %(error)s"), error=error.message
                ),
            )
            return
        if hosted.get("revoked") is True:
            report.add("revocation", "fail", _revoked(hosted.get("revocationReason")))
            return
        try:
            assertion = ob2.parse_assertion(hosted, source_url=assertion.id)
            document = hosted
        except Invalid as error:
            report.add(
                "hosted",
                "fail",
                Message(
                    N_("The issuer's copy of the badge is malformed: %(error)s"),
                    error=error.message,
                ),
            )
            return
        report.add("hosted", "pass", N_("The issuer's own copy was fetched from its address."))
    try:
        # The raw document, not the typed one: an embedded BadgeClass is read as it was sent.
        badge = _resolve(fetch, document.get("badge"))
        issuer = _resolve(fetch, badge.get("issuer"))
    except FetchError as error:
        report.could_not(
            "issuer",
            Message(
                N_("The badge's description or issuer could not be fetched: %(error)s"),
                error=error.message,
            ),
        )
        return
    except Invalid as error:
        report.add("issuer", "fail", error.message)
        return
    try:
        profile = _issuer_profile(issuer)
    except Invalid as error:
        report.add("issuer", "fail", error.message)
        return
    name = issuer.get("name")
    report.documents = {"assertion": document, "badge": badge, "issuer": issuer}
    report.credential = {
        "id": assertion.id,
        "issuer": {"id": issuer.get("id"), "name": name},
        "achievement": {"id": badge.get("id"), "name": badge.get("name")},
        "issued": assertion.issued_on.isoformat(),
        "expires": assertion.expires.isoformat() if assertion.expires else None,
        "recipient": assertion.recipient.identity,
    }
    report.add(
        "issuer",
        "pass" if name else "warn",
        Message(N_("Issued by %(name)s."), name=str(name))
        if name
        else N_("The issuer gives no name."),
    )
    if detected.format == "ob2-signed":
        _check_ob2_signature(detected.text, assertion, profile, fetch, report)
    else:
        _check_scope(assertion, profile, report)
    _check_ob2_revocation(assertion, issuer, fetch, report)
    checks.check_dates(assertion.issued_on, assertion.expires, now, report)
    checks.check_recipient(assertion.recipient, recipients, report)


def _check_scope(assertion: ob2.Assertion, issuer: ob2.Issuer, report: Report) -> None:
    in_scope = ob2.hosted_in_scope(assertion.id, issuer)
    if in_scope:
        report.add("scope", "pass", N_("The badge is hosted on the issuer's own site."))
    elif in_scope is None:
        report.add(
            "scope",
            "warn",
            N_(
                "The issuer's id is not a web address and it states no policy, so where its "
                "badges may be hosted cannot be checked."
            ),
        )
    else:
        report.add("scope", "fail", N_("The badge is hosted outside the places its issuer allows."))


def _check_ob2_signature(
    token: str, assertion: ob2.Assertion, issuer: ob2.Issuer, fetch: Fetch, report: Report
) -> None:
    """Check the signature with the key it names, or each key the issuer lists if it names none."""
    candidates = ob2.keys_to_try(assertion, issuer)
    if not candidates:
        report.add(
            "key", "fail", N_("The key that signed the badge is not one its issuer publishes.")
        )
        return
    report.add("key", "pass", N_("The signing key is listed in the issuer's profile."))
    failure: Invalid | None = None
    for url in candidates:
        try:
            key_document = checks.fetch_json(fetch, url)
            ob2.verify_signed_assertion(token, str(key_document.get("publicKeyPem", "")))
        except FetchError as error:
            report.could_not(
                "signature",
                Message(
                    N_("The issuer's key could not be fetched: %(error)s"), error=error.message
                ),
            )
            return
        except Invalid as error:
            failure = failure or error
            continue
        report.add(
            "signature", "pass", N_("The signature matches the issuer's key: nothing was changed.")
        )
        return
    assert failure is not None
    report.add("signature", "fail", failure.message)


def _check_ob2_revocation(
    assertion: ob2.Assertion, issuer: dict[str, t.Any], fetch: Fetch, report: Report
) -> None:
    url = issuer.get("revocationList")
    if assertion.revoked:
        report.add("revocation", "fail", N_("The issuer has revoked this badge."))
        return
    if not isinstance(url, str):
        report.add("revocation", "pass", N_("The issuer has not revoked this badge."))
        return
    try:
        revoked, reason = ob2.revocation_status(assertion, checks.fetch_json(fetch, url))
    except (FetchError, Invalid) as error:
        report.could_not(
            "revocation",
            Message(
                N_("The issuer's revocation list could not be read: %(error)s"), error=error.message
            ),
        )
        return
    if revoked:
        report.add("revocation", "fail", _revoked(reason))
    else:
        report.add("revocation", "pass", N_("The badge is not on the issuer's revocation list."))


def _revoked(reason: t.Any) -> Message:
    """Say that the issuer revoked the badge, with the issuer's reason (in its words) if given."""
    if isinstance(reason, str) and reason.strip():
        return Message(N_("The issuer has revoked this badge. %(reason)s"), reason=reason.strip())
    return Message(N_("The issuer has revoked this badge."))
