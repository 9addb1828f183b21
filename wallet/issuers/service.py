"""Use cases of organisations and achievements. Each owns its transaction, raises ``wallet.errors``.

Awarding lives in ``awarding.py``, the team in ``members.py``.

Authorization is checked here, not in views: every use case names the acting member and the
issuer, and ``require_role`` says "not found" to non-members and "forbidden" to members whose role
does not allow the action (``governance``).
"""

from __future__ import annotations

import re
import typing as t

from flask_babel import gettext as _
from sqlalchemy import select

from wallet import errors
from wallet.accounts.queries import normalize_email
from wallet.db import utcnow
from wallet.issuers import documents
from wallet.issuers import governance
from wallet.issuers import pictures
from wallet.issuers import signing
from wallet.issuers.models import Achievement
from wallet.issuers.models import AuditEntry
from wallet.issuers.models import Issuer
from wallet.issuers.models import Membership
from wallet.issuers.models import StatusList

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session


#: Longest text fields of an achievement.
NAME_MAX, TEXT_MAX = 200, 10_000
#: Achievement types offered in the form (OB 3.0 ``achievementType`` values).
ACHIEVEMENT_TYPES = (
    "Achievement",
    "Assessment",
    "Award",
    "Badge",
    "Certificate",
    "Certification",
    "Competency",
    "Course",
    "Degree",
    "Diploma",
    "License",
    "Micro-credential",
)


def require_role(
    session: Session, user_id: int, issuer_id: int, action: governance.Action
) -> tuple[Issuer, Membership]:
    """Return the issuer and the user's membership if their role allows ``action``."""
    issuer = session.get(Issuer, issuer_id)
    membership = (
        session.scalar(
            select(Membership).where(
                Membership.issuer_id == issuer_id, Membership.user_id == user_id
            )
        )
        if issuer
        else None
    )
    if issuer is None or membership is None:
        raise errors.NotFound(_("There is no such issuer, or you are not one of its members."))
    if not governance.may(membership.role, action):
        raise errors.Forbidden(
            _("Your role in %(issuer)s does not allow this.", issuer=issuer.name)
        )
    return issuer, membership


def audit(
    session: Session, issuer: Issuer, actor: int | None, action: str, **details: t.Any
) -> None:
    """Add an entry to the issuer's audit log (in the caller's transaction)."""
    session.add(
        AuditEntry(issuer_id=issuer.id, actor_user_id=actor, action=action, details=details)
    )


