"""The catalog of events: small frozen dataclasses with past-tense or request names.

Pure module: no Flask, no database session. Each event has a dotted ``type``, a payload
``version``, and turns into a JSON-safe payload with ``to_payload``.
"""

from __future__ import annotations

import dataclasses
import typing as t


@dataclasses.dataclass(frozen=True)
class Event:
    """Base of every event."""

    #: Dotted name such as ``mail.requested``; stable, part of the public contract.
    type: t.ClassVar[str]
    #: Version of the payload's shape.
    version: t.ClassVar[int] = 1

    def to_payload(self) -> dict[str, t.Any]:
        """Return the event's fields as JSON-safe data."""
        return dataclasses.asdict(self)

    @property
    def user_id(self) -> int | None:
        """Return the earner the event is about, if any (used to erase their data)."""
        value = getattr(self, "about_user_id", None)
        return value if isinstance(value, int) else None


@dataclasses.dataclass(frozen=True)
class MailRequested(Event):
    """An email should be sent once the transaction that asked for it has committed."""

    type: t.ClassVar[str] = "mail.requested"

    to: str
    subject: str
    text: str
    html: str | None = None
    #: The earner the mail is about (not always its recipient's account).
    about_user_id: int | None = None


#: Every event type, by its dotted name.
EVENT_TYPES: dict[str, type[Event]] = {cls.type: cls for cls in (MailRequested,)}


# --- Bulk import (issue 4) -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ImportRequested(Event):
    """An earner uploaded many badge files at once; the job imports them one by one."""

    type: t.ClassVar[str] = "import.requested"

    batch_id: int
    about_user_id: int | None = None


EVENT_TYPES[ImportRequested.type] = ImportRequested
