"""Pages of the backpack (blueprint ``backpack``)."""

from __future__ import annotations

import math
import typing as t
from dataclasses import dataclass

from flask import Blueprint
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from wallet import errors
from wallet.backpack import archive
from wallet.backpack import bulk_import
from wallet.backpack import forms
from wallet.backpack import queries
from wallet.backpack import service
from wallet.backpack.models import Award
from wallet.badges.report import Report
from wallet.issuers.publishing import own_documents_first
from wallet.messages import Message
from wallet.pathways import queries as pathway_queries
from wallet.pathways import recommendation_service
from wallet.surveys import queries as survey_queries
from wallet.web import context
from wallet.web.auth import login_required
from wallet.web.ratelimit import rate_limit

bp = Blueprint("backpack", __name__)

Page = str | Response | tuple[str, int]
#: Largest file accepted for import.
MAX_UPLOAD = 5 * 1024 * 1024


@bp.get("/wallet")
@login_required
def awards() -> str:
    """Show the earner's awards, filtered, searched and sorted, a page at a time."""
    page = request.args.get("page", 1, type=int) or 1
    args = request.args
    filters = queries.Filters(
        q=args.get("q", "").strip()[:100],
        issuer=args.get("issuer", ""),
        type=args.get("type", ""),
        skill=args.get("skill", ""),
        tag=args.get("tag", ""),
        state=args.get("state", ""),
        acceptance="declined" if args.get("show") == "declined" else "accepted",
        sort=args.get("sort", "newest") if args.get("sort") in queries.SORTS else "newest",
    )
    session = context.db_session()
    user_id = t.cast("int", current_user.id)
    items, total = queries.awards_page(session, user_id, page, filters)
    pages = max(1, math.ceil(total / queries.PAGE_SIZE))
    recommended = []
    if filters.acceptance == "accepted" and not filters.active and page == 1:
        recommended = recommendation_service.show(
            session,
            context.runtime().redis.client(),
            user_id,
            base_url=context.config().base_url,
        )
    return render_template(
        "backpack/awards.html",
        awards=items,
        total=total,
        page=min(page, pages),
        pages=pages,
        filters=filters,
        facets=queries.facets(session, user_id),
        pending=queries.pending_awards(session, user_id)
        if filters.acceptance == "accepted"
        else [],
        sorts=SORT_NAMES,
        states=STATE_NAMES,
        earner_pathways=pathway_queries.earner_pathways(session, user_id)
        if filters.acceptance == "accepted" and page == 1
        else [],
        recommended=recommended,
    )


#: How each sort and state is named in the filter form.
SORT_NAMES = {
    "newest": _l("Newest first"),
    "oldest": _l("Oldest first"),
    "name": _l("Name, A to Z"),
    "added": _l("Recently added"),
    "expiring": _l("Expiring soonest"),
}
STATE_NAMES = {
    "valid": _l("Verified"),
    "unverifiable": _l("Could not be checked"),
    "invalid": _l("Failed verification"),
    "expired": _l("Expired"),
    "revoked": _l("Revoked"),
}


@dataclass
class Outcome:
    """What happened to one file (or the pasted text) of an import."""

    label: str
    award: Award | None = None
    report: Report | None = None
    problem: str = ""


@bp.route("/wallet/import", methods=["GET", "POST"])
@login_required
def import_award() -> Page:
    """Import badges from files, pasted text or a link, verifying each first."""
    form = forms.ImportForm()
    if not form.validate_on_submit():
        return render_template("backpack/import.html", form=form), 400 if form.errors else 200
    uploads = [upload for upload in form.files.data or [] if upload and upload.filename]
    text = (form.text.data or "").strip()
    if not uploads and not text:
        form.text.errors = [*form.text.errors, _("Choose a file, or paste a badge or its link.")]
        return render_template("backpack/import.html", form=form), 400
    if _is_bulk(uploads):
        return _start_bulk_import(form, uploads, text)
    items: list[tuple[str, bytes | str]] = [
        (upload.filename, upload.read(MAX_UPLOAD + 1)) for upload in uploads
    ]
    if text:
        items.append((_("The pasted text"), text))
    outcomes = [_import_one(label, data) for label, data in items]
    if len(outcomes) > 1:
        added = sum(outcome.award is not None for outcome in outcomes)
        flash(
            _("%(added)d of %(count)d badges added.", added=added, count=len(outcomes)),
            "success" if added == len(outcomes) else "info",
        )
        return render_template("backpack/import.html", form=form, outcomes=outcomes)
    outcome = outcomes[0]
    if outcome.award is not None:
        flash(_("The badge is in your wallet."), "success")
        return redirect(url_for("backpack.award", award_id=outcome.award.id))
    if outcome.report is not None:
        return render_template("backpack/import.html", form=form, report=outcome.report), 400
    if outcome.problem == TOO_LARGE:
        form.files.errors = [*form.files.errors, _("The file is larger than 5 MB.")]
        return render_template("backpack/import.html", form=form), 413
    flash(outcome.problem, "info")
    return render_template("backpack/import.html", form=form), 409


