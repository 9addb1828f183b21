"""Tables of the issuer side: organisations, members, achievements, issued awards, status lists."""

from __future__ import annotations

import datetime as dt
import typing as t
import uuid

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import LargeBinary
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from wallet.db import Base
from wallet.db import utcnow

#: Member roles, most powerful first (``governance`` says what each may do).
ROLES = ("owner", "admin", "awarder", "analyst")
#: Where an issuer publishes its domain token to prove it controls its site.
DOMAIN_PROOF_PATH = "/.well-known/wallet-issuer.txt"


def _uuid() -> str:
    return uuid.uuid4().hex


class Issuer(Base):
    """An organisation that issues badges."""

    __tablename__ = "issuers"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable id in every published URL (the name and site may change, the documents must not).
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=_uuid)
    name: Mapped[str] = mapped_column(String(200))
    #: The organisation's own web site.
    url: Mapped[str] = mapped_column(String(500))
    email: Mapped[str] = mapped_column(String(320))
    description: Mapped[str] = mapped_column(Text, default="")
    #: LinkedIn organisation id, for Add to Profile links (issue 6).
    linkedin_organization_id: Mapped[str] = mapped_column(String(40), default="")
    #: Ed25519 private key (raw 32 bytes), sealed with ``wallet.sealing``.
    signing_key_sealed: Mapped[str] = mapped_column(Text)
    #: Multibase (base58btc, ``z6Mk...``) of the public key, published in the issuer's profile.
    public_key_multibase: Mapped[str] = mapped_column(String(80))
    #: The token the issuer publishes at ``DOMAIN_PROOF_PATH`` on its site to prove control.
    domain_token: Mapped[str] = mapped_column(String(64), default=_uuid)
    #: When the issuer proved control of ``url``'s domain (``None``: not verified).
    domain_verified_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    members: Mapped[list[Membership]] = relationship(
        back_populates="issuer", cascade="all, delete-orphan", passive_deletes=True
    )


class Membership(Base):
    """A user's role in an issuer."""

    __tablename__ = "issuer_members"
    __table_args__ = (UniqueConstraint("issuer_id", "user_id", name="uq_issuer_members_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    issuer: Mapped[Issuer] = relationship(back_populates="members")


class Invitation(Base):
    """An invitation to join an issuer with a role, sent by email; the token is kept hashed."""

    __tablename__ = "issuer_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(20))
    #: SHA-256 of the token in the mailed link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    accepted_at: Mapped[dt.datetime | None]

    issuer: Mapped[Issuer] = relationship()


class AuditEntry(Base):
    """Who changed what on the issuer side, and when (visible to owners)."""

    __tablename__ = "issuer_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id", ondelete="CASCADE"), index=True)
    #: The member who acted (``None``: an API client or the system).
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    details: Mapped[dict[str, t.Any]] = mapped_column(JSON, default=dict)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Achievement(Base):
    """A badge template an issuer awards."""

    __tablename__ = "achievements"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=_uuid)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Markdown (rendered and sanitised when shown).
    description: Mapped[str] = mapped_column(Text)
    criteria: Mapped[str] = mapped_column(Text)
    #: OB 3.0 ``achievementType``: Course, Certification, Competency, Degree, ...
    achievement_type: Mapped[str] = mapped_column(String(40), default="Achievement")
    level: Mapped[str] = mapped_column(String(60), default="")
    #: Skills: ``[{"name", "framework", "code", "url"}]``.
    alignments: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Days an award stays valid (``None``: never expires).
    valid_days: Mapped[int | None]
    #: Recommended next steps: ``[{"title", "url", "type"}]``.
    next_steps: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    image: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    image_type: Mapped[str] = mapped_column(String(40), default="")
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    issuer: Mapped[Issuer] = relationship()


class IssuedAward(Base):
    """An award as its issuer made it: published as a hosted OB 2.0 assertion and an OB 3.0
    credential. It reaches an earner's backpack once they hold the recipient identifier."""

    __tablename__ = "issued_awards"
    __table_args__ = (
        UniqueConstraint("issuer_id", "status_index", name="uq_issued_awards_status_index"),
        Index("ix_issued_awards_recipient", "recipient_normalized"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=_uuid)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id", ondelete="CASCADE"), index=True)
    achievement_id: Mapped[int] = mapped_column(
        ForeignKey("achievements.id", ondelete="CASCADE"), index=True
    )
    #: ``email``, ``url`` or ``phone``.
    recipient_type: Mapped[str] = mapped_column(String(10), default="email")
    #: The identifier folded for matching (lowercase email).
    recipient_normalized: Mapped[str] = mapped_column(String(320))
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    #: Salt of the hashed identity in the published documents (the address is never published).
    salt: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    revocation_reason: Mapped[str] = mapped_column(String(500), default="")
    #: The award that replaced this one (it is revoked, saying so).
    replaced_by_public_id: Mapped[str | None] = mapped_column(String(32))
    #: Bit in the issuer's BitstringStatusList.
    status_index: Mapped[int]
    #: The signed OB 3.0 credential, exactly as published.
    credential: Mapped[dict[str, t.Any]] = mapped_column(JSON)
    #: When the recipient, who had no wallet, was mailed how to claim it.
    claim_mailed_at: Mapped[dt.datetime | None]
    #: Idempotency key of the API request that created it, per issuer.
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    #: The member who awarded it (``None``: the API).
    awarded_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    issuer: Mapped[Issuer] = relationship()
    achievement: Mapped[Achievement] = relationship()


class StatusList(Base):
    """An issuer's BitstringStatusList: one bit per issued award, set when revoked."""

    __tablename__ = "status_lists"

    issuer_id: Mapped[int] = mapped_column(
        ForeignKey("issuers.id", ondelete="CASCADE"), primary_key=True
    )
    #: The bits, most significant bit of byte 0 first (131,072 entries: the spec's minimum).
    bits: Mapped[bytes] = mapped_column(LargeBinary)
    #: The next index to hand out.
    next_index: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AwardUpload(Base):
    """A CSV of recipients an issuer uploaded to award one achievement; a job works through it."""

    __tablename__ = "award_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id", ondelete="CASCADE"), index=True)
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievements.id", ondelete="CASCADE"))
    #: The member who uploaded it; each row is awarded with their rights.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]

    rows: Mapped[list[AwardUploadRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="AwardUploadRow.position"
    )


class AwardUploadRow(Base):
    """One recipient of an upload and what happened to them."""

    __tablename__ = "award_upload_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(
        ForeignKey("award_uploads.id", ondelete="CASCADE"), index=True
    )
    #: Line number in the file (the header is line 1).
    position: Mapped[int]
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200), default="")
    #: ``waiting``, ``awarded`` or ``failed``.
    status: Mapped[str] = mapped_column(String(20), default="waiting")
    message: Mapped[str] = mapped_column(String(500), default="")
    issued_award_id: Mapped[int | None] = mapped_column(
        ForeignKey("issued_awards.id", ondelete="SET NULL")
    )
