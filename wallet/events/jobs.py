"""Background jobs and which events start them.

A job receives the outbox event's id and payload. Jobs may run more than once for one event (the
relay and the queue deliver at least once), so each must be safe to repeat.
"""

from __future__ import annotations

import typing as t

from wallet.backpack import export_service as exports
from wallet.backpack import service as backpack
from wallet.events import mail

if t.TYPE_CHECKING:
    from wallet.runtime import Runtime

#: A job: (runtime, event id, payload) -> None.
Job = t.Callable[["Runtime", str, dict[str, t.Any]], None]


def send_mail(runtime: Runtime, event_id: str, payload: dict[str, t.Any]) -> None:
    """Send the mail a ``mail.requested`` event describes."""
    outgoing = mail.OutgoingMail(
        to=payload["to"],
        subject=payload["subject"],
        text=payload["text"],
        html=payload.get("html"),
        event_id=event_id,
    )
    mail.deliver(runtime.config.mail, outgoing)


def reverify_award(runtime: Runtime, _key: str, payload: dict[str, t.Any]) -> None:
    """Verify an award again (enqueued by the scheduler, not by an event)."""
    with runtime.db.session() as session:
        backpack.reverify_award(
            session,
            int(payload["award_id"]),
            fetch=runtime.fetcher().get,
            base_url=runtime.config.base_url,
        )


def build_export(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """Build the zip an ``export.requested`` event asks for, then mail its earner the link."""
    with runtime.db.session() as session:
        exports.build_export(session, int(payload["export_id"]), runtime.config.base_url)


#: Every job, by its actor name.
JOBS: dict[str, Job] = {
    "send_mail": send_mail,
    "reverify_award": reverify_award,
    "build_export": build_export,
}

#: The jobs each event type starts. An event type missing here starts nothing.
ROUTES: dict[str, tuple[str, ...]] = {
    "mail.requested": ("send_mail",),
    "export.requested": ("build_export",),
}
