"""Pages of the backpack (blueprint ``backpack``)."""

from __future__ import annotations

import math
import typing as t

from flask import Blueprint
from flask import render_template
from flask import request
from flask_login import current_user

from wallet.backpack import queries
from wallet.web import context
from wallet.web.auth import login_required

bp = Blueprint("backpack", __name__)


@bp.get("/wallet")
@login_required
def awards() -> str:
    """Show the earner's awards, newest first, a page at a time."""
    page = request.args.get("page", 1, type=int) or 1
    user_id = t.cast("int", current_user.id)
    items, total = queries.awards_page(context.db_session(), user_id, page)
    pages = max(1, math.ceil(total / queries.PAGE_SIZE))
    return render_template(
        "backpack/awards.html", awards=items, total=total, page=min(page, pages), pages=pages
    )
