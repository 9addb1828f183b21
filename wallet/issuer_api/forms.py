"""Forms of the API clients pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length

from wallet.issuer_api.scopes import SCOPES


class ClientForm(FlaskForm):  # type: ignore[misc]
    """A new API client: its name and what it may do."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Which system uses it, e.g. “Student records”."),
    )
    scopes = SelectMultipleField(
        _l("What it may do"),
        choices=[SelectChoice(name, f"{name}: {text}") for name, text in SCOPES.items()],
        validators=[DataRequired(message=_l("Choose at least one."))],
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
    )


class ConfirmForm(FlaskForm):  # type: ignore[misc]
    """A confirmation (CSRF only)."""
