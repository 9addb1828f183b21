"""Forms of the issuer's pathway pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from wallet.pathways import rules


class PathwayForm(FlaskForm):  # type: ignore[misc]
    """A pathway's name, description and milestone badge."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("What it leads to"),
        validators=[Length(max=10_000)],
        description=_l("Who it is for and what completing it means. You can use Markdown."),
    )
    completion = SelectField(
        _l("Badge awarded on completion"),
        choices=[],
        default="",
        validate_choice=True,
        description=_l(
            "Awarded automatically, once, to each earner who completes every level or milestone."
        ),
    )


class GroupForm(FlaskForm):  # type: ignore[misc]
    """A level or milestone: title, kind and the rule that completes it."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=rules.TITLE_MAX)])
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice("level", _l("Level")), SelectChoice("milestone", _l("Milestone"))],
        default="level",
    )
    rule = SelectField(
        _l("Completed by"),
        choices=[
            SelectChoice("all", _l("All of its steps")),
            SelectChoice("any", _l("Any number of its steps")),
        ],
        default="all",
    )
    required = IntegerField(
        _l("How many steps, for “any”"),
        validators=[Optional(), NumberRange(min=1, max=rules.MAX_STEPS)],
        description=_l("For example 2, for “any 2 of 3”."),
    )
    first = SelectField(
        _l("Its first step"),
        choices=[],
        default="",
        validate_choice=False,
        description=_l(
            "One of your achievements. A published pathway only takes a level with a step; "
            "add more steps after."
        ),
    )


class StepForm(FlaskForm):  # type: ignore[misc]
    """A step: an achievement on this platform (from a search), or one issued elsewhere."""

    group = SelectField(_l("Add to"), choices=[], validate_choice=True)
    achievement_id = HiddenField()
    iri = StringField(
        _l("Achievement address"),
        validators=[Optional()],
        description=_l(
            "For an achievement issued elsewhere: its Open Badges address "
            "(the BadgeClass URL or the achievement's id), starting with https://."
        ),
    )
    title = StringField(
        _l("Achievement name"), validators=[Optional(), Length(max=rules.TITLE_MAX)]
    )
