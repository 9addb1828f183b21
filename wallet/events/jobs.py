"""Background jobs and which events start them.

A job receives the outbox event's id and payload. Jobs may run more than once for one event (the
relay and the queue deliver at least once), so each must be safe to repeat.
"""

from __future__ import annotations

import typing as t

from wallet.backpack import bulk_import
from wallet.backpack import export_service as exports
from wallet.backpack import service as backpack
from wallet.engagement import delivery as webhooks
from wallet.events import mail
from wallet.issuers import awarding
from wallet.issuers import csv_awarding
from wallet.issuers.publishing import own_documents_first
from wallet.pathways import milestones
from wallet.sharing import posting
from wallet.surveys import inviting

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.badges.checks import Fetch
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


def _verifier_fetch(session: Session, runtime: Runtime, *, fresh: bool = False) -> Fetch:
    """Return the fetch verification uses in jobs: our own published documents from the
    database, everything else through the Redis cache (or straight from the issuer, ``fresh``)."""
    fallback = runtime.http.get if fresh else runtime.fetcher().get
    return own_documents_first(session, runtime.config, fallback)


def reverify_award(runtime: Runtime, _key: str, payload: dict[str, t.Any]) -> None:
    """Verify an award again (enqueued by the scheduler, not by an event)."""
    with runtime.db.session() as session:
        backpack.reverify_award(
            session,
            int(payload["award_id"]),
            fetch=_verifier_fetch(session, runtime),
            base_url=runtime.config.base_url,
        )


def deliver_award(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """Put a just-issued award in its earner's wallet, or mail them how to claim it."""
    with runtime.db.session() as session:
        awarding.deliver(
            session,
            int(payload["issued_award_id"]),
            base_url=runtime.config.base_url,
            fetch=_verifier_fetch(session, runtime),
        )


def deliver_awards(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """Deliver each award of an API batch (each in its own transaction; safe to repeat)."""
    with runtime.db.session() as session:
        fetch = _verifier_fetch(session, runtime)
        for issued_award_id in awarding.issued_award_ids(session, payload["public_ids"]):
            awarding.deliver(
                session, issued_award_id, base_url=runtime.config.base_url, fetch=fetch
            )


def claim_awards(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """Deliver the awards issued to an address its earner just verified."""
    with runtime.db.session() as session:
        awarding.claim_for(
            session,
            str(payload["email"]),
            base_url=runtime.config.base_url,
            fetch=_verifier_fetch(session, runtime),
        )


def recheck_held_copies(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """Verify again every wallet's copy of an award its issuer revoked, so each shows revoked."""
    with runtime.db.session() as session:
        for award_id in awarding.held_copies(
            session, int(payload["issued_award_id"]), runtime.config.base_url
        ):
            backpack.reverify_award(
                session,
                award_id,
                fetch=_verifier_fetch(session, runtime, fresh=True),
                base_url=runtime.config.base_url,
            )


def update_held_copies(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """Give every wallet holding an award its issuer's new version (a new expiry), verified."""
    with runtime.db.session() as session:
        original = awarding.published_original(session, int(payload["issued_award_id"]))
        if original is None:
            return
        for award_id in awarding.held_copies(
            session, int(payload["issued_award_id"]), runtime.config.base_url
        ):
            backpack.take_new_version(
                session,
                award_id,
                original,
                fetch=_verifier_fetch(session, runtime, fresh=True),
                base_url=runtime.config.base_url,
            )


def build_export(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """Build the zip an ``export.requested`` event asks for, then mail its earner the link."""
    with runtime.db.session() as session:
        exports.build_export(session, int(payload["export_id"]), runtime.config.base_url)


def run_import(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """Import the files of a bulk import that are still waiting (safe to run twice)."""
    with runtime.db.session() as session:
        bulk_import.run_batch(
            session,
            int(payload["batch_id"]),
            fetch=_verifier_fetch(session, runtime),
            fetch_image=runtime.http.get,
        )


def run_award_upload(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """Award the rows of an issuer's CSV upload that still wait (safe to run twice)."""
    with runtime.db.session() as session:
        csv_awarding.run_upload(
            session,
            int(payload["upload_id"]),
            base_url=runtime.config.base_url,
            data_keys=runtime.config.data_keys,
        )


def invite_to_surveys(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """Invite the earner of a just-accepted award to the surveys asking about it."""
    with runtime.db.session() as session:
        inviting.invite_after_acceptance(
            session, int(payload["award_id"]), base_url=runtime.config.base_url
        )


def invite_to_pathway_surveys(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """Invite an earner who completed a pathway to the surveys that ask on completion."""
    if payload.get("about_user_id") is None:
        return
    with runtime.db.session() as session:
        inviting.invite_after_pathway(
            session,
            int(payload["pathway_id"]),
            int(payload["about_user_id"]),
            base_url=runtime.config.base_url,
        )


def evaluate_pathways(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """See how far an earner whose held awards changed is along each published pathway; award
    the milestone badge of one they completed (once, however often this runs)."""
    if payload.get("about_user_id") is None:
        return
    with runtime.db.session() as session:
        milestones.evaluate(
            session,
            int(payload["about_user_id"]),
            award_id=int(payload["award_id"]) if payload.get("award_id") else None,
            base_url=runtime.config.base_url,
            data_keys=runtime.config.data_keys,
        )


def post_to_linkedin(runtime: Runtime, _event_id: str, payload: dict[str, t.Any]) -> None:
    """Publish an earner's post about an award on LinkedIn and record the outcome."""
    with runtime.db.session() as session:
        posting.publish_post(session, runtime.http, runtime.config, int(payload["post_id"]))


def deliver_webhook(runtime: Runtime, _message_id: str, payload: dict[str, t.Any]) -> None:
    """POST webhook deliveries to one endpoint once each, in order, and log them (enqueued by
    the webhook dispatcher; a delivery no longer pending is skipped, so running twice is safe)."""
    ids = payload.get("delivery_ids") or [payload["delivery_id"]]
    with runtime.db.session() as session:
        webhooks.attempt_all(session, runtime, [int(i) for i in ids])


#: Every job, by its actor name.
JOBS: dict[str, Job] = {
    "send_mail": send_mail,
    "reverify_award": reverify_award,
    "build_export": build_export,
    "deliver_award": deliver_award,
    "deliver_awards": deliver_awards,
    "claim_awards": claim_awards,
    "recheck_held_copies": recheck_held_copies,
    "update_held_copies": update_held_copies,
    "run_import": run_import,
    "run_award_upload": run_award_upload,
    "invite_to_surveys": invite_to_surveys,
    "evaluate_pathways": evaluate_pathways,
    "invite_to_pathway_surveys": invite_to_pathway_surveys,
    "post_to_linkedin": post_to_linkedin,
    "deliver_webhook": deliver_webhook,
}

#: The jobs each event type starts. An event type missing here starts nothing.
ROUTES: dict[str, tuple[str, ...]] = {
    "mail.requested": ("send_mail",),
    "export.requested": ("build_export",),
    "award.created": ("deliver_award",),
    "awards.created": ("deliver_awards",),
    "award.updated": ("update_held_copies",),
    "email.verified": ("claim_awards",),
    "award.revoked": ("recheck_held_copies",),
    "import.requested": ("run_import",),
    "awards.upload_requested": ("run_award_upload",),
    "award.accepted": ("invite_to_surveys", "evaluate_pathways"),
    "award.imported": ("evaluate_pathways",),
    "pathway.completed": ("invite_to_pathway_surveys",),
    "linkedin.post_requested": ("post_to_linkedin",),
}
