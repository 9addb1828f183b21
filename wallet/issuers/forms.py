"""Forms of the issuer pages."""

from __future__ import annotations

import typing as t

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField
from wtforms import EmailField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TelField
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
    """Award an achievement to one person: by email, or by web address or phone number."""

    email = EmailField(
        _l("Earner's email"), validators=[Optional(), Email(check_deliverability=False)]
    )
    url = URLField(
        _l("Or their web address"),
        validators=[Optional(), Length(max=320)],
        description=_l("For example their portfolio or profile page."),
    )
    phone = TelField(
        _l("Or their phone number"),
        validators=[Optional(), Length(max=40)],
        description=_l("In international form, such as +44 20 7946 0958."),
    )
    name = StringField(_l("Earner's name"), validators=[Optional(), Length(max=200)])

    def validate(self, extra_validators: t.Any = None) -> bool:
        """Check the fields, then that exactly one way to reach the earner was given."""
        if not super().validate(extra_validators):
            return False
        if sum(bool((f.data or "").strip()) for f in (self.email, self.url, self.phone)) != 1:
            self.email.errors = [
                *self.email.errors,
                _l("Give one of their email address, web address or phone number."),
            ]
            return False
        return True


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


class ReplaceForm(AwardForm):
    """Replace an award with a corrected one (the same fields as awarding)."""


class ClaimForm(FlaskForm):  # type: ignore[misc]
    """Add an award a claim link names to the signed-in earner's wallet (CSRF only)."""


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
