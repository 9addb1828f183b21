"""Tables of the backpack: awards held by earners."""

from __future__ import annotations

import datetime as dt
import typing as t

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import LargeBinary
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
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
