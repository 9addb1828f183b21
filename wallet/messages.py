"""Sentences for people that can still be shown in any language later. Pure: no Flask.

Domain code (badge verification, the HTTP client) has no request and so no language, and what it
says is stored and read later by someone whose language it cannot know. So it says it as a
``Message``: a ``str`` holding the English sentence, which also keeps its msgid (``template``,
marked with ``N_`` so Babel extracts it) and its ``params`` (dates, statuses, reasons given by
issuers, technical details, or other messages), so the page can translate it with gettext.
"""

from __future__ import annotations

import typing as t

#: What a template's ``%(name)s`` may be filled with; a sequence of messages reads as sentences.
Param = t.Union[str, int, "Message", t.Sequence["Message"]]


def N_(template: str) -> str:  # noqa: N802 (the name Babel extracts by default)
    """Mark ``template`` as a msgid to extract; it is translated when shown, not here."""
    return template


class Message(str):
    """A sentence in English that remembers how to say itself in another language."""

    template: str
    params: dict[str, Param]

    def __new__(cls, template: str, /, **params: Param) -> Message:
        """Fill ``template`` (a msgid marked with ``N_``) with ``params`` in English."""
        message = super().__new__(cls, _fill(template, params, _same))
        message.template = template
        message.params = params
        return message

    @classmethod
    def of(cls, text: str) -> Message:
        """Return ``text`` itself if it is a ``Message``, else a message that is just ``text``."""
        return text if isinstance(text, Message) else cls(text)

    def render(self, gettext: t.Callable[[str], str]) -> str:
        """Say the message with ``gettext``; a translation that does not fit gives the English."""
        try:
            return _fill(self.template, self.params, gettext)
        except (KeyError, ValueError, TypeError):
            return str(self)

    def to_json(self) -> dict[str, t.Any]:
        """Return the template and params, nested messages included, as JSON values."""
        return {"template": self.template, "params": {k: _dump(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, value: t.Any, fallback: str = "") -> Message:
        """Rebuild a message ``to_json`` gave; anything else becomes the plain ``fallback``."""
        if not (isinstance(value, dict) and isinstance(value.get("template"), str)):
            return cls(fallback)
        params = value.get("params")
        return cls(
            value["template"],
            **{str(k): _load(v) for k, v in (params if isinstance(params, dict) else {}).items()},
        )


def _same(text: str) -> str:
    return text


def _fill(template: str, params: t.Mapping[str, Param], gettext: t.Callable[[str], str]) -> str:
    # gettext("") is the catalogue's header, never a sentence.
    text = gettext(template) if template else ""
    if not params:
        # A plain text (not a template) may hold a "%" of its own.
        return text
    return text % {name: _say(value, gettext) for name, value in params.items()}


def _say(value: Param, gettext: t.Callable[[str], str]) -> str | int:
    if isinstance(value, Message):
        return value.render(gettext)
    if isinstance(value, str | int):
        return value
    return " ".join(item.render(gettext) for item in value)


def _dump(value: Param) -> t.Any:
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, str | int):
        return value
    return [item.to_json() for item in value]


def _load(value: t.Any) -> Param:
    if isinstance(value, dict):
        return Message.from_json(value)
    if isinstance(value, list):
        return [Message.from_json(item) for item in value]
    return value if isinstance(value, str | int) else str(value)
