"""Tables of sharing: an earner's LinkedIn connection and the posts sent through it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from wallet.db import Base
from wallet.db import utcnow


class LinkedInConnection(Base):
    """An earner's permission to post on LinkedIn for them (one per earner)."""

    __tablename__ = "linkedin_connections"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    #: The member's id (the ID token's ``sub``): posts are authored by ``urn:li:person:<id>``.
    member_id: Mapped[str] = mapped_column(String(100))
    #: The member's name on LinkedIn, shown so the earner knows which account is connected.
    member_name: Mapped[str] = mapped_column(String(200), default="")
    #: The access token, sealed with the data keys (``wallet.sealing``); never stored in clear.
    sealed_token: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(String(200), default="")
    connected_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: LinkedIn gives no refresh token to self-serve apps: after this the earner reconnects.
    expires_at: Mapped[dt.datetime]

    def expired(self, now: dt.datetime) -> bool:
        """Say whether the token can no longer be used."""
        return now >= self.expires_at


class LinkedInPost(Base):
    """A post about an award the earner asked us to publish on LinkedIn, and how it went."""

    __tablename__ = "linkedin_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    #: The text as the earner wrote it (escaped for LinkedIn only when sent).
    text: Mapped[str] = mapped_column(Text)
    #: ``pending`` until the job ran, then ``posted`` or ``failed``.
    status: Mapped[str] = mapped_column(String(20), default="pending")
    #: The post's URN from LinkedIn's ``x-restli-id`` header.
    post_urn: Mapped[str | None] = mapped_column(String(200))
    #: Why it failed, as a code the page explains (``reconnect``, ``refused``, ``unreachable``...).
    error: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]

    @property
    def url(self) -> str | None:
        """Return the post's address on LinkedIn once it is posted."""
        if not self.post_urn:
            return None
        return f"https://www.linkedin.com/feed/update/{self.post_urn}/"
