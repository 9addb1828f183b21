"""Forms of sharing: writing a LinkedIn post."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from wallet.sharing.linkedin import MAX_TEXT


class PostForm(FlaskForm):  # type: ignore[misc]
    """The text of a post, with a button to see it first and one to post it."""

    text = TextAreaField(
        _l("What you want to say"),
        validators=[DataRequired(), Length(max=MAX_TEXT)],
        description=_l("The post links to the badge's public page, with its picture."),
    )
    preview = SubmitField(_l("Preview"))
    publish = SubmitField(_l("Post to LinkedIn"))
