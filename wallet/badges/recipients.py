"""Decide whether a badge names one of an earner's identifiers, hashed or not. Pure.

Open Badges 1.x/2.0 (``recipient``) and 3.0 (``identifier[]``) hash the same way:
``alg + "$" + hex(H(identifier + salt))`` with ``alg`` ``sha256`` or ``md5``. The specs do not
normalise the identifier, but issuers do (Badgr lowercases e-mails and URL hosts before hashing),
so each identifier is tried as given and in the normal forms issuers are known to use.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import typing as t
import urllib.parse

#: ``sha256$`` + 64 hex digits or ``md5$`` + 32, in either case.
HASHED = re.compile(r"^(md5\$[0-9a-f]{32}|sha256\$[0-9a-f]{64})$", re.IGNORECASE)
_PHONE_PUNCTUATION = re.compile(r"[\s().\-]+")


def _url_forms(value: str) -> set[str]:
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return set()
    # Scheme and host are case-insensitive; a trailing slash (or none for the root) is one page.
    base = parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower())
    path = parts.path.rstrip("/")
    return {
        base.geturl(),
        base._replace(path=path).geturl(),
        base._replace(path=path + "/").geturl(),
    }


def forms(identifier: str, identity_type: str = "email") -> set[str]:
    """Return ``identifier`` as given and in the normal forms issuers hash."""
    stripped = identifier.strip()
    result = {identifier, stripped}
    kind = identity_type.lower()
    if kind in ("url", "id"):
        result |= _url_forms(stripped)
    elif kind in ("telephone", "phone"):
        result.add(_PHONE_PUNCTUATION.sub("", stripped))
    else:
        # E-mail addresses (and identifier types we do not know) are compared without case.
        result.add(stripped.lower())
    return {form for form in result if form}


def hash_identity(identifier: str, salt: str = "", algorithm: str = "sha256") -> str:
    """Return the ``alg$hex`` identity hash of ``identifier`` with ``salt``."""
    digest = hashlib.new(
        algorithm, (identifier + salt).encode("utf-8", "surrogatepass"), usedforsecurity=False
    )
    return f"{algorithm}${digest.hexdigest()}"


def identity_matches(
    identity: str,
    identifiers: t.Iterable[str],
    *,
    hashed: bool,
    salt: str = "",
    identity_type: str = "email",
) -> bool:
    """Say whether ``identity`` (plain or ``alg$hex``) names any of ``identifiers``."""
    if hashed:
        if not HASHED.match(identity.strip()):
            return False
        algorithm, _, expected = identity.strip().partition("$")
        algorithm, expected = algorithm.lower(), expected.lower()
        for identifier in identifiers:
            for form in forms(identifier, identity_type):
                actual = hash_identity(form, salt, algorithm).partition("$")[2]
                if hmac.compare_digest(actual, expected):
                    return True
        return False
    wanted = forms(identity, identity_type)
    return any(wanted & forms(identifier, identity_type) for identifier in identifiers)
