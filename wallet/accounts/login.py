"""Flask-Login wiring: load the signed-in user from the session id."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from wallet.accounts.models import User
from wallet.extensions import login_manager
from wallet.web import context


def load_user(session_id: str) -> User | None:
    """Return the user behind ``session_id`` ("id:version"), or None when it is stale."""
    user_id, _sep, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = context.db_session().get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def init_app(app: Flask) -> None:
    """Bind the login manager to ``app``."""
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
