"""Use cases of the employer side: public profiles and skills, share links. Each raises
``wallet.errors``; those that write own their transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import typing as t
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy import update

from wallet import errors
from wallet.backpack import export as export_zip
from wallet.backpack.models import Award
from wallet.db import utcnow
from wallet.profiles import queries
from wallet.profiles import skills
from wallet.profiles.models import ShareLink

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.profiles.queries import Owner

#: Lifetimes an earner can pick for a share link, in days.
LINK_DAYS = (7, 30, 90)
#: Longest a share link may live when the earner picks a date.
LINK_LONGEST = dt.timedelta(days=366)
#: Most awards (or skills) one share link may hold.
LINK_MAX_ITEMS = 200


def backing(award: Award, now: dt.datetime) -> skills.Backing:
    """Return an award as the skills aggregation reads it (from its stored details)."""
    found = award.details or {}
    checks = (award.verification or {}).get("checks") or []
    return skills.Backing(
        public_id=award.public_id,
        achievement_name=award.achievement_name,
        achievement_type=award.achievement_type,
        issuer_name=award.issuer_name,
        state=award.state(now),
        verified_at=award.verified_at,
        check_statuses=tuple(str(c.get("status")) for c in checks if isinstance(c, dict)),
        alignments=tuple(a for a in found.get("alignments") or [] if isinstance(a, dict)),
        evidence=tuple(
            skills.Evidence(name=str(e.get("name") or ""), url=str(e.get("url") or ""))
            for e in found.get("evidence") or []
            if isinstance(e, dict) and e.get("url")
        ),
        expires_at=award.expires_at,
    )


def find_owner(session: Session, handle: str) -> Owner:
    """Return the earner behind ``/@handle``, or "not found"."""
    owner = queries.owner_by_handle(session, handle)
    if owner is None:
        raise errors.NotFound(_("Nobody has this address."))
    return owner


@dataclass
class Profile:
    """What ``/@handle`` shows: public awards grouped by issuer, then by type."""

    owner: Owner
    groups: list[tuple[str, list[tuple[str, list[Award]]]]]
    count: int
    expires: dt.datetime | None


def profile(session: Session, owner: Owner, now: dt.datetime) -> Profile:
    """Return the earner's public awards grouped by issuer and type (issuers A to Z)."""
    awards = [a for a in queries.public_awards_of(session, owner.id, now) if _counted(a, now)]
    by_issuer: dict[str, dict[str, list[Award]]] = {}
    for award in awards:
        issuer = award.issuer_name or _("Unnamed issuer")
        by_issuer.setdefault(issuer, {}).setdefault(award.achievement_type, []).append(award)
    groups = [
        (issuer, sorted(types.items(), key=lambda item: item[0].casefold()))
        for issuer, types in sorted(by_issuer.items(), key=lambda item: item[0].casefold())
    ]
    expires = min((a.expires_at for a in awards if a.expires_at), default=None)
    return Profile(owner=owner, groups=groups, count=len(awards), expires=expires)


def _counted(award: Award, now: dt.datetime) -> bool:
    # The SQL said so already; Award.state() is the rule every page shares, so ask it too.
    return award.state(now) in skills.COUNTED_STATES


@dataclass
class SkillsPage:
    """What ``/@handle/skills`` shows."""

    owner: Owner
    skills: list[skills.Skill]
    frameworks: list[str]
    issuers: list[str]
    expires: dt.datetime | None
    #: Ids of the awards behind the page (for the presentation of originals).
    award_ids: list[int]


def skills_page(
    session: Session, owner: Owner, now: dt.datetime, *, framework: str = "", issuer: str = ""
) -> SkillsPage:
    """Return the earner's skills from their public, accepted, currently valid awards."""
    awards = [a for a in queries.public_awards_of(session, owner.id, now) if _counted(a, now)]
    return skills_of(owner, awards, now, framework=framework, issuer=issuer)


def skills_of(
    owner: Owner,
    awards: list[Award],
    now: dt.datetime,
    *,
    framework: str = "",
    issuer: str = "",
    keys: t.Collection[str] = (),
) -> SkillsPage:
    """Return the skills ``awards`` back (only ``keys`` if given), with the filters' choices."""
    backings = [backing(a, now) for a in awards]
    found = skills.aggregate(backings, framework=framework, issuer=issuer)
    everything = skills.aggregate(backings) if framework or issuer else found
    if keys:
        found = [s for s in found if s.key in keys]
    return SkillsPage(
        owner=owner,
        skills=found,
        frameworks=skills.frameworks(everything),
        issuers=skills.issuers(backings),
        expires=skills.soonest_expiry(backings),
        award_ids=[a.id for a in awards if _counted(a, now)],
    )


