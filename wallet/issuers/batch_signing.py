"""Sign a batch of one issuer's credentials fast, with the same proof ``signing.sign`` makes.

Per batch the issuer's key is unsealed once. A credential's shape (everything but the values that
differ between awards: its id, the recipient's salt and hash, the status index, the dates) is
canonicalised once per process as a ``CanonicalTemplate``, keyed by the shape's own JSON, so an
edited achievement or a renamed issuer makes a new one; each award's canonical form is the
template filled in. The first use of each template is also canonicalised the slow way and
compared: a shape the template gets wrong is never used again, it falls back to the slow way.
The proof options differ only in their ``created`` time and are templated the same way.
No Flask, no database.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import secrets
import typing as t
from types import SimpleNamespace

from wallet.badges import base58btc
from wallet.badges import jsonld
from wallet.badges.credentials import OB3_CONTEXTS
from wallet.badges.rdfc_template import CanonicalTemplate
from wallet.badges.rdfc_template import UnsafeValue
from wallet.issuers import documents
from wallet.issuers import signing

if t.TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from wallet.issuers.models import Achievement
    from wallet.issuers.models import Issuer

log = logging.getLogger(__name__)

# What stands in for each varying value while a shape is canonicalised: random per process, and
# dates far in the past, so no real value can be mistaken for one.
_MARKER = secrets.token_hex(8)
_YEAR = 1000 + secrets.randbelow(800)
_ISSUED = dt.datetime(_YEAR, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
_EXPIRES = dt.datetime(_YEAR, 6, 7, 8, 9, 10, tzinfo=dt.UTC)
_CREATED = documents.timestamp(dt.datetime(_YEAR, 11, 12, 13, 14, 15, tzinfo=dt.UTC))


def _stand_in(recipient_type: str, expires: bool) -> SimpleNamespace:
    return SimpleNamespace(
        public_id=_ID,
        recipient_type=recipient_type,
        recipient_normalized=_RECIPIENT,
        salt=_SALT,
        status_index=_INDEX,
        issued_at=_ISSUED,
        expires_at=_EXPIRES if expires else None,
    )


_ID, _SALT, _INDEX = f"x{_MARKER}id", f"x{_MARKER}salt", f"x{_MARKER}index"
_RECIPIENT = f"x{_MARKER}recipient"
_HASH = documents.hashed_identity(_RECIPIENT, _SALT)
_ISSUED_TEXT, _EXPIRES_TEXT = documents.timestamp(_ISSUED), documents.timestamp(_EXPIRES)


def _values(award: documents.AwardFacts, identity_hash: str) -> dict[str, str]:
    """Return what each placeholder of the stand-in becomes for ``award``."""
    values = {
        _ID: award.public_id,
        _HASH: identity_hash,
        _SALT: award.salt,
        _INDEX: str(award.status_index),
        _ISSUED_TEXT: documents.timestamp(award.issued_at),
    }
    if award.expires_at is not None:
        values[_EXPIRES_TEXT] = documents.timestamp(award.expires_at)
    return values


class _Checked:
    """A template, and whether its first use matched the slow way."""

    def __init__(self, document: dict[str, t.Any], placeholders: t.Iterable[str]) -> None:
        self.template = CanonicalTemplate(document, placeholders)
        self.checked = False
        self.usable = self.template.usable

    def canonical(self, values: dict[str, str], slow: t.Callable[[], dict[str, t.Any]]) -> str:
        """Return the canonical form filled with ``values``; ``slow`` gives the document."""
        if not self.usable:
            return jsonld.canonize(slow())
        try:
            canonical = self.template.canonical(values)
        except UnsafeValue:
            return jsonld.canonize(slow())
        if not self.checked:
            expected = jsonld.canonize(slow())
            if expected != canonical:
                log.warning("a credential template disagrees with the library; not used")
                self.usable = False
                return expected
            self.checked = True
        return canonical


@functools.lru_cache(maxsize=256)
def _template(shape_json: str, expires: bool) -> _Checked:
    """Return the template of a credential shape (its JSON with the stand-in's values)."""
    placeholders = [_ID, _HASH, _SALT, _INDEX, _ISSUED_TEXT] + ([_EXPIRES_TEXT] if expires else [])
    return _Checked(json.loads(shape_json), placeholders)


@functools.lru_cache(maxsize=64)
def _options_template(verification_method: str) -> tuple[dict[str, str], _Checked]:
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": _CREATED,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    return options, _Checked({**options, "@context": list(OB3_CONTEXTS)}, [_CREATED])


class BatchSigner:
    """Signs the credentials of one issuer's batch, all created at the same moment."""

    def __init__(
        self,
        issuer: Issuer,
        urls: documents.Urls,
        data_keys: tuple[str, ...],
        created: dt.datetime,
    ) -> None:
        self.issuer = issuer
        self.urls = urls
        self.created = created
        self._key: Ed25519PrivateKey = signing.private_key(issuer, data_keys)
        options, template = _options_template(urls.key(issuer))
        self._proof = {**options, "created": documents.timestamp(created)}
        canonical = template.canonical(
            {_CREATED: self._proof["created"]},
            lambda: {**self._proof, "@context": list(OB3_CONTEXTS)},
        )
        self._options_hash = hashlib.sha256(canonical.encode()).digest()
        self._shapes: dict[tuple[int, str, bool], _Checked] = {}

    def sign(self, award: documents.AwardFacts, achievement: Achievement) -> dict[str, t.Any]:
        """Return the award's signed OpenBadgeCredential."""
        unsigned = documents.unsigned_credential(self.urls, award, achievement, self.issuer)
        template = self._shape(award, achievement)
        identity_hash = unsigned["credentialSubject"]["identifier"][0]["identityHash"]
        canonical = template.canonical(_values(award, identity_hash), lambda: unsigned)
        signature = self._key.sign(self._options_hash + hashlib.sha256(canonical.encode()).digest())
        proof = {**self._proof, "proofValue": "z" + base58btc.encode(signature)}
        return {**unsigned, "proof": proof}

    def _shape(self, award: documents.AwardFacts, achievement: Achievement) -> _Checked:
        key = (achievement.id, award.recipient_type, award.expires_at is not None)
        if key not in self._shapes:
            stand_in = _stand_in(award.recipient_type, award.expires_at is not None)
            shape = documents.unsigned_credential(self.urls, stand_in, achievement, self.issuer)
            template = _template(json.dumps(shape, sort_keys=True), award.expires_at is not None)
            self._shapes[key] = template
        return self._shapes[key]
