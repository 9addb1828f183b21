"""python-social-auth's storage on our tables, bound to one SQLAlchemy session. No Flask.

social-core 7 asks its storage for users, their linked accounts ("user social auth") and one-time
values (the OAuth ``state``, consumed atomically so a replayed callback fails). We keep no
provider tokens: signing in needs none once the callback is done, so ``extra_data`` holds only
what the provider said about the account (name, email, whether it verified the email).
``social-auth-app-flask`` would do this for Flask but fails with social-core 6 and later.
"""

from __future__ import annotations

import typing as t

from social_core.storage import AssociationMixin
from social_core.storage import BaseStorage
from social_core.storage import CodeMixin
from social_core.storage import NonceMixin
from social_core.storage import PartialMixin
from social_core.storage import UserMixin
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wallet.accounts import queries
from wallet.accounts.models import SocialAccount
from wallet.accounts.models import SocialNonce
from wallet.accounts.models import User

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: What may be kept from a provider's answer about an account (never tokens).
KEPT_DETAILS = ("name", "email", "email_verified", "login", "username")


class LinkedAccount(UserMixin):
    """A ``SocialAccount`` row as social-core sees it."""

    session: t.ClassVar[Session]

    def __init__(self, row: SocialAccount) -> None:
        self.row = row
        self.id = row.id
        self.provider = row.provider
        self.uid = row.uid
        self.extra_data = dict(row.extra_data or {})

    @property
    def user(self) -> User:  # type: ignore[override]
        """Return the earner the account belongs to."""
        return self.session.get_one(User, self.row.user_id)

    def save(self) -> None:
        """Keep the account's details (tokens are dropped)."""
        self.row.extra_data = {k: v for k, v in self.extra_data.items() if k in KEPT_DETAILS}
        self.session.commit()

    @classmethod
    def _wrap(cls, row: SocialAccount | None) -> LinkedAccount | None:
        return cls(row) if row is not None else None

    @classmethod
    def changed(cls, user: t.Any) -> None:
        """Write the earner's changes."""
        cls.session.flush()

    @classmethod
    def get_username(cls, user: t.Any) -> str:
        """Return the earner's handle (our "username")."""
        return str(user.handle)

    @classmethod
    def user_model(cls) -> type[User]:  # type: ignore[override]
        """Return the earner model."""
        return User

    @classmethod
    def username_max_length(cls) -> int:
        """Return the longest handle."""
        return 40

    @classmethod
    def user_exists(cls, *args: t.Any, **kwargs: t.Any) -> bool:
        """Say whether an earner has the handle ``username``."""
        return queries.handle_taken(cls.session, str(kwargs.get("username", "")))

    @classmethod
    def create_user(cls, *args: t.Any, **kwargs: t.Any) -> User:
        """Not used: ``wallet.accounts.social_pipeline`` creates earners by our rules."""
        raise NotImplementedError("earners are created by social_pipeline.link_or_create")

    @classmethod
    def get_user(cls, pk: t.Any) -> User | None:
        """Return the earner with id ``pk``."""
        return cls.session.get(User, int(pk)) if str(pk).isdigit() else None

    @classmethod
    def get_users_by_email(cls, email: str) -> list[User]:
        """Return the earner who verified ``email`` (an unverified claim never counts)."""
        owner = queries.user_with_verified_email(cls.session, email)
        return [owner] if owner is not None else []

    @classmethod
    def get_social_auth(
        cls, provider: str, uid: str, id_key: str | None = None
    ) -> LinkedAccount | None:
        """Return the linked account ``uid`` of ``provider``."""
        return cls._wrap(
            cls.session.scalar(
                select(SocialAccount).where(
                    SocialAccount.provider == provider, SocialAccount.uid == str(uid)
                )
            )
        )

    @classmethod
    def get_social_auth_by_extra_data(
        cls, provider: str, key: str, value: str, id_key: str = ""
    ) -> None:
        """No legacy identifiers are kept: nothing matches."""
        return None

    @classmethod
    def get_social_auth_for_user(
        cls, user: t.Any, provider: str | None = None, id: int | None = None
    ) -> list[LinkedAccount]:
        """Return the earner's linked accounts."""
        query = select(SocialAccount).where(SocialAccount.user_id == user.id)
        if provider is not None:
            query = query.where(SocialAccount.provider == provider)
        if id is not None:
            query = query.where(SocialAccount.id == id)
        return [cls(row) for row in cls.session.scalars(query.order_by(SocialAccount.id))]

    @classmethod
    def create_social_auth(
        cls, user: t.Any, uid: str, provider: str, id_key: str = ""
    ) -> LinkedAccount:
        """Link an external account to the earner (with the earner, if just created)."""
        row = SocialAccount(user_id=user.id, provider=provider, uid=str(uid), extra_data={})
        cls.session.add(row)
        try:
            cls.session.commit()
        except IntegrityError:
            cls.session.rollback()
            raise
        return cls(row)

    @classmethod
    def migrate_social_auth(
        cls, social: t.Any, uid: str, id_key: str, *, evidence_key: str | None = None
    ) -> t.Any:
        """No legacy identifiers are kept, so nothing is migrated."""
        raise NotImplementedError("no legacy identifiers")

    @classmethod
    def allowed_to_disconnect(
        cls, user: t.Any, backend_name: str, association_id: t.Any = None
    ) -> bool:
        """Unlinking goes through ``social_service.unlink``, which keeps one way to sign in."""
        return False

    @classmethod
    def disconnect(cls, entry: t.Any) -> None:
        """Unlinking goes through ``social_service.unlink``."""
        raise NotImplementedError("use social_service.unlink")


