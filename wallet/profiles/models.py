"""Tables of the employer side: links an earner hands to an employer."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from wallet.db import Base
from wallet.db import utcnow


class ShareLink(Base):
    """A named, expiring link showing an employer exactly the awards or skills the earner chose.

    The awards shown are the earner's explicit choice, so they show even if private; nothing
    else of the earner's ever does. Only the SHA-256 of the link's token is stored.
    """

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The earner's name for it ("Acme application"); shown to the employer too.
    name: Mapped[str] = mapped_column(String(120))
    #: SHA-256 (hex) of the token in the link; the token itself is shown to the earner once.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: ``awards`` (the chosen awards and their skills) or ``skills`` (only the chosen skills).
    kind: Mapped[str] = mapped_column(String(20), default="awards")
    #: Ids of the awards behind the link, frozen when it was made (for skills: those backing them).
    award_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: Keys of the chosen skills (``skills.Skill.key``) for a ``skills`` link; empty otherwise.
    skill_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    #: How many times the link was opened, and when last.
    opens: Mapped[int] = mapped_column(default=0)
    last_opened_at: Mapped[dt.datetime | None]

    def state(self, now: dt.datetime) -> str:
        """Return ``revoked``, ``expired`` or ``active``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "active"

    def __repr__(self) -> str:
        return f"<ShareLink {self.id} user={self.user_id} {self.name!r}>"
