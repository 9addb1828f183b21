"""Forms of the backpack pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import TextAreaField
from wtforms.validators import Length


class ImportForm(FlaskForm):  # type: ignore[misc]
    """A badge as a file, or pasted as text or a link."""

    file = FileField(
        _l("Badge file"),
        description=_l("A baked badge image (PNG or SVG), or a .json, .jws or .jwt file."),
    )
    text = TextAreaField(
        _l("Or paste the badge or its link"),
        validators=[Length(max=2 * 1024 * 1024)],
        description=_l("JSON, a signed badge (three parts separated by dots), or a web address."),
    )
