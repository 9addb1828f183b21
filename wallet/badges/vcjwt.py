"""Verifiable credentials secured as JWTs (VC-JWT): OB 3.0 and CLR 2.0, VCDM 1.1 and 2.0 shapes.

Pure: the caller supplies the issuer's key (from its JWKS, DID document or key document). A key
embedded in the token's own header proves nothing about who signed it, so ``key_source`` says
where the key came from and the verifier never counts an embedded key as the issuer's.
"""

from __future__ import annotations

import typing as t
import warnings
from dataclasses import dataclass
from dataclasses import field

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.errors import SecurityWarning
from joserfc.jwk import ECKey
from joserfc.jwk import OKPKey
from joserfc.jwk import RSAKey

from wallet.badges.formats import FormatError
from wallet.badges.formats import parse_json
from wallet.badges.jose import registry
from wallet.errors import Invalid
from wallet.messages import N_
from wallet.messages import Message

#: Signature algorithms accepted. Never "none", never a MAC (HS*): a MAC "signed" with the
#: issuer's public key is the classic way to forge a token.
ALGORITHMS = ("RS256", "ES256", "EdDSA", "Ed25519")

Key = RSAKey | ECKey | OKPKey
KeySource = t.Literal["issuer", "embedded"]


class JwtError(Invalid):
    """The token does not verify or cannot be read."""


@dataclass(frozen=True)
class VerifiedJwt:
    """A verified token: its header, claims and the credential it carries."""

    header: dict[str, t.Any]
    claims: dict[str, t.Any]
    credential: dict[str, t.Any]
    #: Where the key came from: the issuer's published keys, or the token itself.
    key_source: KeySource
    #: Claims that disagree with the credential (iss, jti, nbf, exp), for the report.
    mismatches: list[str] = field(default_factory=list)


def import_key(material: dict[str, t.Any] | str) -> Key:
    """Read a public key from a JWK (dict) or a PEM string."""
    try:
        if isinstance(material, dict):
            if "d" in material:
                raise JwtError(N_("A published key must not contain its private part."))
            kind = material.get("kty")
            if kind == "RSA":
                return RSAKey.import_key(material)
            if kind == "EC":
                return ECKey.import_key(material)
            if kind == "OKP":
                return OKPKey.import_key(material)
            raise JwtError(N_("The key is of a type we do not accept."))
        return t.cast("Key", RSAKey.import_key(material))
    except (JoseError, ValueError, TypeError) as error:
        raise JwtError(N_("The key cannot be read.")) from error


def header_of(token: str) -> dict[str, t.Any]:
    """Return the token's header without verifying anything."""
    try:
        signature = jws.extract_compact(token.strip().encode(), registry=registry(ALGORITHMS))
    except (JoseError, ValueError) as error:
        raise JwtError(N_("The token is damaged and cannot be read.")) from error
    return dict(signature.protected)


def verify(token: str, issuer_key: dict[str, t.Any] | str | None) -> VerifiedJwt:
    """Verify ``token`` with the issuer's key, or with the key in its header when none is given."""
    header = header_of(token)
    if header.get("alg") not in ALGORITHMS:
        raise JwtError(
            Message(
                N_("The token uses an algorithm we refuse (%(algorithm)s)."),
                algorithm=str(header.get("alg"))[:20],
            )
        )
    source: KeySource = "issuer"
    if issuer_key is None:
        embedded = header.get("jwk")
        if not isinstance(embedded, dict):
            raise JwtError(N_("The token names no key we can check it with."))
        issuer_key, source = embedded, "embedded"
    key = import_key(issuer_key)
    try:
        with warnings.catch_warnings():
            # RFC 9864 deprecates the name "EdDSA" for "Ed25519", but issuers sign with it today.
            warnings.filterwarnings("ignore", category=SecurityWarning)
            signature = jws.deserialize_compact(token.strip(), key, registry=registry(ALGORITHMS))
    except JoseError as error:
        raise JwtError(
            N_(
                "The signature does not match: the credential was changed after it was signed, "
                "or the key is not the one that signed it."
            )
        ) from error
    except (ValueError, TypeError) as error:
        raise JwtError(N_("The token is damaged and cannot be read.")) from error
    try:
        claims = parse_json(signature.payload)
    except FormatError as error:
        raise JwtError(N_("The token does not hold a JSON credential.")) from error
    if not isinstance(claims, dict):
        raise JwtError(N_("The token does not hold a JSON credential."))
    credential = claims.get("vc") if isinstance(claims.get("vc"), dict) else claims
    return VerifiedJwt(
        header=header,
        claims=claims,
        credential=t.cast("dict[str, t.Any]", credential),
        key_source=source,
        mismatches=_mismatches(claims, t.cast("dict[str, t.Any]", credential)),
    )


def _issuer_id(credential: dict[str, t.Any]) -> str | None:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else None


def _mismatches(claims: dict[str, t.Any], credential: dict[str, t.Any]) -> list[str]:
    problems = []
    if "iss" in claims and _issuer_id(credential) not in (None, claims["iss"]):
        problems.append("iss")
    if "jti" in claims and credential.get("id") not in (None, claims["jti"]):
        problems.append("jti")
    return problems