def create_issuer(
    session: Session,
    user_id: int,
    *,
    name: str,
    url: str,
    email: str,
    description: str,
    data_keys: tuple[str, ...],
) -> Issuer:
    """Create an organisation with its own signing key; its creator becomes its owner."""
    sealed, multibase = signing.new_key(data_keys)
    issuer = Issuer(
        name=name.strip()[:NAME_MAX],
        url=url.strip(),
        email=normalize_email(email),
        description=description.strip()[:TEXT_MAX],
        signing_key_sealed=sealed,
        public_key_multibase=multibase,
    )
    issuer.members.append(Membership(user_id=user_id, role="owner"))
    session.add(issuer)
    session.flush()
    session.add(StatusList(issuer_id=issuer.id, bits=bytes(documents.STATUS_LIST_BITS // 8)))
    audit(session, issuer, user_id, "issuer.created", name=issuer.name)
    session.commit()
    return issuer


#: A LinkedIn page id, or the address of the page's admin view that shows it.
_LINKEDIN_ID = re.compile(
    r"^(?:https?://(?:www\.)?linkedin\.com/company/)?(\d{1,20})/?(?:admin/?.*)?$"
)


def set_linkedin_organization(session: Session, user_id: int, issuer_id: int, value: str) -> Issuer:
    """Keep the issuer's LinkedIn page id, so earners' Add to Profile links show its page and logo.

    ``value`` is the number, or the page's admin address holding it; empty clears it.
    """
    issuer, _member = require_role(session, user_id, issuer_id, "manage_profile")
    value = value.strip()
    match = _LINKEDIN_ID.match(value)
    if value and match is None:
        raise errors.Invalid(
            _("Enter the number of your LinkedIn page, as in linkedin.com/company/12345/admin.")
        )
    issuer.linkedin_organization_id = match.group(1) if match else ""
    audit(
        session,
        issuer,
        user_id,
        "issuer.linkedin_changed",
        organization=issuer.linkedin_organization_id,
    )
    session.commit()
    return issuer


def get_issuer(session: Session, user_id: int, issuer_id: int) -> tuple[Issuer, Membership]:
    """Return an issuer the user is a member of, and their membership."""
    return require_role(session, user_id, issuer_id, "view")


def create_achievement(
    session: Session, user_id: int, issuer_id: int, fields: dict[str, t.Any]
) -> Achievement:
    """Add a badge template to the issuer."""
    issuer, _member = require_role(session, user_id, issuer_id, "manage_achievements")
    achievement = Achievement(issuer_id=issuer.id, **_achievement_fields(fields))
    if fields.get("image"):
        achievement.image_type, achievement.image = pictures.clean_upload(fields["image"])
    session.add(achievement)
    session.flush()
    audit(session, issuer, user_id, "achievement.created", achievement=achievement.public_id)
    session.commit()
    return achievement


def _achievement_fields(fields: dict[str, t.Any]) -> dict[str, t.Any]:
    kind = fields.get("achievement_type") or "Achievement"
    if kind not in ACHIEVEMENT_TYPES:
        raise errors.Invalid(_("Choose one of the listed types."))
    return {
        "name": str(fields["name"]).strip()[:NAME_MAX],
        "description": str(fields.get("description") or "").strip()[:TEXT_MAX],
        "criteria": str(fields.get("criteria") or "").strip()[:TEXT_MAX],
        "achievement_type": kind,
        "level": str(fields.get("level") or "").strip()[:60],
        "alignments": list(fields.get("alignments") or []),
        "tags": list(fields.get("tags") or []),
        "valid_days": fields.get("valid_days") or None,
    }


def get_achievement(
    session: Session, user_id: int, issuer_id: int, achievement_id: int
) -> Achievement:
    """Return one of the issuer's achievements."""
    require_role(session, user_id, issuer_id, "view")
    achievement = session.get(Achievement, achievement_id)
    if achievement is None or achievement.issuer_id != issuer_id:
        raise errors.NotFound(_("This achievement does not exist."))
    return achievement


def issuers_of(session: Session, user_id: int) -> list[tuple[Issuer, str]]:
    """Return the issuers the user belongs to, with their role, by name."""
    rows = session.execute(
        select(Issuer, Membership.role)
        .join(Membership)
        .where(Membership.user_id == user_id)
        .order_by(Issuer.name)
    )
    return [(issuer, role) for issuer, role in rows]


# --- Use cases for the issuer API (issue 5) -------------------------------------------------
# The actor is an API client of ``issuer_id`` (``client`` names it in the audit log). The view
# checked the token's scope; these check that what is named belongs to that issuer and say "not
# found" otherwise, so one issuer's client cannot learn what another issuer has.


def issuer_for_client(session: Session, issuer_id: int) -> Issuer:
    """Return the issuer an API client acts for."""
    return session.get_one(Issuer, issuer_id)


def achievement_for_client(
    session: Session, issuer_id: int, public_id: str, *, archived: bool = False
) -> Achievement:
    """Return one of the issuer's achievements by public id (archived ones only if asked)."""
    achievement = session.scalar(
        select(Achievement).where(
            Achievement.public_id == public_id, Achievement.issuer_id == issuer_id
        )
    )
    if achievement is None or (achievement.archived_at is not None and not archived):
        raise errors.NotFound(_("This achievement does not exist."))
    return achievement


def create_achievement_for_client(
    session: Session, issuer_id: int, fields: dict[str, t.Any], *, client: str
) -> Achievement:
    """Add a badge template to the issuer, for its API client."""
    issuer = issuer_for_client(session, issuer_id)
    achievement = Achievement(issuer_id=issuer.id, **_achievement_fields(fields))
    session.add(achievement)
    session.flush()
    audit(
        session,
        issuer,
        None,
        "achievement.created",
        achievement=achievement.public_id,
        client=client,
    )
    session.commit()
    return achievement


def update_achievement_for_client(
    session: Session, issuer_id: int, public_id: str, changes: dict[str, t.Any], *, client: str
) -> Achievement:
    """Change some fields of an achievement; awards already made keep what they were signed with."""
    achievement = achievement_for_client(session, issuer_id, public_id)
    current = {
        "name": achievement.name,
        "description": achievement.description,
        "criteria": achievement.criteria,
        "achievement_type": achievement.achievement_type,
        "level": achievement.level,
        "alignments": achievement.alignments,
        "tags": achievement.tags,
        "valid_days": achievement.valid_days,
    }
    for name, value in _achievement_fields(current | changes).items():
        setattr(achievement, name, value)
    audit(
        session,
        achievement.issuer,
        None,
        "achievement.updated",
        achievement=public_id,
        fields=sorted(changes),
        client=client,
    )
    session.commit()
    return achievement


def archive_achievement_for_client(
    session: Session, issuer_id: int, public_id: str, *, client: str
) -> Achievement:
    """Archive an achievement: it can no longer be awarded; its awards stay valid."""
    achievement = achievement_for_client(session, issuer_id, public_id)
    achievement.archived_at = utcnow()
    audit(
        session,
        achievement.issuer,
        None,
        "achievement.archived",
        achievement=public_id,
        client=client,
    )
    session.commit()
    return achievement
