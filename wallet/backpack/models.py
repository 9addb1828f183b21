"""Tables of the backpack: awards held by earners, their images, tags and skills, collections."""

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
from sqlalchemy import false
from sqlalchemy import literal_column
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from wallet.db import Base
from wallet.db import utcnow


class Award(Base):
    """A credential an earner holds: the original, untouched, and what we derived from it."""

    __tablename__ = "awards"
    __table_args__ = (
        # The same credential imported twice is a duplicate, whatever form it came in.
        UniqueConstraint("user_id", "credential_id", name="uq_awards_user_credential"),
        Index("ix_awards_achievement_iri", "achievement_iri", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The unguessable id in public URLs (sequential ids would let anyone count and walk awards).
    public_id: Mapped[str] = mapped_column(
        String(32), unique=True, default=lambda: uuid.uuid4().hex
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The original bytes exactly as received (JSON, JWS/JWT text, or a baked image). Deferred:
    #: lists never load it.
    original: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    #: Media type of ``original``: application/json, application/jwt, image/png, image/svg+xml.
    original_type: Mapped[str] = mapped_column(String(80))
    #: Detected format, e.g. ``ob3-credential``, ``ob2-assertion``, ``vc-jwt``.
    format: Mapped[str] = mapped_column(String(40))
    #: The credential's own id (or a digest of the original when it has none).
    credential_id: Mapped[str] = mapped_column(String(500))
    issuer_id: Mapped[str] = mapped_column(String(500), default="")
    issuer_name: Mapped[str] = mapped_column(String(300), default="")
    achievement_name: Mapped[str] = mapped_column(String(300), default="")
    #: OB 3.0 achievementType (Course, Certification, Skill...), empty when not given.
    achievement_type: Mapped[str] = mapped_column(String(80), default="")
    #: The achievement's IRI (OB 3.0 ``achievement.id``, OB 2.0 BadgeClass URL; ``""``: none):
    #: what pathway steps and recommendations match on, across issuers.
    achievement_iri: Mapped[str] = mapped_column(String(500), default="", server_default="")
    issued_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime | None]
    #: ``valid``, ``invalid`` or ``unverifiable`` at the last check.
    verification_status: Mapped[str] = mapped_column(String(20))
    #: The last verification report (``Report.to_json()``): every check with its message.
    verification: Mapped[dict[str, t.Any]] = mapped_column(JSON)
    verified_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    #: When a verification first found the issuer had revoked (or suspended) the award.
    revoked_at: Mapped[dt.datetime | None]
    #: The last bad state (``revoked``, ``expired``) the earner was told about by mail, so a
    #: re-verification that runs twice never mails twice.
    notified_state: Mapped[str] = mapped_column(String(20), default="", server_default="")
    #: ``private`` until the earner makes it ``public`` (see ``policy``).
    visibility: Mapped[str] = mapped_column(String(20), default="private")
    #: ``accepted``; ``pending`` when an issuer pushed it and the earner has not answered;
    #: ``declined`` (undone within ``policy.DECLINE_UNDO_DAYS`` days of ``declined_at``).
    acceptance: Mapped[str] = mapped_column(
        String(20), default="accepted", server_default="accepted"
    )
    declined_at: Mapped[dt.datetime | None]
    #: What the award says about itself (``wallet.badges.details.Details``).
    details: Mapped[dict[str, t.Any]] = mapped_column(JSON, default=dict)
    #: Whether an ``AwardImage`` was kept (an original that is an image needs none).
    has_image: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The earner's own note: never shown to anyone else.
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: Bumped by every UPDATE of the row (visibility, acceptance, a re-check, a revocation): with
    #: the number of awards and the newest id, the fingerprint of the earner's cached pages.
    revision: Mapped[int] = mapped_column(
        default=1, server_default="1", onupdate=literal_column("revision + 1")
    )

    tags: Mapped[list[AwardTag]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="AwardTag.id"
    )
    skills: Mapped[list[AwardSkill]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="AwardSkill.id"
    )

    @property
    def has_picture(self) -> bool:
        """Return whether the award has a picture to show."""
        return self.image_is_original or self.has_image

    @property
    def image_is_original(self) -> bool:
        """Return whether the award's image is its original (a baked PNG or SVG)."""
        return self.original_type.startswith("image/")

    @property
    def type_key(self) -> str:
        """Return the achievement type as a CSS-safe lowercase word (``course``, ``degree``)."""
        return "".join(ch for ch in self.achievement_type.lower() if ch.isalnum()) or "badge"

    def state(self, now: dt.datetime | None = None) -> str:
        """Return what the earner must see first: revoked, expired, or the last verification."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= (now or utcnow()):
            return "expired"
        return self.verification_status

    def __repr__(self) -> str:
        return f"<Award {self.id} user={self.user_id} {self.achievement_name!r}>"


class AwardImage(Base):
    """The image of an award whose original is not an image (fetched once, at import)."""

    __tablename__ = "award_images"

    award_id: Mapped[int] = mapped_column(
        ForeignKey("awards.id", ondelete="CASCADE"), primary_key=True
    )
    #: ``image/png``, ``image/svg+xml``, ``image/jpeg``, ``image/gif`` or ``image/webp``.
    media_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class AwardTag(Base):
    """A tag the earner put on one of their awards; private to them."""

    __tablename__ = "award_tags"
    __table_args__ = (UniqueConstraint("award_id", "tag", name="uq_award_tags_award_tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(String(40))


class AwardSkill(Base):
    """A skill or competency an award aligns to, as its issuer stated it."""

    __tablename__ = "award_skills"
    __table_args__ = (Index("ix_award_skills_normalized", "normalized"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    #: ``name`` folded for matching: lowercase, spaces collapsed.
    normalized: Mapped[str] = mapped_column(String(300))
    framework: Mapped[str] = mapped_column(String(300), default="")
    code: Mapped[str] = mapped_column(String(100), default="")
    url: Mapped[str] = mapped_column(String(2000), default="")


class Collection(Base):
    """A named, ordered group of an earner's awards: private, reachable by link, or public."""

    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    #: ``private``, ``link`` (anyone with the link) or ``public``.
    visibility: Mapped[str] = mapped_column(String(20), default="private")
    #: Bumped to make every link handed out so far stop working (links are derived, not stored).
    link_version: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    items: Mapped[list[CollectionItem]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CollectionItem.position"
    )


class CollectionItem(Base):
    """An award's place in a collection."""

    __tablename__ = "collection_items"
    __table_args__ = (
        UniqueConstraint("collection_id", "award_id", name="uq_collection_items_award"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collections.id", ondelete="CASCADE"), index=True
    )
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    award: Mapped[Award] = relationship()


# --- Data exports (issue 4: "Export all my data") --------------------------------------------

#: Statuses of an export that is not finished; an earner has at most one such export.
UNFINISHED = ("queued", "running")


class DataExport(Base):
    """A zip of everything an earner holds, built by a background job and kept for a while.

    The zip is kept in the database rather than on a disk so any web node can serve it; exports
    are rare and small (the originals of one earner), and the bytes are dropped once expired.
    """

    __tablename__ = "data_exports"
    __table_args__ = (
        # One export in the making per earner: a second request joins the first.
        Index(
            "uq_data_exports_unfinished",
            "user_id",
            unique=True,
            sqlite_where=text("status IN ('queued', 'running')"),
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: ``queued``, ``running``, ``ready`` or ``failed``.
    status: Mapped[str] = mapped_column(String(20), default="queued")
    #: Awards written so far, of ``total``: the progress the settings page shows.
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    #: The zip itself once ready; None before, and again once it has expired.
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: Size of the zip in bytes (kept after the bytes are dropped).
    size: Mapped[int] = mapped_column(default=0)
    #: SHA-256 (hex) of the token in the emailed link; the token itself is only in the mail.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    ready_at: Mapped[dt.datetime | None]
    #: When the download stops working (a week after it was ready).
    expires_at: Mapped[dt.datetime | None] = mapped_column(index=True)

    def state(self, now: dt.datetime, stale_after: dt.timedelta) -> str:
        """Return what the earner sees: an unfinished export stuck past ``stale_after`` failed."""
        if self.status in UNFINISHED and self.created_at <= now - stale_after:
            return "failed"
        if self.status == "ready" and self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return self.status

    def __repr__(self) -> str:
        return f"<DataExport {self.id} user={self.user_id} {self.status} {self.done}/{self.total}>"


# --- Bulk import (issue 4): a batch of files imported in the background -----------------------


class ImportBatch(Base):
    """Many badge files (or a zip of them) an earner uploaded at once, imported by a job."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: ``queued`` until the job starts, ``running``, then ``done`` when no item waits.
    status: Mapped[str] = mapped_column(String(20), default="queued")
    #: Until when the job that is importing holds the batch; another run of the job (jobs may
    #: run twice) leaves it alone until then, and resumes it after a crash.
    claimed_until: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]

    items: Mapped[list[ImportItem]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ImportItem.position"
    )


class ImportItem(Base):
    """One file of a bulk import and what happened to it."""

    __tablename__ = "import_items"
    __table_args__ = (
        UniqueConstraint("batch_id", "position", name="uq_import_items_batch_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"))
    #: Order in the upload (and in the zip).
    position: Mapped[int]
    #: The file's name, cleaned for display (see ``archive.display_name``).
    name: Mapped[str] = mapped_column(String(255))
    #: The bytes uploaded, until the file is processed; the award keeps its own original.
    data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    #: ``waiting``, then ``added``, ``duplicate``, ``refused`` (failed verification) or
    #: ``failed`` (could not be read or checked).
    status: Mapped[str] = mapped_column(String(20), default="waiting")
    award_id: Mapped[int | None] = mapped_column(
        ForeignKey("awards.id", ondelete="SET NULL"), index=True
    )
    #: Why a ``failed`` item failed (``Message.to_json()``), shown in the reader's language.
    message: Mapped[dict[str, t.Any] | None] = mapped_column(JSON)
    #: The verification report of a ``refused`` item (``Report.to_json(translatable=True)``).
    report: Mapped[dict[str, t.Any] | None] = mapped_column(JSON)
    processed_at: Mapped[dt.datetime | None]

    award: Mapped[Award | None] = relationship()
