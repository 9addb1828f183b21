"""Use cases of collections: an earner's named, ordered groups of awards. Each owns its transaction.

A collection's link is derived from its id and ``link_version`` with the app's secret (nothing
secret is stored); making the collection private bumps the version, so every link handed out so
far stops working at once.
"""

from __future__ import annotations

import typing as t

from flask_babel import gettext as _
from itsdangerous import BadSignature
from itsdangerous import URLSafeSerializer
from sqlalchemy import func
from sqlalchemy import select

from wallet import errors
from wallet.backpack import policy
from wallet.backpack.models import Collection
from wallet.backpack.models import CollectionItem
from wallet.backpack.service import get_award

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.backpack.models import Award

#: Longest collection name.
NAME_MAX = 120
_SALT = "collection-link"


def create_collection(session: Session, user_id: int, name: str) -> Collection:
    """Start a private collection at the end of the earner's list."""
    last = session.scalar(
        select(func.max(Collection.position)).where(Collection.user_id == user_id)
    )
    collection = Collection(user_id=user_id, name=_name(name), position=(last or 0) + 1)
    session.add(collection)
    session.commit()
    return collection


def get_collection(session: Session, user_id: int, collection_id: int) -> Collection:
    """Return one of the earner's collections; another earner's is "not found"."""
    collection = session.get(Collection, collection_id)
    if collection is None or collection.user_id != user_id:
        raise errors.NotFound(_("This collection is not in your wallet."))
    return collection


def rename_collection(session: Session, user_id: int, collection_id: int, name: str) -> None:
    """Give a collection a new name."""
    get_collection(session, user_id, collection_id).name = _name(name)
    session.commit()


def set_collection_visibility(
    session: Session, user_id: int, collection_id: int, visibility: str
) -> Collection:
    """Make a collection private, reachable by link, or public; private breaks its old links."""
    if visibility not in policy.COLLECTION_VISIBILITIES:
        raise errors.Invalid(_("Choose private, anyone with the link, or public."))
    collection = get_collection(session, user_id, collection_id)
    if visibility == "private" and collection.visibility != "private":
        collection.link_version += 1
    collection.visibility = visibility
    session.commit()
    return collection


def delete_collection(session: Session, user_id: int, collection_id: int) -> None:
    """Delete a collection; its awards stay in the wallet."""
    session.delete(get_collection(session, user_id, collection_id))
    session.commit()


def move_collection(session: Session, user_id: int, collection_id: int, step: int) -> None:
    """Move a collection one place up (``step`` -1) or down (+1) in the earner's list."""
    mine = list(
        session.scalars(
            select(Collection)
            .where(Collection.user_id == user_id)
            .order_by(Collection.position, Collection.id)
        )
    )
    _move(mine, get_collection(session, user_id, collection_id), step)
    session.commit()


def add_award(session: Session, user_id: int, collection_id: int, award_id: int) -> None:
    """Put one of the earner's awards at the end of a collection (once)."""
    collection = get_collection(session, user_id, collection_id)
    award = get_award(session, user_id, award_id)
    if any(item.award_id == award.id for item in collection.items):
        return
    last = max((item.position for item in collection.items), default=0)
    collection.items.append(CollectionItem(award_id=award.id, position=last + 1))
    session.commit()


def remove_award(session: Session, user_id: int, collection_id: int, award_id: int) -> None:
    """Take an award out of a collection (the award stays in the wallet)."""
    collection = get_collection(session, user_id, collection_id)
    collection.items = [item for item in collection.items if item.award_id != award_id]
    session.commit()


def move_award(
    session: Session, user_id: int, collection_id: int, award_id: int, step: int
) -> None:
    """Move an award one place up or down within a collection."""
    collection = get_collection(session, user_id, collection_id)
    item = next((item for item in collection.items if item.award_id == award_id), None)
    if item is None:
        raise errors.NotFound(_("This badge is not in the collection."))
    _move(list(collection.items), item, step)
    session.commit()


def link_token(secret: str, collection: Collection) -> str:
    """Return the token of the collection's current link."""
    return str(
        URLSafeSerializer(secret, salt=_SALT).dumps([collection.id, collection.link_version])
    )


def collection_by_link(
    session: Session, secret: str, token: str, viewer_id: int | None
) -> tuple[Collection, list[Award]]:
    """Return a collection opened by its link, and the awards in it the viewer may see."""
    gone = errors.NotFound(_("This collection is not shared, or its link no longer works."))
    try:
        collection_id, version = URLSafeSerializer(secret, salt=_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise gone from None
    collection = session.get(Collection, collection_id) if isinstance(collection_id, int) else None
    if collection is None:
        raise gone
    current = version == collection.link_version
    if not policy.may_view_collection(collection, viewer_id, link_token_ok=current):
        raise gone
    shown = [item.award for item in collection.items if policy.shown_in_collection(item.award)]
    return collection, shown


def _name(name: str) -> str:
    cleaned = " ".join(name.split())[:NAME_MAX]
    if not cleaned:
        raise errors.Invalid(_("Give the collection a name."))
    return cleaned


_Positioned = t.TypeVar("_Positioned", Collection, CollectionItem)


def _move(ordered: list[_Positioned], target: _Positioned, step: int) -> None:
    """Swap ``target`` with its neighbour ``step`` away, renumbering positions 1..n."""
    index = ordered.index(target)
    other = index + (1 if step > 0 else -1)
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