class Nonces(NonceMixin):
    """One-time values: the OAuth ``state`` of each sign-in, consumed once."""

    session: t.ClassVar[Session]

    @classmethod
    def use(cls, server_url: str, timestamp: t.Any, salt: str) -> bool:
        """Store a value; False if it exists already."""
        cls.session.add(SocialNonce(server_url=server_url, timestamp=int(timestamp), salt=salt))
        try:
            cls.session.commit()
        except IntegrityError:
            cls.session.rollback()
            return False
        return True

    @classmethod
    def get(cls, server_url: str, salt: str) -> SocialNonce | None:
        """Return a stored value."""
        return cls.session.scalar(
            select(SocialNonce).where(
                SocialNonce.server_url == server_url, SocialNonce.salt == salt
            )
        )

    @classmethod
    def delete(cls, nonce: t.Any) -> None:
        """Forget a stored value."""
        cls.session.delete(nonce)
        cls.session.commit()

    @classmethod
    def consume(cls, server_url: str, timestamp: int, salt: str) -> bool:
        """Delete a value atomically; True only for the one caller that deleted it."""
        result = cls.session.execute(
            delete(SocialNonce).where(
                SocialNonce.server_url == server_url,
                SocialNonce.timestamp == int(timestamp),
                SocialNonce.salt == salt,
            )
        )
        cls.session.commit()
        return bool(getattr(result, "rowcount", 0) == 1)


class NoPartials(PartialMixin):
    """Our pipeline never pauses, so there is never a partial pipeline to resume."""

    @classmethod
    def load(cls, token: str) -> None:
        """Find nothing."""
        return None

    @classmethod
    def destroy(cls, token: str) -> None:
        """Nothing to destroy."""


def storage_for(session: Session) -> type[BaseStorage]:
    """Return a social-core storage working in ``session``."""

    class BoundLinkedAccount(LinkedAccount):
        pass

    class BoundNonces(Nonces):
        pass

    BoundLinkedAccount.session = session
    BoundNonces.session = session

    class Storage(BaseStorage):
        user = BoundLinkedAccount  # type: ignore[assignment]
        nonce = BoundNonces
        association = AssociationMixin
        code = CodeMixin
        partial = NoPartials

        @classmethod
        def is_integrity_error(cls, exception: BaseException) -> bool:
            return isinstance(exception, IntegrityError)

    return Storage
