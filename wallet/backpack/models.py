"""Tables of the backpack: awards held by earners."""

from __future__ import annotations

import datetime as dt
import typing as t

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import LargeBinary
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from wallet.db import Base
from wallet.db import utcnow


class Award(Base):
    """A credential an earner holds: the original, untouched, and what we derived from it."""

    __tablename__ = "awards"
    __table_args__ = (
        # The same credential imported twice is a duplicate, whatever form it came in.
        UniqueConstraint("user_id", "credential_id", name="uq_awards_user_credential"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The original bytes exactly as received (JSON, JWS/JWT text, or a baked image).
    original: Mapped[bytes] = mapped_column(LargeBinary)
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
    #: ``private`` until the earner makes it public (issue 4 adds the other states).
    visibility: Mapped[str] = mapped_column(String(20), default="private")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def state(self, now: dt.datetime | None = None) -> str:
        """Return what the earner must see first: revoked, expired, or the last verification."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= (now or utcnow()):
            return "expired"
        return self.verification_status

    def __repr__(self) -> str:
        return f"<Award {self.id} user={self.user_id} {self.achievement_name!r}>"


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
