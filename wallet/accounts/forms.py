"""Forms of the accounts pages (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import EmailField
from wtforms import HiddenField
from wtforms import PasswordField
from wtforms import SelectField
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import Length

_email = [DataRequired(), Length(max=320), Email(check_deliverability=False)]


class SignUpForm(FlaskForm):  # type: ignore[misc]
    """Create an account."""

    display_name = StringField(_l("Your name"), validators=[Length(max=120)])
    email = EmailField(_l("Email"), validators=_email)
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=1024)],
        description=_l("At least 10 characters. A few unrelated words work well."),
    )


class SignInForm(FlaskForm):  # type: ignore[misc]
    """Sign in."""

    email = EmailField(_l("Email"), validators=_email)
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class EmailForm(FlaskForm):  # type: ignore[misc]
    """Ask for a reset link, or add an address."""

    email = EmailField(_l("Email"), validators=_email)


class NewPasswordForm(FlaskForm):  # type: ignore[misc]
    """Choose a new password from a reset link."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=1024)],
        description=_l("At least 10 characters. A few unrelated words work well."),
    )


class ChangePasswordForm(FlaskForm):  # type: ignore[misc]
    """Change the password while signed in."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=1024)],
        description=_l("At least 10 characters. Other devices will be signed out."),
    )


class ProfileForm(FlaskForm):  # type: ignore[misc]
    """Name, handle and language."""

    display_name = StringField(
        _l("Name shown on your pages"), validators=[DataRequired(), Length(max=120)]
    )
    handle = StringField(
        _l("Public handle"),
        validators=[DataRequired(), Length(min=3, max=40)],
        description=_l("Your public address will be /@handle. Lowercase letters, digits, hyphens."),
    )
    locale = SelectField(
        _l("Language"),
        choices=[
            SelectChoice("", _l("Same as my browser")),
            SelectChoice("en", "English"),
            SelectChoice("es", "Español"),
        ],
    )
    headline = StringField(
        _l("Headline"),
        validators=[Length(max=160)],
        description=_l("One line under your name on your public page, e.g. “Welder, Rotterdam”."),
    )
    listed = BooleanField(
        _l("List me in the talent directory"),
        description=_l(
            "Employers can then find you by the skills and issuers of your public badges."
        ),
    )


class ConfirmPasswordForm(FlaskForm):  # type: ignore[misc]
    """Confirm a destructive action with the password."""

    password = PasswordField(_l("Your password"), validators=[DataRequired()])


class ActionForm(FlaskForm):  # type: ignore[misc]
    """A button that only needs the CSRF token (make primary, remove, resend)."""