def presentation(session: Session, award_ids: list[int]) -> dict[str, t.Any]:
    """Return an unsigned VC presentation holding the original credentials of ``award_ids``.

    Open Badges 1.x/2.0 assertions are not verifiable credentials and stay out (as in exports).
    """
    credentials = []
    for award in queries.originals(session, award_ids):
        credential = export_zip.presented_original(
            award.original, award.original_type, award.format
        )
        if credential is not None:
            credentials.append(credential)
    return export_zip.presentation(credentials)


# --- Share links ---------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """Return the SHA-256 (hex) under which a share link's token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def link_expiry(now: dt.datetime, *, days: int | None, until: dt.date | None) -> dt.datetime:
    """Return when a link made ``now`` expires: after ``days`` (7, 30, 90) or after ``until``."""
    if until is not None:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        if end <= now:
            raise errors.Invalid(_("Choose a date after today."), field="until")
        if end - now > LINK_LONGEST:
            raise errors.Invalid(_("Choose a date within a year."), field="until")
        return end
    if days not in LINK_DAYS:
        raise errors.Invalid(_("Choose how long the link works."), field="days")
    return now + dt.timedelta(days=days)


def create_share_link(
    session: Session,
    user_id: int,
    *,
    name: str,
    award_ids: t.Collection[int] = (),
    skill_keys: t.Collection[str] = (),
    expires_at: dt.datetime,
) -> tuple[ShareLink, str]:
    """Make a link showing exactly the chosen awards, or the chosen skills; return it and its token.

    The token is shown once; only its hash is kept. For skills, the awards backing them now are
    frozen into the link, so an award added later never shows through an old link.
    """
    name = " ".join(name.split())[:120]
    if not name:
        raise errors.Invalid(_("Name the link, for example the employer's name."), field="name")
    if len(award_ids) > LINK_MAX_ITEMS or len(skill_keys) > LINK_MAX_ITEMS:
        raise errors.Invalid(_("Choose at most %(count)d items.", count=LINK_MAX_ITEMS))
    now = utcnow()
    mine = {a.id: a for a in queries.accepted_awards_of(session, user_id)}
    if skill_keys:
        kind = "skills"
        backings = [(a.id, backing(a, now)) for a in mine.values()]
        keys = set(skill_keys)
        chosen = [s for s in skills.aggregate(b for _, b in backings) if s.key in keys]
        behind = {b.public_id for s in chosen for b in s.awards}
        ids = sorted(award_id for award_id, b in backings if b.public_id in behind)
        keys = {s.key for s in chosen}
    else:
        kind = "awards"
        ids = sorted({int(i) for i in award_ids if int(i) in mine})
        keys = set()
    if not ids:
        raise errors.Invalid(_("Choose at least one badge or skill to show."), field="awards")
    token = secrets.token_urlsafe(32)
    link = ShareLink(
        user_id=user_id,
        name=name,
        token_hash=token_hash(token),
        kind=kind,
        award_ids=ids,
        skill_keys=sorted(keys),
        created_at=now,
        expires_at=expires_at,
    )
    session.add(link)
    session.commit()
    return link, token


def _own_link(session: Session, user_id: int, link_id: int) -> ShareLink:
    link = session.get(ShareLink, link_id)
    if link is None or link.user_id != user_id:
        raise errors.NotFound(_("This link is not yours, or no longer exists."))
    return link


def get_share_link(session: Session, user_id: int, link_id: int) -> ShareLink:
    """Return one of the earner's share links; another earner's is "not found"."""
    return _own_link(session, user_id, link_id)


def revoke_share_link(session: Session, user_id: int, link_id: int) -> ShareLink:
    """Make a share link stop working now."""
    link = _own_link(session, user_id, link_id)
    link.revoked_at = link.revoked_at or utcnow()
    session.commit()
    return link


@dataclass
class SharedPage:
    """What an employer sees through a share link."""

    link: ShareLink
    owner: Owner
    awards: list[Award]
    skills: SkillsPage


def open_share_link(session: Session, token: str) -> SharedPage:
    """Return what a share link shows, and count the visit; expired or revoked is "gone"."""
    now = utcnow()
    link = session.scalar(select(ShareLink).where(ShareLink.token_hash == token_hash(token)))
    if link is None:
        raise errors.NotFound(_("This link does not exist."))
    if link.state(now) != "active":
        raise errors.Gone(_("This link has expired or was withdrawn by its owner."))
    session.execute(
        update(ShareLink)
        .where(ShareLink.id == link.id)
        .values(opens=ShareLink.opens + 1, last_opened_at=now)
    )
    session.commit()
    link = session.get_one(ShareLink, link.id)
    owner = queries.owner_of(session, link.user_id)
    # Exactly the earner's choice, each award with its state: a revoked one says so, and its
    # skills drop out of the list.
    awards = queries.chosen_awards(session, link.user_id, list(link.award_ids))
    page = skills_of(owner, awards, now, keys=set(link.skill_keys))
    return SharedPage(link=link, owner=owner, awards=awards, skills=page)
