"""What makes a pathway's groups valid, as plain values. Pure: no Flask, no session.

The issuer pages and the API build the same ``GroupSpec`` values and ask ``problems`` before a
pathway is published (and after every change to a published one), so both refuse the same things
with the same sentences.
"""

from __future__ import annotations

import dataclasses
import urllib.parse

from wallet.messages import N_
from wallet.messages import Message
from wallet.pathways.models import GROUP_KINDS
from wallet.pathways.models import RULES

#: Longest achievement IRI a step may name (the column's size).
IRI_MAX = 500
#: Longest title of a group or a step.
TITLE_MAX = 200
#: Most groups in a pathway, and steps in a group.
MAX_GROUPS, MAX_STEPS = 20, 50


@dataclasses.dataclass(frozen=True)
class StepSpec:
    """An achievement on a pathway: its IRI and the title the pathway shows."""

    iri: str
    title: str
    #: The achievement's row when it is issued on this platform.
    achievement_id: int | None = None


@dataclasses.dataclass(frozen=True)
class GroupSpec:
    """A level or milestone as the issuer defines it."""

    title: str
    kind: str = "level"
    rule: str = "all"
    required: int | None = None
    steps: tuple[StepSpec, ...] = ()


def iri_problem(iri: str) -> Message | None:
    """Return why ``iri`` cannot name an outside achievement (``None``: it can)."""
    if len(iri) > IRI_MAX:
        return Message(N_("An achievement's address is at most %(max)s characters."), max=IRI_MAX)
    parsed = urllib.parse.urlsplit(iri)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or any(c.isspace() for c in iri):
        return Message(
            N_("An achievement's address is a web address starting with https:// or http://.")
        )
    return None


def group_problems(group: GroupSpec, *, complete: bool) -> list[Message]:
    """Return what is wrong with one group; ``complete`` also asks for steps (to publish)."""
    found: list[Message] = []
    name = group.title or "?"
    if not group.title.strip():
        found.append(Message(N_("Every level or milestone needs a title.")))
    if group.kind not in GROUP_KINDS:
        found.append(Message(N_("A group is a level or a milestone.")))
    if group.rule not in RULES:
        found.append(
            Message(N_("A group is completed by all of its steps or by any number of them."))
        )
    if len(group.steps) > MAX_STEPS:
        found.append(
            Message(N_("“%(group)s” has more than %(max)s steps."), group=name, max=MAX_STEPS)
        )
    iris = [step.iri for step in group.steps]
    if len(set(iris)) != len(iris):
        found.append(Message(N_("“%(group)s” lists the same achievement twice."), group=name))
    if complete and not group.steps:
        found.append(Message(N_("“%(group)s” needs at least one step."), group=name))
    if group.rule == "any":
        required = group.required or 0
        if required < 1 or (group.steps and required > len(group.steps)):
            found.append(
                Message(
                    N_(
                        "In “%(group)s”, “any” must count from 1 to its number of steps "
                        "(%(count)s)."
                    ),
                    group=name,
                    count=len(group.steps),
                )
            )
        elif complete and required > len(group.steps):
            found.append(
                Message(
                    N_("“%(group)s” needs at least %(count)s steps."), group=name, count=required
                )
            )
    return found


def problems(groups: tuple[GroupSpec, ...] | list[GroupSpec], *, complete: bool) -> list[Message]:
    """Return what is wrong with a pathway's groups (``complete``: as it must be to publish)."""
    found: list[Message] = []
    if complete and not groups:
        found.append(Message(N_("A pathway needs at least one level or milestone.")))
    if len(groups) > MAX_GROUPS:
        found.append(
            Message(N_("A pathway has at most %(max)s levels or milestones."), max=MAX_GROUPS)
        )
    for group in groups:
        found.extend(group_problems(group, complete=complete))
    return found


def rule_text(rule: str, required: int | None, count: int) -> Message:
    """Return how a group completes, as earners read it: "all 3", "any 2 of 3"."""
    if rule == "any":
        return Message(
            N_("any %(needed)s of %(count)s"), needed=min(required or 1, count), count=count
        )
    return Message(N_("all %(count)s"), count=count)
