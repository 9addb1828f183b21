"""Forms of the issuer pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField
from wtforms import EmailField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from wallet.issuers.service import ACHIEVEMENT_TYPES


class IssuerForm(FlaskForm):  # type: ignore[misc]
    """A new organisation."""

    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=200)])
    url = URLField(
        _l("Web site"),
        validators=[DataRequired(), URL(require_tld=False), Length(max=500)],
        description=_l("Earners and employers see it on every badge you issue."),
    )
    email = EmailField(
        _l("Contact email"), validators=[DataRequired(), Email(check_deliverability=False)]
    )
    description = TextAreaField(_l("About the organisation"), validators=[Length(max=2000)])


class AchievementForm(FlaskForm):  # type: ignore[misc]
    """A badge template."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    achievement_type = SelectField(
        _l("Type"), choices=[SelectChoice(kind) for kind in ACHIEVEMENT_TYPES], default="Course"
    )
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=10_000)])
    criteria = TextAreaField(
        _l("How to earn it"),
        validators=[DataRequired(), Length(max=10_000)],
        description=_l(
            "What the earner did or showed. You can use Markdown: **bold**, lists, links."
        ),
    )
    image = FileField(
        _l("Picture"),
        description=_l("A PNG or SVG file, square, up to 1 MB. Without one we draw a badge."),
    )
    level = StringField(_l("Level"), validators=[Optional(), Length(max=60)])
    skills = TextAreaField(
        _l("Skills"),
        validators=[Optional(), Length(max=5_000)],
        description=_l(
            "One per line: name | framework | code | web address, e.g. "
            "welding | ESCO | S6.1 | http://data.europa.eu/esco/skill/..."
        ),
    )
    tags = StringField(
        _l("Tags"), validators=[Optional(), Length(max=500)], description=_l("Comma separated.")
    )
    valid_days = IntegerField(
        _l("Valid for (days)"),
        validators=[Optional(), NumberRange(min=1, max=36_500)],
        description=_l("Leave empty if the badge never expires."),
    )


class AwardForm(FlaskForm):  # type: ignore[misc]
    """Award an achievement to one person."""

    email = EmailField(
        _l("Earner's email"), validators=[DataRequired(), Email(check_deliverability=False)]
    )
    name = StringField(_l("Earner's name"), validators=[Optional(), Length(max=200)])


class RevokeForm(FlaskForm):  # type: ignore[misc]
    """Revoke an award, saying why."""

    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=500)],
        description=_l("Earners and anyone checking the badge see this reason."),
    )


class ExpireForm(FlaskForm):  # type: ignore[misc]
    """Make an award expire, today or on a later date."""

    on = DateField(
        _l("Expires on"),
        validators=[Optional()],
        description=_l("Leave empty to make it expire now."),
    )


class ReplaceForm(FlaskForm):  # type: ignore[misc]
    """Replace an award with a corrected one."""

    email = EmailField(
        _l("Earner's email"), validators=[DataRequired(), Email(check_deliverability=False)]
    )
    name = StringField(_l("Earner's name"), validators=[Optional(), Length(max=200)])


class InviteForm(FlaskForm):  # type: ignore[misc]
    """Invite someone to the issuer's team."""

    email = EmailField(
        _l("Their email"), validators=[DataRequired(), Email(check_deliverability=False)]
    )
    role = SelectField(_l("Role"), default="awarder")


class UploadForm(FlaskForm):  # type: ignore[misc]
    """A CSV of people to award an achievement to."""

    file = FileField(
        _l("CSV file"),
        description=_l(
            "One person a line, with a first line naming the columns: email, and name if you "
            "like. Up to 10,000 people."
        ),
    )
