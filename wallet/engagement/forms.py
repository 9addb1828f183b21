"""Forms of the engagement pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf
from wtforms.validators import DataRequired
from wtforms.validators import Length

from wallet.engagement.catalog import PUBLIC_TYPES


class EndpointForm(FlaskForm):  # type: ignore[misc]
    """A new webhook endpoint."""

    url = StringField(
        _l("Endpoint URL"),
        validators=[DataRequired(), Length(max=2048)],
        description=_l("An https:// address of your system that accepts POST requests."),
    )
    description = StringField(_l("Description (optional)"), validators=[Length(max=200)])
    event_types = SelectMultipleField(
        _l("Events to send (none ticked: all of them)"),
        choices=[SelectChoice(name, name) for name in PUBLIC_TYPES],
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
    )


class ToggleForm(FlaskForm):  # type: ignore[misc]
    """Turn something on ("1") or off ("0")."""

    value = HiddenField(validators=[AnyOf(["0", "1"])])


class ConfirmForm(FlaskForm):  # type: ignore[misc]
    """A confirmation (CSRF only)."""
