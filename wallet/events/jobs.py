"""Background jobs and which events start them.

A job receives the outbox event's id and payload. Jobs may run more than once for one event (the
relay and the queue deliver at least once), so each must be safe to repeat.
"""

from __future__ import annotations

import typing as t

from wallet.backpack import bulk_import
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


#: Every job, by its actor name.
JOBS: dict[str, Job] = {"send_mail": send_mail, "reverify_award": reverify_award}

#: The jobs each event type starts. An event type missing here starts nothing.
ROUTES: dict[str, tuple[str, ...]] = {"mail.requested": ("send_mail",)}


# --- Bulk import (issue 4) -----------------------------------------------------------------------


def run_import(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """Import the files of a bulk import that are still waiting (safe to run twice)."""
    with runtime.db.session() as session:
        bulk_import.run_batch(
            session,
            int(payload["batch_id"]),
            fetch=runtime.fetcher().get,
            fetch_image=runtime.http.get,
        )


JOBS["run_import"] = run_import
ROUTES["import.requested"] = ("run_import",)