#: ``Outcome.problem`` of a file over ``MAX_UPLOAD``.
TOO_LARGE = "too-large"


def _import_one(label: str, data: bytes | str) -> Outcome:
    if len(data) > MAX_UPLOAD:
        return Outcome(label, problem=TOO_LARGE)
    user_id = t.cast("int", current_user.id)
    try:
        award, report = service.import_award(
            context.db_session(),
            user_id,
            data,
            fetch=own_documents_first(
                context.db_session(), context.config(), context.runtime().fetcher().get
            ),
            fetch_image=context.runtime().http.get,
        )
    except errors.Conflict as error:
        return Outcome(label, problem=error.message)
    return Outcome(label, award=award, report=None if award else report)


@bp.get("/wallet/awards/<int:award_id>")
@login_required
def award(award_id: int) -> str:
    """Show everything about one award: details, checks, and what the earner can do with it."""
    session = context.db_session()
    user_id = t.cast("int", current_user.id)
    item = service.get_award(session, user_id, award_id)
    note_form = forms.NoteForm(note=item.note, tags=", ".join(tag.tag for tag in item.tags))
    add_form = forms.AddToCollectionForm()
    held = queries.collections_holding(session, item.id)
    mine = queries.collections_of(session, user_id)
    add_form.collection.choices = [
        SelectChoice(str(c.id), c.name) for c in mine if c.id not in held
    ]
    return render_template(
        "backpack/award.html",
        award=item,
        note_form=note_form,
        add_form=add_form,
        in_collections=[c for c in mine if c.id in held],
        survey=survey_queries.open_invitation_for_award(session, user_id, item.id),
        earner_pathways=pathway_queries.earner_pathways(session, user_id, iri=item.achievement_iri),
    )


@bp.post("/wallet/awards/<int:award_id>/visibility")
@login_required
def visibility(award_id: int) -> Page:
    """Make an award public or private; going private is confirmed first (links stop working)."""
    session = context.db_session()
    user_id = t.cast("int", current_user.id)
    wanted = request.form.get("visibility", "")
    item = service.get_award(session, user_id, award_id)
    if wanted == "private" and item.visibility == "public" and not request.form.get("confirm"):
        return render_template("backpack/confirm_private.html", award=item)
    try:
        service.set_visibility(session, user_id, award_id, wanted)
    except (errors.Invalid, errors.Conflict) as error:
        flash(error.message, "error")
    else:
        flash(
            _("The badge is public: anyone with its link can see it and its checks.")
            if wanted == "public"
            else _("The badge is private: only you can see it."),
            "success",
        )
    return redirect(url_for("backpack.award", award_id=award_id))


@bp.post("/wallet/awards/<int:award_id>/notes")
@login_required
def notes(award_id: int) -> Page:
    """Keep the earner's own note and tags."""
    form = forms.NoteForm()
    user_id = t.cast("int", current_user.id)
    if form.validate_on_submit():
        try:
            service.annotate(
                context.db_session(),
                user_id,
                award_id,
                note=form.note.data or "",
                tags=form.tags.data or "",
            )
        except errors.Invalid as error:
            flash(error.message, "error")
        else:
            flash(_("Your note and tags are saved."), "success")
    else:
        service.get_award(context.db_session(), user_id, award_id)
        flash(_("The note or the tags are too long."), "error")
    return redirect(url_for("backpack.award", award_id=award_id) + "#notes")


@bp.post("/wallet/awards/<int:award_id>/accept")
@login_required
def accept(award_id: int) -> Response:
    """Accept an award an issuer sent, or take back a decline."""
    user_id = t.cast("int", current_user.id)
    service.accept_award(context.db_session(), user_id, award_id)
    flash(_("The badge is in your wallet."), "success")
    return redirect(url_for("backpack.award", award_id=award_id))


@bp.post("/wallet/awards/<int:award_id>/decline")
@login_required
def decline(award_id: int) -> Response:
    """Decline an award an issuer sent; it can be taken back for 30 days."""
    user_id = t.cast("int", current_user.id)
    service.decline_award(context.db_session(), user_id, award_id)
    flash(
        _("The badge was declined. You can take it back from Declined badges for 30 days."),
        "success",
    )
    return redirect(url_for("backpack.awards"))


@bp.route("/wallet/awards/<int:award_id>/delete", methods=["GET", "POST"])
@login_required
def delete(award_id: int) -> Page:
    """Ask, then delete an award from the wallet (the issuer's copy is untouched)."""
    session = context.db_session()
    user_id = t.cast("int", current_user.id)
    item = service.get_award(session, user_id, award_id)
    if request.method == "GET":
        return render_template("backpack/confirm_delete.html", award=item)
    service.delete_award(session, user_id, award_id)
    flash(_("The badge was deleted from your wallet."), "success")
    return redirect(url_for("backpack.awards"))


@bp.get("/wallet/awards/<int:award_id>/original")
@login_required
def original(award_id: int) -> Response:
    """Download the credential exactly as it was received."""
    item = service.get_award(context.db_session(), t.cast("int", current_user.id), award_id)
    extension = ORIGINAL_EXTENSIONS.get(item.original_type, "txt")
    return _attachment(item.original, item.original_type, f"badge-{item.id}.{extension}")


