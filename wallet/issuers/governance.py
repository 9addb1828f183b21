"""What each member role may do in an issuer. Pure.

Owners do everything; admins run the organisation but cannot remove owners or see the audit log
reserved to owners; awarders award and revoke; analysts only look at data. Surveys are defined by
owners and admins, and their results read by owners, admins and analysts (not awarders). Webhook
endpoints and pathways are managed by owners and admins; analytics are read by owners, admins and
analysts.
"""

from __future__ import annotations

import typing as t

Action = t.Literal[
    "view",
    "view_data",
    "award",
    "revoke",
    "manage_achievements",
    "manage_members",
    "manage_clients",
    "manage_profile",
    "view_audit",
    "manage_surveys",
    "view_survey_results",
    "manage_webhooks",
    "view_analytics",
    "manage_pathways",
]

_CAN: dict[str, frozenset[str]] = {
    "owner": frozenset(t.get_args(Action)),
    "admin": frozenset(t.get_args(Action)) - {"view_audit"},
    "awarder": frozenset({"view", "view_data", "award", "revoke"}),
    "analyst": frozenset({"view", "view_data", "view_survey_results", "view_analytics"}),
}


def may(role: str, action: Action) -> bool:
    """Return whether a member with ``role`` may do ``action``."""
    return action in _CAN.get(role, frozenset())


def may_grant(granter: str, role: str) -> bool:
    """Return whether a member with role ``granter`` may give (or take away) ``role``."""
    return granter == "owner" or (granter == "admin" and role != "owner")
