"""The public catalogue of events issuers receive (webhooks and the pull feed). Pure.

Every event leaves in the envelope ``{id, type, timestamp, data}``. ``data`` always names the
``issuer`` and, for award events, the ``award`` (the issuer's own award id, as in the API) and its
``achievement``; the earner appears as ``earner.id``, a pseudonymous id that is stable for one
issuer and differs between issuers, with ``name`` and ``email`` only when the earner consented.
The version of a type changes only when its ``data`` changes in a way that breaks a reader.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PublicType:
    """One public event type."""

    type: str
    version: int
    #: Lifecycle events are always shared; engagement events are shared pseudonymously.
    lifecycle: bool
    summary: str


PUBLIC_TYPES: dict[str, PublicType] = {
    entry.type: entry
    for entry in (
        PublicType("award.created", 1, True, "The issuer awarded an achievement."),
        PublicType("award.updated", 1, True, "The issuer re-signed an award (a new expiry)."),
        PublicType("award.revoked", 1, True, "The issuer revoked an award (data.reason)."),
        PublicType("award.accepted", 1, True, "The earner accepted the award in their wallet."),
        PublicType("award.declined", 1, True, "The earner declined the award."),
        PublicType("award.viewed", 1, False, "Someone opened the award's public page (daily)."),
        PublicType("award.shared", 1, False, "The earner shared the award (data.channel)."),
        PublicType(
            "award.downloaded", 1, False, "Someone downloaded the baked image (data.format)."
        ),
        PublicType("survey.completed", 1, False, "An earner answered one of the issuer's surveys."),
        PublicType("award.verified", 1, False, "Someone checked the award live (data.result)."),
        PublicType(
            "recommendation.shown",
            1,
            False,
            "The wallet recommended the achievement (data.reason); never says to whom.",
        ),
        PublicType(
            "recommendation.clicked",
            1,
            False,
            "An earner opened a recommended achievement or pathway of the issuer.",
        ),
        PublicType(
            "pathway.progressed", 1, False, "An earner newly holds a step of the issuer's pathway."
        ),
        PublicType("pathway.completed", 1, False, "An earner completed the issuer's pathway."),
    )
}

#: Sent by "send test event" only; never in the feed.
TEST_TYPE = "webhook.test"

#: Types the issue names that nothing records yet: reserved, documented as "not yet emitted".
RESERVED_TYPES = (
    "award.expired",
    "award.visibility_changed",
)
