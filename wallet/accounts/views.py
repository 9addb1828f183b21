"""Pages of the accounts domain (blueprint ``accounts``): sign-up, sign-in, reset, settings."""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_user
from flask_login import logout_user
from werkzeug.wrappers import Response

from wallet import errors
from wallet.accounts import forms
from wallet.accounts import service
from wallet.accounts import social_service
from wallet.accounts.messages import RESET_PATH
from wallet.accounts.messages import VERIFY_PATH
from wallet.backpack import queries as backpack_queries
from wallet.db import utcnow
from wallet.sharing import posting
from wallet.web import context
from wallet.web.auth import login_required
from wallet.web.errors import status_for
from wallet.web.nexturl import safe_next
from wallet.web.ratelimit import rate_limit
from wallet.web.ratelimit import submitted_email

if t.TYPE_CHECKING:
    from flask_wtf import FlaskForm

    from wallet.accounts.models import User

bp = Blueprint("accounts", __name__)

Page = str | Response | tuple[str, int]


def _signin_limit() -> str:
    return context.config().signin_rate_limit


def _reset_limit() -> str:
    return context.config().reset_rate_limit


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _me() -> User:
    return t.cast("User", current_user._get_current_object())


def _show_error(form: FlaskForm, error: errors.WalletError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


@bp.route("/sign-up", methods=["GET", "POST"])
def sign_up() -> Page:
    """Create an account, then ask the earner to open the link we mailed."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.settings"))
    form = forms.SignUpForm()
    if form.validate_on_submit():
        try:
            service.register(
                context.db_session(),
                context.config(),
                email=form.email.data,
                password=form.password.data,
                display_name=form.display_name.data or "",
            )
        except errors.Invalid as error:
            _show_error(form, error)
        else:
            return render_template("accounts/check_inbox.html", email=form.email.data)
    return render_template("accounts/sign_up.html", form=form), 400 if form.errors else 200


@bp.route("/sign-in", methods=["GET", "POST"])
@rate_limit(_signin_limit, deduct_when=_failed)
@rate_limit(_signin_limit, key=submitted_email, deduct_when=_failed)
def sign_in() -> Page:
    """Sign an earner in and send them where they were going."""
    target = safe_next(request.values.get("next"), url_for("core.home"))
    if current_user.is_authenticated:
        return redirect(target)
    form = forms.SignInForm(next=target)
    if form.validate_on_submit():
        try:
            user = service.authenticate(
                context.db_session(),
                context.config(),
                email=form.email.data,
                password=form.password.data,
            )
        except errors.Invalid as error:
            flash(error.message, "error")
        else:
            login_user(user, remember=form.remember.data)
            return redirect(target)
    return render_template(
        "accounts/sign_in.html", form=form
    ), 400 if request.method == "POST" else 200


@bp.post("/sign-out")
def sign_out() -> Response:
    """Sign the earner out of this browser."""
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("core.home"))


@bp.route(VERIFY_PATH + "<token>", methods=["GET", "POST"])
def verify_email(token: str) -> Page:
    """Confirm an address from the link we mailed (a button, so mail scanners cannot click it)."""
    form = forms.ActionForm()
    try:
        service.read_verification_link(context.config(), token)
    except errors.WalletError as error:
        return render_template("accounts/link_problem.html", message=error.message), 400
    if form.validate_on_submit():
        try:
            address = service.verify_email(context.db_session(), context.config(), token)
        except errors.WalletError as error:
            return render_template("accounts/link_problem.html", message=error.message), status_for(
                error
            )
        flash(_("Thank you: %(email)s is verified.", email=address.email), "success")
        if current_user.is_authenticated:
            return redirect(url_for("accounts.settings"))
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/verify_email.html", form=form)


@bp.route("/reset-password", methods=["GET", "POST"])
@rate_limit(_reset_limit)
@rate_limit(_reset_limit, key=submitted_email)
def reset_request() -> Page:
    """Mail a reset link, saying the same whether or not the address has an account."""
    form = forms.EmailForm()
    if form.validate_on_submit():
        service.request_password_reset(
            context.db_session(), context.config(), email=form.email.data
        )
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/reset_request.html", form=form), 400 if form.errors else 200


@bp.route(RESET_PATH + "<token>", methods=["GET", "POST"])
@rate_limit(_reset_limit)
def reset_password(token: str) -> Page:
    """Choose a new password from a reset link; signs out every other session."""
    session, config = context.db_session(), context.config()
    try:
        service.user_for_reset_token(session, config, token)
    except errors.WalletError as error:
        return render_template(
            "accounts/link_problem.html", message=error.message, reset=True
        ), status_for(error)
    form = forms.NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = service.reset_password(session, config, token, form.password.data)
        except errors.Invalid as error:
            _show_error(form, error)
        else:
            login_user(user)
            flash(_("Your password is changed and you are signed in."), "success")
            return redirect(url_for("core.home"))
    return render_template("accounts/reset_password.html", form=form), 400 if form.errors else 200


def _settings_page(status: int = 200, **overrides: FlaskForm) -> tuple[str, int]:
    user = _me()
    page_forms: dict[str, FlaskForm] = {
        "profile_form": forms.ProfileForm(
            formdata=None,
            display_name=user.display_name,
            handle=user.handle,
            locale=user.locale or "",
            headline=user.headline,
            listed=user.listed,
        ),
        "password_form": forms.ChangePasswordForm(formdata=None),
        "email_form": forms.EmailForm(formdata=None),
        "action_form": forms.ActionForm(formdata=None),
    }
    page_forms.update(overrides)
    latest_export = backpack_queries.latest_export(context.db_session(), user.id)
    return render_template(
        "accounts/settings.html",
        user=user,
        latest_export=latest_export,
        linkedin_connection=posting.connection(context.db_session(), user.id),
        linked_accounts=social_service.linked_accounts(context.db_session(), user.id),
        has_password=social_service.has_password(user),
        now=utcnow(),
        **page_forms,
    ), status


@bp.get("/settings")
@login_required
def settings() -> Page:
    """Show the earner's settings: profile, addresses, password, account deletion."""
    return _settings_page()


@bp.post("/settings/profile")
@login_required
def update_profile() -> Page:
    """Change name, handle and language."""
    form = forms.ProfileForm()
    if form.validate_on_submit():
        try:
            service.update_profile(
                context.db_session(),
                _me().id,
                display_name=form.display_name.data,
                handle=form.handle.data,
                locale=form.locale.data or None,
                headline=form.headline.data or "",
                listed=bool(form.listed.data),
            )
        except errors.WalletError as error:
            _show_error(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(400, profile_form=form)


@bp.post("/settings/password")
@login_required
def change_password() -> Page:
    """Change the password; other devices are signed out, this one stays signed in."""
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = service.change_password(
                context.db_session(),
                context.config(),
                _me().id,
                current=form.current_password.data,
                new=form.password.data,
            )
        except errors.Invalid as error:
            _show_error(form, error)
        else:
            login_user(user)
            flash(_("Your password is changed. Other devices were signed out."), "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(400, password_form=form)


@bp.post("/settings/emails")
@login_required
def add_email() -> Page:
    """Add an address and mail it a verification link."""
    form = forms.EmailForm()
    if form.validate_on_submit():
        try:
            address = service.add_email(
                context.db_session(), context.config(), _me().id, form.email.data
            )
        except errors.WalletError as error:
            _show_error(form, error)
        else:
            flash(
                _(
                    "We sent a link to %(email)s. Open it to verify the address.",
                    email=address.email,
                ),
                "success",
            )
            return redirect(url_for("accounts.settings"))
    return _settings_page(400, email_form=form)


def _email_action(action: t.Callable[[], object], done: str) -> Response:
    if not forms.ActionForm().validate_on_submit():
        flash(_("This form has expired. Please try again."), "error")
        return redirect(url_for("accounts.settings"))
    try:
        action()
    except errors.WalletError as error:
        if isinstance(error, errors.NotFound):
            raise
        flash(error.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for("accounts.settings"))


@bp.post("/settings/emails/<int:email_id>/primary")
@login_required
def make_primary(email_id: int) -> Response:
    """Make a verified address the one mail goes to."""
    return _email_action(
        lambda: service.make_primary(context.db_session(), _me().id, email_id),
        _("Your main address is changed."),
    )


@bp.post("/settings/emails/<int:email_id>/remove")
@login_required
def remove_email(email_id: int) -> Response:
    """Remove an address (awards sent to it stay in the wallet)."""
    return _email_action(
        lambda: service.remove_email(context.db_session(), _me().id, email_id),
        _("The address is removed."),
    )


@bp.post("/settings/emails/<int:email_id>/resend")
@login_required
def resend_verification(email_id: int) -> Response:
    """Send a new verification link."""
    return _email_action(
        lambda: service.resend_verification(
            context.db_session(), context.config(), _me().id, email_id
        ),
        _("We sent a new link."),
    )


@bp.route("/settings/delete", methods=["GET", "POST"])
@login_required
def delete_account() -> Page:
    """Delete the account after the earner confirms with their password."""
    form = forms.ConfirmPasswordForm()
    if form.validate_on_submit():
        try:
            service.delete_account(context.db_session(), _me().id, password=form.password.data)
        except errors.Invalid as error:
            _show_error(form, error)
        else:
            logout_user()
            flash(_("Your account and everything in it are deleted."), "success")
            return redirect(url_for("core.home"))
    return render_template("accounts/delete.html", form=form), 400 if form.errors else 200
