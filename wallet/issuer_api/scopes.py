"""The scopes an API client may hold. Pure."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: Every scope, with what it lets a client do (shown on the clients page and in the docs).
SCOPES = {
    "achievements:read": _l("Read the issuer's achievements"),
    "achievements:write": _l("Create, change and archive achievements"),
    "awards:read": _l("Read the awards the issuer made"),
    "awards:write": _l("Award achievements and revoke awards"),
    "events:read": _l("Read the engagement events of the issuer's awards"),
    "surveys:write": _l("Create surveys for the issuer's earners"),
    "analytics:read": _l("Read the issuer's analytics"),
    "pathways:read": _l("Read the issuer's pathways"),
    "pathways:write": _l("Create, change and archive pathways"),
}


def parse(text: str | None) -> list[str]:
    """Split a space-separated scope string into its scopes, in order, without repeats."""
    seen: list[str] = []
    for scope in (text or "").split():
        if scope not in seen:
            seen.append(scope)
    return seen
