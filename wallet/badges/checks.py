"""Checks shared by the Open Badges 2.0 and the verifiable-credential verifiers."""

from __future__ import annotations

import datetime as dt
import typing as t

from wallet.badges import formats
from wallet.badges import ob2
from wallet.errors import Invalid
from wallet.messages import N_
from wallet.messages import Message

if t.TYPE_CHECKING:
    from wallet.badges.report import Report
    from wallet.http import Fetched

JSON_TYPES = ("application/ld+json", "application/json", "application/vc+ld+json")
TEXT_TYPES = (*JSON_TYPES, "text/plain", "application/jwt", "application/vc+jwt")


class Fetch(t.Protocol):
    """GET a URL through the SSRF guard (``HttpClient.get`` or ``CachedFetcher.get``)."""

    def __call__(self, url: str, *, accept: t.Sequence[str]) -> Fetched: ...


def fetch_json(fetch: Fetch, url: str) -> dict[str, t.Any]:
    """Fetch ``url`` and return it as a JSON object."""
    fetched = fetch(url, accept=JSON_TYPES)
    document = formats.parse_json(fetched.content)
    if not isinstance(document, dict):
        raise Invalid(N_("The issuer's document is not a JSON object."))
    return document


def check_dates(
    issued: dt.datetime | None, expires: dt.datetime | None, now: dt.datetime, report: Report
) -> None:
    """Fail a badge dated in the future or already expired."""
    if issued and issued > now + dt.timedelta(minutes=5):
        report.add(
            "validity",
            "fail",
            Message(N_("The badge is dated in the future (%(date)s)."), date=f"{issued:%Y-%m-%d}"),
        )
    elif expires and expires < now:
        report.add(
            "validity",
            "fail",
            Message(N_("The badge expired on %(date)s."), date=f"{expires:%Y-%m-%d}"),
        )
    elif expires:
        report.add(
            "validity",
            "pass",
            Message(N_("The badge is valid until %(date)s."), date=f"{expires:%Y-%m-%d}"),
        )
    else:
        report.add("validity", "pass", N_("The badge does not expire."))


def check_recipient(
    recipient: ob2.Recipient | None, recipients: t.Sequence[str], report: Report
) -> None:
    """Compare the badge's recipient with the earner's verified identifiers."""
    if not recipients:
        report.add("recipient", "skip", N_("No address to compare the recipient with was given."))
    elif recipient is None:
        report.add("recipient", "warn", N_("The badge does not say who it was awarded to."))
    elif ob2.recipient_matches(recipient, recipients):
        report.add("recipient", "pass", N_("The badge was awarded to one of your addresses."))
    else:
        report.add(
            "recipient",
            "fail",
            N_(
                "The badge was awarded to an address that is not on your account. "
                "Add and verify that address to claim it."
            ),
        )
