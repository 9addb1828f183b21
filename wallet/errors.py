"""Domain errors raised by services. They carry no HTTP codes; ``wallet.web.errors`` maps them."""

from __future__ import annotations

from wallet.messages import Message


class WalletError(Exception):
    """Base of every error a service raises on purpose.

    :param message: a sentence the person who caused it can act on: already translated, or a
        ``Message`` (pure code cannot translate) that a report or a page translates when shown.
    :param field: the form field or JSON member the error is about, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = Message.of(message)
        self.field = field


class NotFound(WalletError):
    """The thing asked for does not exist, or the asker may not know that it does."""


class Forbidden(WalletError):
    """The asker is known but may not do this."""


class Invalid(WalletError):
    """The input is malformed or breaks a rule."""


class Conflict(WalletError):
    """The request clashes with the current state (a duplicate, a stale token)."""


class Gone(WalletError):
    """The thing asked for existed but is no longer available (an expired download)."""


class RateLimited(WalletError):
    """Too many attempts; try again later."""
