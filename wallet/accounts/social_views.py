"""Signing in with LinkedIn, Google, GitHub or Microsoft, and linking them (blueprint ``social``).

python-social-auth runs the OAuth dance (``do_auth``, ``do_complete``) with our strategy and
storage (``social.py``, ``social_storage.py``); who an external account belongs to is decided by
``social_service.link_or_create``. A provider without a configured client id is "not found".
"""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_user
from social_core.actions import do_auth
from social_core.actions import do_complete
from social_core.exceptions import AuthAssociationError
from social_core.exceptions import AuthCanceled
from social_core.exceptions import AuthConfigurationError
from social_core.exceptions import AuthSessionError
from social_core.exceptions import SocialAuthBaseException
from werkzeug.wrappers import Response

from wallet import errors
from wallet.accounts import social
from wallet.accounts import social_service
from wallet.accounts.forms import ActionForm
from wallet.web import context
from wallet.web.auth import login_required
from wallet.web.ratelimit import rate_limit

bp = Blueprint("social", __name__)


@bp.app_context_processor
def _providers() -> dict[str, t.Any]:
    return {
        "social_providers": [
            (p.backend, social.PROVIDER_NAMES[p.backend]) for p in social.enabled(context.config())
        ],
        "provider_names": social.PROVIDER_NAMES,
    }


def _backend(name: str) -> t.Any:
    strategy = social.FlaskStrategy(context.db_session(), context.config(), context.runtime().http)
    try:
        return strategy.get_backend(name, redirect_uri=url_for("social.complete", backend=name))
    except AuthConfigurationError as error:
        raise errors.NotFound(_("There is no such way to sign in.")) from error


@bp.get("/sign-in/with/<backend>")
@rate_limit(lambda: context.config().signin_rate_limit)
def begin(backend: str) -> Response:
    """Send the earner to the provider (to sign in, or to link it while signed in)."""
    return t.cast("Response", do_auth(_backend(backend)))


@bp.get("/sign-in/with/<backend>/complete")
@rate_limit(lambda: context.config().signin_rate_limit)
def complete(backend: str) -> Response:
    """Where the provider sends the earner back: sign in, link, or say why not."""
    auth = _backend(backend)
    linking = bool(current_user.is_authenticated)
    name = social.PROVIDER_NAMES.get(backend, backend)
    try:
        response = do_complete(
            auth,
            login=lambda _backend, user, _social: login_user(user),
            user=current_user._get_current_object() if linking else None,
        )
    except SocialAuthBaseException as error:
        flash(_failure(error, name), "error")
        return redirect(url_for("accounts.settings" if linking else "accounts.sign_in"))
    if linking:
        flash(
            _("Your %(provider)s account is linked: you can sign in with it.", provider=name),
            "success",
        )
        return redirect(url_for("accounts.settings") + "#sign-in-heading")
    return t.cast("Response", response)


def _failure(error: SocialAuthBaseException, name: str) -> str:
    if isinstance(error, social_service.EmailNeedsSignIn):
        return str(
            _(
                "An account here already uses that email address, but %(provider)s did not confirm "
                "that it is yours. Sign in with your password, then link %(provider)s in your "
                "settings.",
                provider=name,
            )
        )
    if isinstance(error, AuthAssociationError):
        return str(
            _("That %(provider)s account is already linked to another account here.", provider=name)
        )
    if isinstance(error, AuthSessionError):
        return str(_("That sign-in was not started here, or was already used. Please try again."))
    if isinstance(error, AuthCanceled):
        return str(_("You cancelled signing in with %(provider)s.", provider=name))
    return str(_("Signing in with %(provider)s did not work. Please try again.", provider=name))


@bp.post("/settings/sign-in/<int:account_id>/unlink")
@login_required
def unlink(account_id: int) -> Response:
    """Stop signing in with an external account (never the last way to sign in)."""
    if not ActionForm().validate_on_submit():
        flash(_("This form has expired. Please try again."), "error")
        return redirect(url_for("accounts.settings"))
    try:
        account = social_service.unlink(
            context.db_session(), t.cast("int", current_user.id), account_id
        )
    except errors.Conflict as error:
        flash(error.message, "error")
    else:
        name = social.PROVIDER_NAMES.get(account.provider, account.provider)
        flash(_("Your %(provider)s account is unlinked.", provider=name), "success")
    return redirect(url_for("accounts.settings") + "#sign-in-heading")
