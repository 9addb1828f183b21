"""Who an award is for: an email address, a web address (URL) or a phone number. Pure.

Each identifier is folded the way it is matched and hashed (``recipient_normalized``): an email
in lower case; a URL with its scheme and host in lower case and no fragment; a phone number in
E.164 (``+`` and 8 to 15 digits, punctuation dropped). Only email recipients can be matched to
an earner automatically (wallets hold verified addresses); a URL or phone recipient gets a claim
link instead, which the issuer passes on.
"""

from __future__ import annotations

import re
import typing as t
import urllib.parse

from flask_babel import gettext as _

from wallet import errors
from wallet.accounts.queries import normalize_email

Kind = t.Literal["email", "url", "phone"]
KINDS: tuple[Kind, ...] = ("email", "url", "phone")

_PHONE = re.compile(r"^\+[1-9][0-9]{7,14}$")
_PHONE_PUNCTUATION = re.compile(r"[\s().\-]+")
#: Any white space (what ``str.isspace`` calls so: ``\s`` of a ``str`` pattern is the same set).
_SPACE = re.compile(r"\s")


def normalize(kind: str, value: str) -> tuple[Kind, str]:
    """Return the recipient's kind and folded identifier, or raise ``errors.Invalid``."""
    value = value.strip()
    if kind == "email":
        folded = normalize_email(value)
        if "@" not in folded or len(folded) > 320 or _SPACE.search(folded):
            raise errors.Invalid(_("Enter the earner's email address."))
        return "email", folded
    if kind == "url":
        try:
            parts = urllib.parse.urlsplit(value)
        except ValueError:
            parts = None
        if (
            parts is None
            or parts.scheme.lower() not in ("http", "https")
            or not parts.hostname
            or len(value) > 320
            or _SPACE.search(value)
        ):
            raise errors.Invalid(_("Enter a web address starting with https:// or http://."))
        folded = parts._replace(
            scheme=parts.scheme.lower(), netloc=parts.netloc.lower(), fragment=""
        ).geturl()
        return "url", folded
    if kind == "phone":
        folded = _PHONE_PUNCTUATION.sub("", value)
        if not _PHONE.match(folded):
            raise errors.Invalid(
                _("Enter the phone number in international form, such as +44 20 7946 0958.")
            )
        return "phone", folded
    raise errors.Invalid(_("Choose an email address, a web address or a phone number."))
