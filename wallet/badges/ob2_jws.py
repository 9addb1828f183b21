"""Verify Open Badges 2.0 signed assertions: a compact JWS, RS256, by the issuer's key. Pure.

Only RS256 is accepted, whatever the header says: ``none`` would accept anything, and ``HS256``
with the issuer's public PEM as the HMAC secret is the classic key-confusion forgery.
"""

from __future__ import annotations

import typing as t

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from wallet.badges.formats import FormatError
from wallet.badges.formats import detect
from wallet.badges.formats import parse_json
from wallet.badges.jose import registry
from wallet.errors import Invalid
from wallet.messages import N_
from wallet.messages import Message

#: The one algorithm OB 2.0 signed badges use (the spec and the reference validator agree).
ALGORITHM = "RS256"


class SignatureError(Invalid):
    """The signature does not verify with the key, or uses an algorithm we refuse."""


def _declared_algorithm(token: str) -> str:
    try:
        detected = detect(token)
    except FormatError as error:
        raise SignatureError(
            Message(
                N_("The signed badge is damaged and cannot be read. %(error)s"), error=error.message
            )
        ) from error
    if detected.format not in ("ob2-signed", "vc-jwt"):
        raise SignatureError(N_("This is not a signed badge (a compact JWS)."))
    return str(detected.header.get("alg", ""))


def verify_signed_assertion(token: str, public_key_pem: str) -> dict[str, t.Any]:
    """Verify an OB 2.0 signed assertion (compact JWS, RS256) and return its payload."""
    token = token.strip()
    algorithm = _declared_algorithm(token)
    if algorithm != ALGORITHM:
        raise SignatureError(
            Message(
                N_(
                    "The badge's signature uses %(used)s; Open Badges 2.0 signatures use "
                    "%(expected)s, so it cannot be trusted."
                ),
                used=repr(algorithm[:20]) if algorithm else Message(N_("no algorithm")),
                expected=ALGORITHM,
            )
        )
    try:
        key = RSAKey.import_key(public_key_pem)
    except (JoseError, ValueError, TypeError) as error:
        raise SignatureError(N_("The issuer's key is not a usable RSA public key.")) from error
    try:
        signature = jws.deserialize_compact(token, key, registry=registry([ALGORITHM]))
    except JoseError as error:
        raise SignatureError(
            N_(
                "The signature does not match the issuer's key: the badge was altered or not "
                "signed by this issuer."
            )
        ) from error
    except (ValueError, TypeError) as error:
        raise SignatureError(N_("The signed badge is damaged and cannot be read.")) from error
    try:
        payload = parse_json(signature.payload)
    except FormatError as error:
        raise SignatureError(N_("The signed badge does not hold a JSON assertion.")) from error
    if not isinstance(payload, dict):
        raise SignatureError(N_("The signed badge does not hold a JSON assertion."))
    return payload
