"""Tables of the accounts domain: users and their email addresses."""

from __future__ import annotations

import datetime as dt
import typing as t

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy import false
from sqlalchemy import literal_column
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from wallet.db import Base
from wallet.db import utcnow


class User(Base):
    """An earner's account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The public handle in ``/@handle``: lowercase letters, digits and hyphens, unique.
    handle: Mapped[str] = mapped_column(String(40), unique=True)
    #: The name shown on the earner's pages.
    display_name: Mapped[str] = mapped_column(String(120))
    #: One line under the name on the public profile ("Welder, Rotterdam"); empty by default.
    headline: Mapped[str] = mapped_column(String(160), default="", server_default="")
    #: Whether the earner chose to be found in the talent directory (off until they opt in).
    listed: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Bumped by every UPDATE of the row: part of the fingerprint of the earner's cached pages.
    revision: Mapped[int] = mapped_column(
        default=1, server_default="1", onupdate=literal_column("revision + 1")
    )
    #: Bumped by the database itself (triggers on ``awards``, migration 0017) whenever one of the
    #: earner's awards is added, changed or removed, however it was written: with ``revision``,
    #: the fingerprint of the earner's cached public pages, read in one indexed lookup.
    pages_revision: Mapped[int] = mapped_column(default=0, server_default="0")
    #: argon2id hash of the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Preferred interface language (``en``, ``es``); empty means "from the browser".
    locale: Mapped[str | None] = mapped_column(String(10))
    #: Bumped to sign the account out everywhere (password change, reset); part of the session id.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[dt.datetime | None]

    emails: Mapped[list[EmailAddress]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        order_by="EmailAddress.id",
        passive_deletes=True,
    )

    # Flask-Login reads these four members; they are plain Python, no Flask import needed.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        """Return the session id: changing ``session_version`` signs out every session."""
        return f"{self.id}:{self.session_version}"

    @property
    def primary_email(self) -> EmailAddress | None:
        """Return the address mail goes to."""
        return next((e for e in self.emails if e.is_primary), None)

    def __repr__(self) -> str:
        return f"<User {self.id} @{self.handle}>"


class EmailAddress(Base):
    """An email address an earner has added; awards sent to it become theirs once verified."""

    __tablename__ = "email_addresses"
    __table_args__ = (
        UniqueConstraint("user_id", "normalized", name="uq_email_addresses_user_normalized"),
        # A verified address belongs to one earner only; unverified claims may coexist so that
        # adding an address never reveals whether someone else has it.
        Index(
            "uq_email_addresses_verified",
            "normalized",
            unique=True,
            sqlite_where=text("verified_at IS NOT NULL"),
            postgresql_where=text("verified_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The address as the earner typed it.
    email: Mapped[str] = mapped_column(String(320))
    #: Lower-cased form used for matching.
    normalized: Mapped[str] = mapped_column(String(320), index=True)
    #: When the earner proved they receive mail there; None until then.
    verified_at: Mapped[dt.datetime | None]
    #: The address mail goes to; exactly one per user.
    is_primary: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="emails")

    @property
    def verified(self) -> bool:
        """Say whether the address has been verified."""
        return self.verified_at is not None

    def __repr__(self) -> str:
        return f"<EmailAddress {self.id} user={self.user_id} verified={self.verified}>"


class SocialAccount(Base):
    """An external account (LinkedIn, Google, GitHub, Microsoft) an earner signs in with.

    python-social-auth calls this a "user social auth"; ``wallet.accounts.social_storage`` adapts
    it. No provider token is kept: signing in needs none after the callback.
    """

    __tablename__ = "social_accounts"
    __table_args__ = (UniqueConstraint("provider", "uid", name="uq_social_accounts_provider_uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The social-core backend name, e.g. ``google-oauth2``.
    provider: Mapped[str] = mapped_column(String(32))
    #: The account's id at the provider.
    uid: Mapped[str] = mapped_column(String(255))
    #: What the provider said about the account when it was linked (no tokens).
    extra_data: Mapped[dict[str, t.Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SocialNonce(Base):
    """A one-time value of a social sign-in (OAuth ``state``, OpenID Connect nonce)."""

    __tablename__ = "social_nonces"
    __table_args__ = (
        UniqueConstraint("server_url", "timestamp", "salt", name="uq_social_nonces_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    server_url: Mapped[str] = mapped_column(String(255))
    timestamp: Mapped[int]
    salt: Mapped[str] = mapped_column(String(65))