@bp.get("/wallet/awards/<int:award_id>/image")
@login_required
def image(award_id: int) -> Response:
    """The award's picture, for its owner."""
    session = context.db_session()
    item = service.get_award(session, t.cast("int", current_user.id), award_id)
    return picture_response(service.award_picture(session, item), item.id)


@bp.get("/a/<public_id>/image")
def public_image(public_id: str) -> Response:
    """The picture of a public award."""
    viewer = t.cast("int", current_user.id) if current_user.is_authenticated else None
    session = context.db_session()
    item = service.public_award(session, public_id, viewer)
    return picture_response(service.award_picture(session, item), item.id)


#: File extensions of downloaded originals, by media type.
ORIGINAL_EXTENSIONS = {
    "image/png": "png",
    "image/svg+xml": "svg",
    "application/json": "json",
    "text/plain": "jwt",
}


def picture_response(picture: tuple[str, bytes] | None, award_id: int) -> Response:
    """Serve an award picture; an SVG only as an image, never as a document that could run."""
    if picture is None:
        raise errors.NotFound(_("This badge has no picture."))
    media_type, data = picture
    response = Response(data, mimetype=media_type)
    response.headers["Cache-Control"] = "private, max-age=3600"
    if media_type == "image/svg+xml":
        # Opened directly it downloads; in <img> no script runs; sandboxed if anything renders it.
        response.headers["Content-Disposition"] = f'attachment; filename="badge-{award_id}.svg"'
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        )
    return response


def _attachment(data: bytes, media_type: str, filename: str) -> Response:
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/wallet/awards/<int:award_id>/recheck")
@login_required
@rate_limit(lambda: "10 per minute;60 per hour")
def recheck(award_id: int) -> Response:
    """Verify an award again now, fetching everything fresh from its issuer."""
    user_id = t.cast("int", current_user.id)
    service.recheck_award(
        context.db_session(),
        user_id,
        award_id,
        fetch=own_documents_first(
            context.db_session(), context.config(), context.runtime().http.get
        ),
        base_url=context.config().base_url,
    )
    flash(_("Checked again just now."), "success")
    return redirect(url_for("backpack.award", award_id=award_id))


# --- Bulk import (issue 4): a zip, or more files than one request checks, imported by a job -----


def _is_bulk(uploads: list[FileStorage]) -> bool:
    """Return whether the upload goes to the background: a zip, or more than a handful of files."""
    if len(uploads) > forms.MAX_FILES:
        return True
    for upload in uploads:
        head = upload.stream.read(4)
        upload.stream.seek(0)
        if archive.looks_like_zip(upload.filename or "", head):
            return True
    return False


def _start_bulk_import(form: forms.ImportForm, uploads: list[FileStorage], text: str) -> Page:
    """Store the files as a batch the job imports, and show its page (its progress and results)."""
    if len(uploads) > archive.MAX_FILES:
        # Refused before any file is read.
        message = _("Choose at most %(count)d files at once.", count=archive.MAX_FILES)
        form.files.errors = [*form.files.errors, message]
        return render_template("backpack/import.html", form=form), 400
    # Read whole: a zip may be larger than one badge (the request size cap bounds it).
    files = [(upload.filename or "", upload.read()) for upload in uploads]
    if text:
        files.append((_("The pasted text"), text.encode()))
    try:
        batch = bulk_import.start_batch(context.db_session(), t.cast("int", current_user.id), files)
    except errors.Invalid as error:
        form.files.errors = [*form.files.errors, _say(error.message)]
        status = 413 if isinstance(error, bulk_import.TooLarge) else 400
        return render_template("backpack/import.html", form=form), status
    return redirect(url_for("backpack.import_batch", batch_id=batch.id))


def _say(message: str) -> str:
    """Return a ``Message`` (or its stored JSON) in the reader's language."""
    return Message.of(message).render(gettext)


def _said(stored: dict[str, t.Any] | None) -> str:
    return Message.from_json(stored).render(gettext) if stored else ""


@bp.get("/wallet/import/<int:batch_id>")
@login_required
def import_batch(batch_id: int) -> str:
    """Show a bulk import: how far it has come and what happened to each file."""
    session = context.db_session()
    batch = bulk_import.batch_for_owner(session, t.cast("int", current_user.id), batch_id)
    return render_template(
        "backpack/import_batch.html",
        batch=batch,
        progress=bulk_import.progress(session, batch),
        items=bulk_import.items_of(session, batch),
        say=_said,
    )


@bp.get("/wallet/import/<int:batch_id>/status")
@login_required
def import_batch_status(batch_id: int) -> Response:
    """How far a bulk import has come, as JSON, for the batch page's script to poll."""
    session = context.db_session()
    batch = bulk_import.batch_for_owner(session, t.cast("int", current_user.id), batch_id)
    response = jsonify(bulk_import.progress(session, batch).to_json())
    response.headers["Cache-Control"] = "no-store"
    return response
