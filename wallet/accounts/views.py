"""Pages of the accounts domain (blueprint ``accounts``)."""

from __future__ import annotations

from flask import Blueprint
from flask import render_template

from wallet.web.auth import login_required

bp = Blueprint("accounts", __name__)


@bp.get("/sign-in")
def sign_in() -> str:
    """Show the sign-in form."""
    return render_template("accounts/sign_in.html")


@bp.get("/settings")
@login_required
def settings() -> str:
    """Show the earner's settings."""
    return render_template("accounts/settings.html")


@bp.get("/sign-up")
def sign_up() -> str:
    """Show the sign-up form."""
    return render_template("accounts/sign_up.html")


@bp.post("/sign-out")
def sign_out() -> str:
    """Sign the earner out."""
    return render_template("accounts/sign_in.html")
