"""Use cases of an issuer's people: invitations, roles, removal, the audit log, domain proof.

Each owns its transaction; authorization goes through ``service._require`` and ``governance``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import typing as t
import urllib.parse

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import select

from wallet import errors
from wallet.accounts.models import EmailAddress
from wallet.accounts.queries import normalize_email
from wallet.db import utcnow
from wallet.events import outbox
from wallet.http import FetchError
from wallet.issuers import governance
from wallet.issuers import messages
from wallet.issuers.models import DOMAIN_PROOF_PATH
from wallet.issuers.models import ROLES
from wallet.issuers.models import AuditEntry
from wallet.issuers.models import Invitation
from wallet.issuers.models import Issuer
from wallet.issuers.models import Membership
from wallet.issuers.service import audit
from wallet.issuers.service import require_role

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.http import Fetched

#: How long an invitation link works.
INVITATION_DAYS = 7
#: Where invitation links point: ``/issuers/join/<token>``.
JOIN_PATH = "/issuers/join/"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(
    session: Session, actor_id: int, issuer_id: int, *, email: str, role: str, base_url: str
) -> Invitation:
    """Invite someone by email to join the issuer with ``role``."""
    issuer, member = require_role(session, actor_id, issuer_id, "manage_members")
    if role not in ROLES or not governance.may_grant(member.role, role):
        raise errors.Forbidden(_("You may not give that role."))
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        issuer_id=issuer.id,
        email=normalize_email(email),
        role=role,
        token_hash=_hash(token),
        invited_by_user_id=actor_id,
        expires_at=utcnow() + dt.timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    audit(session, issuer, actor_id, "member.invited", email=invitation.email, role=role)
    outbox.record(
        session,
        messages.join_issuer(
            to=invitation.email,
            issuer=issuer.name,
            role=role,
            link=f"{base_url}{JOIN_PATH}{token}",
            days=INVITATION_DAYS,
        ),
    )
    session.commit()
    return invitation


def invitation_by_token(session: Session, token: str) -> Invitation:
    """Return the open invitation a link names."""
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token)))
    if invitation is None or invitation.accepted_at is not None:
        raise errors.NotFound(_("This invitation does not exist or was already used."))
    if invitation.expires_at <= utcnow():
        raise errors.Gone(_("This invitation has expired. Ask for a new one."))
    return invitation


def accept(session: Session, user_id: int, token: str) -> Membership:
    """Join the issuer an invitation names; the invited address must be one of the user's own."""
    invitation = invitation_by_token(session, token)
    holds = session.scalar(
        select(EmailAddress.id).where(
            EmailAddress.user_id == user_id,
            EmailAddress.normalized == invitation.email,
            EmailAddress.verified_at.is_not(None),
        )
    )
    if holds is None:
        raise errors.Forbidden(
            _(
                "This invitation is for %(email)s. Add and verify that address, then open the "
                "link again.",
                email=invitation.email,
            )
        )
    existing = session.scalar(
        select(Membership).where(
            Membership.issuer_id == invitation.issuer_id, Membership.user_id == user_id
        )
    )
    membership = existing or Membership(issuer_id=invitation.issuer_id, user_id=user_id)
    membership.role = invitation.role
    session.add(membership)
    invitation.accepted_at = utcnow()
    audit(session, invitation.issuer, user_id, "member.joined", role=invitation.role)
    session.commit()
    return membership


def _owners(session: Session, issuer_id: int) -> int:
    return (
        session.scalar(
            select(func.count(Membership.id)).where(
                Membership.issuer_id == issuer_id, Membership.role == "owner"
            )
        )
        or 0
    )


def change_role(
    session: Session, actor_id: int, issuer_id: int, member_user_id: int, role: str
) -> None:
    """Give a member another role (never leaving the issuer without an owner)."""
    issuer, actor = require_role(session, actor_id, issuer_id, "manage_members")
    target = _member(session, issuer_id, member_user_id)
    if role not in ROLES or not (
        governance.may_grant(actor.role, role) and governance.may_grant(actor.role, target.role)
    ):
        raise errors.Forbidden(_("You may not give that role."))
    if target.role == "owner" and role != "owner" and _owners(session, issuer_id) == 1:
        raise errors.Conflict(_("An issuer needs at least one owner."))
    audit(session, issuer, actor_id, "member.role_changed", user=member_user_id, role=role)
    target.role = role
    session.commit()


def remove(session: Session, actor_id: int, issuer_id: int, member_user_id: int) -> None:
    """Remove a member (or leave, when it is oneself), never the last owner."""
    issuer = session.get(Issuer, issuer_id)
    if member_user_id == actor_id:
        require_role(session, actor_id, issuer_id, "view")
        target = _member(session, issuer_id, member_user_id)
    else:
        issuer, actor = require_role(session, actor_id, issuer_id, "manage_members")
        target = _member(session, issuer_id, member_user_id)
        if not governance.may_grant(actor.role, target.role):
            raise errors.Forbidden(_("You may not remove this member."))
    if target.role == "owner" and _owners(session, issuer_id) == 1:
        raise errors.Conflict(_("An issuer needs at least one owner."))
    assert issuer is not None
    audit(session, issuer, actor_id, "member.removed", user=member_user_id)
    session.delete(target)
    session.commit()


def _member(session: Session, issuer_id: int, user_id: int) -> Membership:
    target = session.scalar(
        select(Membership).where(Membership.issuer_id == issuer_id, Membership.user_id == user_id)
    )
    if target is None:
        raise errors.NotFound(_("This person is not a member."))
    return target


def audit_log(
    session: Session, actor_id: int, issuer_id: int, limit: int = 100
) -> list[AuditEntry]:
    """Return the issuer's latest changes, newest first (owners only)."""
    require_role(session, actor_id, issuer_id, "view_audit")
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.issuer_id == issuer_id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )


class GetText(t.Protocol):
    """GET a URL through the SSRF guard (``HttpClient.get``)."""

    def __call__(self, url: str, *, accept: t.Sequence[str]) -> Fetched: ...


def proof_url(issuer: Issuer) -> str:
    """Return where the issuer must publish its domain token."""
    parts = urllib.parse.urlsplit(issuer.url)
    return f"{parts.scheme}://{parts.netloc}{DOMAIN_PROOF_PATH}"


def check_domain(session: Session, actor_id: int, issuer_id: int, fetch: GetText) -> bool:
    """Fetch the issuer's proof file; mark the domain verified if it holds the token."""
    issuer, _member_ = require_role(session, actor_id, issuer_id, "manage_profile")
    session.rollback()  # no transaction stays open across the network
    try:
        body = fetch(proof_url(issuer), accept=("text/plain",)).content
    except FetchError as error:
        raise errors.Invalid(
            _("We could not read %(url)s: %(error)s", url=proof_url(issuer), error=error.message)
        ) from error
    issuer = session.get_one(Issuer, issuer_id)
    if issuer.domain_token not in body.decode("utf-8", "replace"):
        raise errors.Invalid(_("%(url)s does not contain your token yet.", url=proof_url(issuer)))
    issuer.domain_verified_at = utcnow()
    audit(session, issuer, actor_id, "issuer.domain_verified", url=proof_url(issuer))
    session.commit()
    return True
