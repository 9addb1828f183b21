"""Forms of the employer side: share links and the verify tool."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField
from wtforms import RadioField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional


class CheckboxesField(SelectMultipleField):  # type: ignore[misc]
    """Several choices as checkboxes (a list a thumb can tick, unlike a multi-select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form: FlaskForm) -> None:
        """Leave unknown values to the service, which keeps only the earner's own."""


class ShareLinkForm(FlaskForm):  # type: ignore[misc]
    """A named, expiring link for an employer."""

    name = StringField(
        _l("Name of the link"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("For example the employer or the job: “Acme application”."),
    )
    awards = CheckboxesField(_l("Badges to show"), coerce=str)
    skills = CheckboxesField(_l("Or skills to show"), coerce=str)
    days = RadioField(
        _l("The link works for"),
        choices=[
            SelectChoice("7", _l("7 days")),
            SelectChoice("30", _l("30 days")),
            SelectChoice("90", _l("90 days")),
            SelectChoice("date", _l("Until a date")),
        ],
        default="30",
    )
    until = DateField(_l("Until (the end of) this date"), validators=[Optional()])


class VerifyForm(FlaskForm):  # type: ignore[misc]
    """A credential to check: a file, pasted text, or its web address."""

    file = FileField(
        _l("Credential file"),
        description=_l("A badge image (PNG or SVG), or a .json, .jws or .jwt file."),
    )
    text = TextAreaField(
        _l("Or paste the credential or its web address"),
        validators=[Length(max=2 * 1024 * 1024)],
        description=_l("JSON, a signed credential (three parts separated by dots), or a link."),
    )
