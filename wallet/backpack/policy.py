"""Who may see what: the one place that decides, for every surface. Pure: no Flask, no session.

Pages, JSON, exports, feeds, webhooks and search ask these functions (or, for SQL, use
``public_awards`` which states the same rule as a WHERE clause; a property-based test holds the
two to each other). The rules:

- The owner sees everything they hold, whatever its state.
- Anyone else sees an award only if it is accepted and the earner made it public. A pending or
  declined award is nobody's business but the earner's, and a collection never exposes an award
  that is not public itself: making an award private hides it everywhere at once.
- A collection is seen by others only when it is public, or by link with the current link token.
- Notes and tags are the owner's alone.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from sqlalchemy import and_

from wallet.backpack.models import Award

if t.TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from wallet.backpack.models import Collection

#: Award visibilities, least exposed first.
AWARD_VISIBILITIES = ("private", "public")
#: Collection visibilities, least exposed first.
COLLECTION_VISIBILITIES = ("private", "link", "public")
#: Days during which a declined award can be taken back.
DECLINE_UNDO_DAYS = 30


def may_view_award(award: Award, viewer_id: int | None) -> bool:
    """Return whether ``viewer_id`` (None: not signed in) may see ``award`` at all."""
    if viewer_id is not None and viewer_id == award.user_id:
        return True
    return award.acceptance == "accepted" and award.visibility == "public"


def may_see_private_parts(award: Award, viewer_id: int | None) -> bool:
    """Return whether the viewer may see the award's note, tags and download its original."""
    return viewer_id is not None and viewer_id == award.user_id


def public_awards() -> ColumnElement[bool]:
    """Return ``may_view_award(award, stranger)`` as a WHERE clause over ``Award``."""
    return and_(Award.acceptance == "accepted", Award.visibility == "public")


def may_view_collection(
    collection: Collection, viewer_id: int | None, *, link_token_ok: bool = False
) -> bool:
    """Return whether the viewer may open ``collection`` (``link_token_ok``: came by its link)."""
    if viewer_id is not None and viewer_id == collection.user_id:
        return True
    if collection.visibility == "public":
        return True
    return collection.visibility == "link" and link_token_ok


def shown_in_collection(award: Award) -> bool:
    """Return whether an award in a shared collection is shown: only if it is public itself.

    The owner opening their own link sees what everyone else sees.
    """
    return may_view_award(award, None)


def may_undo_decline(award: Award, now: dt.datetime) -> bool:
    """Return whether a declined award can still be taken back."""
    return (
        award.acceptance == "declined"
        and award.declined_at is not None
        and now - award.declined_at <= dt.timedelta(days=DECLINE_UNDO_DAYS)
    )
