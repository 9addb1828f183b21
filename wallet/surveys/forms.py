"""Forms of the survey pages: the issuer's definition (questions as repeated rows)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import FieldList
from wtforms import Form
from wtforms import FormField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput
from wtforms.widgets import ListWidget

from wallet.surveys import questions
from wallet.surveys.service import DAYS_MAX

#: How each question type is named in the form.
TYPE_NAMES = {
    "nps": _l("Recommend, 0 to 10 (NPS)"),
    "rating": _l("Rating, 1 to 5"),
    "single": _l("One choice"),
    "multiple": _l("Several choices"),
    "text": _l("Free text"),
}
#: Empty question rows offered below the filled ones.
BLANK_ROWS = 2


class QuestionForm(Form):  # type: ignore[misc]
    """One question row (a sub-form: the survey form carries the CSRF token)."""

    id = HiddenField()
    text = StringField(_l("Question"), validators=[Optional(), Length(max=questions.TEXT_MAX)])
    type = SelectField(
        _l("Answer type"),
        choices=[SelectChoice(name, str(label)) for name, label in TYPE_NAMES.items()],
        default="rating",
    )
    options = TextAreaField(
        _l("Options"),
        validators=[Optional(), Length(max=2_000)],
        description=_l("For a choice: one option a line."),
    )
    max_length = IntegerField(
        _l("Longest answer (characters)"),
        validators=[Optional()],
        description=_l("For free text; 1,000 if empty."),
    )
    required = BooleanField(_l("An answer is required"))


class MultiCheckboxField(SelectMultipleField):  # type: ignore[misc]
    """Choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SurveyForm(FlaskForm):  # type: ignore[misc]
    """A survey: what it says, whom it asks, when, and its questions."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    intro = TextAreaField(
        _l("Introduction"),
        validators=[Optional(), Length(max=2_000)],
        description=_l("Shown above the questions: why you ask and how long it takes."),
    )
    achievements = MultiCheckboxField(_l("Ask the earners of"), coerce=int, validate_choice=False)
    on_accept = BooleanField(_l("When they accept the badge"), default=True)
    days_after = IntegerField(
        _l("Also ask this many days after they accept it"),
        validators=[Optional(), NumberRange(min=1, max=DAYS_MAX)],
        description=_l("For outcome questions, e.g. 180 to ask whether it helped them find work."),
    )
    on_pathway = BooleanField(
        _l("When they complete a pathway"),
        description=_l(
            "Asks earners who complete one of your pathways that includes an achievement this "
            "survey is about (a step or its milestone badge)."
        ),
    )
    expires_after_days = IntegerField(
        _l("Days an invitation stays open"),
        default=30,
        validators=[DataRequired(), NumberRange(min=1, max=DAYS_MAX)],
    )
    remind_after_days = IntegerField(
        _l("Remind once after this many days"),
        default=7,
        validators=[Optional(), NumberRange(min=0, max=DAYS_MAX)],
        description=_l("0 or empty: no reminder."),
    )
    questions = FieldList(
        FormField(QuestionForm), min_entries=3, max_entries=questions.MAX_QUESTIONS + BLANK_ROWS
    )


class AnswerForm(FlaskForm):  # type: ignore[misc]
    """The earner's answers: the questions are read from the request by their ids; this form
    carries the CSRF token and the opt-in to be identified."""

    identified = BooleanField(_l("Share my name with my answers"))
