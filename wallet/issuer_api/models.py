"""Tables of the issuer API: OAuth2 clients, their access tokens, and remembered requests.

Secrets are never stored: a client secret and an access token are random 32-byte values, kept as
their SHA-256 (a slow hash buys nothing against guessing 256 random bits) and compared in constant
time. The two classes implement the methods authlib's server calls on clients and tokens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import typing as t
import uuid

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from wallet.db import Base
from wallet.db import utcnow

if t.TYPE_CHECKING:
    from wallet.issuers.models import Issuer

#: The only grant the API knows: an issuer's system acting as itself.
GRANT_TYPE = "client_credentials"
#: How a client may present its secret at the token and revocation endpoints.
AUTH_METHODS = ("client_secret_basic", "client_secret_post")
#: Seconds an access token lives.
TOKEN_LIFETIME = 3600


def digest(secret: str) -> str:
    """Return the hex SHA-256 under which a secret or token is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiClient(Base):
    """An issuer's system allowed to call the API with its own id and secret."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Public identifier the client sends (``client_id``).
    client_id: Mapped[str] = mapped_column(
        String(40), unique=True, default=lambda: uuid.uuid4().hex
    )
    #: SHA-256 of the secret, shown once to whoever created the client.
    secret_hash: Mapped[str] = mapped_column(String(64))
    #: Scopes it may ask for.
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: When an admin revoked it; its tokens stop working at once.
    revoked_at: Mapped[dt.datetime | None]

    issuer: Mapped[Issuer] = relationship("Issuer")

    # --- authlib's ClientMixin ----------------------------------------------------------------

    def get_client_id(self) -> str:
        """Return the public client id."""
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        """Return None: client credentials never redirect."""
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        """Return the requested scopes this client holds (all of them when none was asked)."""
        if not scope:
            return " ".join(self.scopes)
        return " ".join(s for s in scope.split() if s in self.scopes)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Refuse every redirect URI."""
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        """Compare the presented secret with the stored hash in constant time."""
        return self.revoked_at is None and hmac.compare_digest(
            digest(client_secret), self.secret_hash
        )

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        """Accept the secret in a Basic header or in the form."""
        return method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        """Refuse every response type (no authorization endpoint)."""
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        """Accept only the client credentials grant."""
        return grant_type == GRANT_TYPE


class ApiToken(Base):
    """An access token handed to a client."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("api_clients.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the bearer token.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Space-separated scopes granted.
    scope: Mapped[str] = mapped_column(String(500), default="")
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_in: Mapped[int] = mapped_column(default=TOKEN_LIFETIME)
    revoked: Mapped[bool] = mapped_column(default=False)

    client: Mapped[ApiClient] = relationship()

    # --- authlib's TokenMixin -----------------------------------------------------------------

    def check_client(self, client: ApiClient) -> bool:
        """Return whether the token was issued to ``client``."""
        return self.client_id == client.id

    def get_scope(self) -> str:
        """Return the granted scopes."""
        return self.scope

    def get_expires_in(self) -> int:
        """Return the token's lifetime in seconds."""
        return self.expires_in

    def is_expired(self) -> bool:
        """Return whether the token's lifetime is over."""
        return utcnow() >= self.issued_at + dt.timedelta(seconds=self.expires_in)

    def is_revoked(self) -> bool:
        """Return whether the token, or its client, was revoked."""
        return self.revoked or self.client.revoked_at is not None


class ApiRequest(Base):
    """A request a client sent with an ``Idempotency-Key``, and the answer it got (kept a day)."""

    __tablename__ = "api_requests"
    __table_args__ = (UniqueConstraint("client_id", "key", name="uq_api_requests_client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    #: Which operation and SHA-256 of its body: the same key with another body is a conflict.
    fingerprint: Mapped[str] = mapped_column(String(120))
    status: Mapped[int]
    response: Mapped[dict[str, t.Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
