"""A verification report: named checks, each pass/fail/warn/skip with a message for people.

Pure, so it cannot know the reader's language: each message is a ``Message`` (English, plus its
msgid and params) and each check name is a msgid, translated when a page shows the report.

The overall status is ``valid``, ``invalid`` (something is wrong with the credential) or
``unverifiable`` (a check could not run, e.g. the issuer's site was unreachable: that is not a
forgery, and the report says so differently).
"""

from __future__ import annotations

import datetime as dt
import typing as t
from dataclasses import dataclass
from dataclasses import field

from wallet.badges.fields import parse_timestamp
from wallet.errors import Invalid
from wallet.messages import N_
from wallet.messages import Message

CheckStatus = t.Literal["pass", "fail", "warn", "skip"]
Overall = t.Literal["valid", "invalid", "unverifiable"]

#: Every check's name, marked for translation (pages show them; code and JSON use the English).
CHECK_NAMES = (
    N_("format"),
    N_("hosted"),
    N_("issuer"),
    N_("scope"),
    N_("key"),
    N_("signature"),
    N_("revocation"),
    N_("validity"),
    N_("recipient"),
    N_("endorsements"),
)


@dataclass(frozen=True)
class Check:
    """One named check and its outcome."""

    name: str
    status: CheckStatus
    message: Message


@dataclass
class Report:
    """Everything a verification found out."""

    format: str
    checked_at: dt.datetime
    checks: list[Check] = field(default_factory=list)
    #: Checks that could not run for want of the network (or a vocabulary we do not ship).
    unreachable: list[str] = field(default_factory=list)
    #: What the credential says: issuer, achievement, dates, recipient.
    credential: dict[str, t.Any] = field(default_factory=dict)
    #: The documents verification read: ``credential`` (a VC), or ``assertion``, ``badge`` and
    #: ``issuer`` (OB 2.0). Not printed; ``wallet.badges.details`` reads them for people.
    documents: dict[str, t.Any] = field(default_factory=dict)

    def add(self, name: str, status: CheckStatus, message: str) -> None:
        """Record a check; ``message`` is a ``Message`` or a msgid marked with ``N_``."""
        self.checks.append(Check(name, status, Message.of(message)))

    def could_not(self, name: str, message: str) -> None:
        """Record a check that could not run; the credential becomes unverifiable, not invalid."""
        self.unreachable.append(name)
        self.add(name, "warn", message)

    @property
    def status(self) -> Overall:
        """Return ``invalid`` if any check failed, ``unverifiable`` if one could not run."""
        if any(check.status == "fail" for check in self.checks):
            return "invalid"
        if self.unreachable:
            return "unverifiable"
        return "valid"

    @property
    def revoked(self) -> bool:
        """Return whether the issuer revoked (or suspended) the credential."""
        return any(c.name == "revocation" and c.status == "fail" for c in self.checks)

    @property
    def issued_at(self) -> dt.datetime | None:
        """Return when the credential says it was issued, if it says so readably."""
        return _moment(self.credential.get("issued"))

    @property
    def expires_at(self) -> dt.datetime | None:
        """Return when the credential says it stops being valid, if it says so readably."""
        return _moment(self.credential.get("expires"))

    @property
    def expired(self) -> bool:
        """Return whether the credential's validity ended before this check ran."""
        return self.expires_at is not None and self.expires_at <= self.checked_at

    def to_json(self, *, translatable: bool = False) -> dict[str, t.Any]:
        """Return the report in the shape ``wallet verify --json`` prints.

        :param translatable: also give each check its message's ``template`` and ``params``, so a
            stored report can be shown in any language later (``wallet verify`` prints English).
        """
        return {
            "status": self.status,
            "valid": self.status == "valid",
            "format": self.format,
            "checked_at": self.checked_at.isoformat(),
            "checks": [
                {"name": c.name, "status": c.status, "message": str(c.message)}
                | (c.message.to_json() if translatable else {})
                for c in self.checks
            ],
            "credential": self.credential,
        }


def _moment(value: t.Any) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except Invalid:
        return None
