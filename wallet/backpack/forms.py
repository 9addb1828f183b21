"""Forms of the backpack pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from wallet.backpack import archive

#: Files one request checks while the earner waits; a zip, or more files, go to the bulk import
#: (a background job, up to ``archive.MAX_FILES``).
MAX_FILES = 5


class ImportForm(FlaskForm):  # type: ignore[misc]
    """A badge as a file, or pasted as text or a link."""

    files = MultipleFileField(
        _l("Badge files"),
        description=_l(
            "Badge images (PNG or SVG), .json, .jws or .jwt files, or a .zip of them: "
            "up to %(count)d at once.",
            count=archive.MAX_FILES,
        ),
    )
    text = TextAreaField(
        _l("Or paste the badge or its link"),
        validators=[Length(max=2 * 1024 * 1024)],
        description=_l("JSON, a signed badge (three parts separated by dots), or a web address."),
    )


class NoteForm(FlaskForm):  # type: ignore[misc]
    """The earner's own note and tags on an award."""

    note = TextAreaField(
        _l("Your note"),
        validators=[Length(max=2000)],
        description=_l("Only you can see your note and tags."),
    )
    tags = StringField(
        _l("Your tags"),
        validators=[Length(max=900)],
        description=_l("Separate tags with commas, e.g. work, 2026."),
    )


class CollectionForm(FlaskForm):  # type: ignore[misc]
    """A collection's name."""

    name = StringField(_l("Collection name"), validators=[DataRequired(), Length(max=120)])


class AddToCollectionForm(FlaskForm):  # type: ignore[misc]
    """Put an award into one of the earner's collections."""

    collection = SelectField(_l("Add to a collection"), coerce=int, validate_choice=False)
