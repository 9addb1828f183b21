"""Pages of collections (blueprint ``collections``): the earner's groups and their shared links."""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from wallet import errors
from wallet.backpack import collection_service as service
from wallet.backpack import forms
from wallet.backpack import queries
from wallet.web import context
from wallet.web.auth import login_required

bp = Blueprint("collections", __name__)

Page = str | Response | tuple[str, int]

#: How each collection visibility is named to the earner.
VISIBILITY_NAMES = {
    "private": _l("Private: only you"),
    "link": _l("Anyone with the link"),
    "public": _l("Public"),
}


def _user_id() -> int:
    return t.cast("int", current_user.id)


@bp.route("/wallet/collections", methods=["GET", "POST"])
@login_required
def index() -> Page:
    """List the earner's collections and start a new one."""
    session = context.db_session()
    form = forms.CollectionForm()
    if form.validate_on_submit():
        collection = service.create_collection(session, _user_id(), form.name.data or "")
        flash(_("The collection “%(name)s” was created.", name=collection.name), "success")
        return redirect(url_for("collections.show", collection_id=collection.id))
    status = 400 if form.errors else 200
    page = render_template(
        "backpack/collections.html",
        collections=queries.collections_of(session, _user_id()),
        counts=queries.collection_sizes(session, _user_id()),
        form=form,
        visibility_names=VISIBILITY_NAMES,
    )
    return page, status


@bp.get("/wallet/collections/<int:collection_id>")
@login_required
def show(collection_id: int) -> str:
    """Manage one collection: its name, who can see it, its link, and its awards in order."""
    session = context.db_session()
    collection = service.get_collection(session, _user_id(), collection_id)
    token = service.link_token(context.config().secret_key, collection)
    return render_template(
        "backpack/collection.html",
        collection=collection,
        form=forms.CollectionForm(name=collection.name),
        link=url_for("collections.shared", token=token, _external=True),
        visibility_names=VISIBILITY_NAMES,
    )


@bp.post("/wallet/collections/<int:collection_id>/rename")
@login_required
def rename(collection_id: int) -> Response:
    """Give the collection a new name."""
    form = forms.CollectionForm()
    if form.validate_on_submit():
        service.rename_collection(
            context.db_session(), _user_id(), collection_id, form.name.data or ""
        )
        flash(_("The collection was renamed."), "success")
    else:
        service.get_collection(context.db_session(), _user_id(), collection_id)
        flash(_("Give the collection a name of at most 120 characters."), "error")
    return redirect(url_for("collections.show", collection_id=collection_id))


@bp.post("/wallet/collections/<int:collection_id>/visibility")
@login_required
def visibility(collection_id: int) -> Page:
    """Change who can see the collection; going private is confirmed first (links stop working)."""
    session = context.db_session()
    collection = service.get_collection(session, _user_id(), collection_id)
    wanted = request.form.get("visibility", "")
    if (
        wanted == "private"
        and collection.visibility != "private"
        and not request.form.get("confirm")
    ):
        return render_template("backpack/confirm_private_collection.html", collection=collection)
    try:
        service.set_collection_visibility(session, _user_id(), collection_id, wanted)
    except errors.Invalid as error:
        flash(error.message, "error")
    else:
        flash(_("Who can see the collection was changed."), "success")
    return redirect(url_for("collections.show", collection_id=collection_id))


@bp.route("/wallet/collections/<int:collection_id>/delete", methods=["GET", "POST"])
@login_required
def delete(collection_id: int) -> Page:
    """Ask, then delete a collection (its awards stay in the wallet)."""
    session = context.db_session()
    collection = service.get_collection(session, _user_id(), collection_id)
    if request.method == "GET":
        return render_template("backpack/confirm_delete_collection.html", collection=collection)
    service.delete_collection(session, _user_id(), collection_id)
    flash(_("The collection was deleted; its badges are still in your wallet."), "success")
    return redirect(url_for("collections.index"))


@bp.post("/wallet/collections/<int:collection_id>/move")
@login_required
def move(collection_id: int) -> Response:
    """Move the collection up or down the earner's list."""
    step = -1 if request.form.get("direction") == "up" else 1
    service.move_collection(context.db_session(), _user_id(), collection_id, step)
    return redirect(url_for("collections.index"))


@bp.post("/wallet/collections/items")
@login_required
def add() -> Response:
    """Put an award into a collection (from the award page)."""
    award_id = request.form.get("award_id", type=int) or 0
    collection_id = request.form.get("collection", type=int) or 0
    service.add_award(context.db_session(), _user_id(), collection_id, award_id)
    flash(_("The badge was added to the collection."), "success")
    return redirect(url_for("backpack.award", award_id=award_id))


@bp.post("/wallet/collections/<int:collection_id>/items/<int:award_id>/remove")
@login_required
def remove(collection_id: int, award_id: int) -> Response:
    """Take an award out of the collection."""
    service.remove_award(context.db_session(), _user_id(), collection_id, award_id)
    flash(_("The badge was taken out of the collection."), "success")
    return redirect(url_for("collections.show", collection_id=collection_id))


@bp.post("/wallet/collections/<int:collection_id>/items/<int:award_id>/move")
@login_required
def move_item(collection_id: int, award_id: int) -> Response:
    """Move an award up or down within the collection."""
    step = -1 if request.form.get("direction") == "up" else 1
    service.move_award(context.db_session(), _user_id(), collection_id, award_id, step)
    return redirect(url_for("collections.show", collection_id=collection_id))


@bp.get("/c/<token>")
def shared(token: str) -> str:
    """A collection opened by its link: its public awards, in the earner's order."""
    viewer = _user_id() if current_user.is_authenticated else None
    collection, awards = service.collection_by_link(
        context.db_session(), context.config().secret_key, token, viewer
    )
    return render_template("backpack/shared_collection.html", collection=collection, awards=awards)
