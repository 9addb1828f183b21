"""Batch signing gives exactly the canonical form and proof of the library's slow way.

The template redoes only RDFC-1.0's blank-node labelling; these tests hold it to pyld's full
canonicalisation over achievements of every shape (odd text, alignments that collide, tags,
expiry) and many awards, and to ``signing.sign``'s proof, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import secrets
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wallet.badges import jsonld
from wallet.badges.rdfc_template import CanonicalTemplate
from wallet.badges.rdfc_template import UnsafeValue
from wallet.issuers import documents
from wallet.issuers import signing
from wallet.issuers.batch_signing import BatchSigner

KEYS = (Fernet.generate_key().decode(),)
URLS = documents.Urls("https://wallet.example")
NOW = dt.datetime(2026, 11, 29, 9, 0, 0, tzinfo=dt.UTC)

text = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=40)
alignment = st.fixed_dictionaries(
    {"name": text, "url": st.sampled_from(["", "https://esco.example/s/1", "https://x.example"])},
    optional={
        "framework": st.sampled_from(["ESCO", "O*NET"]),
        "code": st.sampled_from(["S1", "15-1252.00"]),
    },
)


def _issuer() -> SimpleNamespace:
    sealed, _public = signing.new_key(KEYS)
    return SimpleNamespace(
        id=1, public_id=secrets.token_hex(16), name="Issuer", signing_key_sealed=sealed
    )


def _achievement(**fields: object) -> SimpleNamespace:
    values = {
        "id": 7,
        "public_id": secrets.token_hex(16),
        "achievement_type": "Badge",
        "name": "Data literacy",
        "description": "Reads charts.",
        "criteria": "Pass the test.",
        "alignments": [],
        "tags": [],
    }
    values.update(fields)
    return SimpleNamespace(**values)


def _award(index: int, expires: bool) -> SimpleNamespace:
    return SimpleNamespace(
        public_id=secrets.token_hex(16),
        recipient_type="email",
        recipient_normalized=f"earner{index}@example.org",
        salt=secrets.token_hex(8),
        issued_at=NOW,
        expires_at=NOW + dt.timedelta(days=365) if expires else None,
        status_index=index,
    )


@settings(max_examples=30, deadline=None)
@given(
    name=text,
    criteria=text,
    alignments=st.lists(alignment, max_size=3),
    tags=st.lists(text, max_size=3),
    expires=st.booleans(),
    indexes=st.lists(st.integers(0, 131_071), min_size=1, max_size=3),
)
def test_batch_signing_matches_the_slow_way_for_any_achievement(
    name: str,
    criteria: str,
    alignments: list[dict[str, str]],
    tags: list[str],
    expires: bool,
    indexes: list[int],
) -> None:
    issuer = _issuer()
    achievement = _achievement(name=name, criteria=criteria, alignments=alignments, tags=tags)
    signer = BatchSigner(issuer, URLS, KEYS, NOW)  # type: ignore[arg-type]
    for index in indexes:
        award = _award(index, expires)
        fast = signer.sign(award, achievement)  # type: ignore[arg-type]
        unsigned = documents.unsigned_credential(URLS, award, achievement, issuer)  # type: ignore[arg-type]
        slow = signing.sign(unsigned, issuer, URLS, KEYS, NOW)  # type: ignore[arg-type]
        assert fast == slow


def test_template_matches_the_library_across_many_awards() -> None:
    issuer = _issuer()
    achievement = _achievement(
        alignments=[{"name": "Charts", "url": "https://esco.example/s/1", "code": "S1"}]
    )
    signer = BatchSigner(issuer, URLS, KEYS, NOW)  # type: ignore[arg-type]
    for index in range(200):
        award = _award(index, expires=index % 2 == 0)
        credential = signer.sign(award, achievement)  # type: ignore[arg-type]
        unsigned = {k: v for k, v in credential.items() if k != "proof"}
        expected = signing.sign(unsigned, issuer, URLS, KEYS, NOW)  # type: ignore[arg-type]
        assert credential["proof"] == expected["proof"], index


def test_blank_nodes_with_equal_hashes_fall_back_to_the_full_algorithm() -> None:
    # Two identical alignments are two blank nodes with the same first-degree hash.
    same = {"name": "Charts", "url": "https://esco.example/s/1"}
    document = documents.unsigned_credential(
        URLS,
        _award(1, expires=False),  # type: ignore[arg-type]
        _achievement(alignments=[same, dict(same)]),  # type: ignore[arg-type]
        _issuer(),  # type: ignore[arg-type]
    )
    template = CanonicalTemplate(document, [document["id"]])
    other = "https://wallet.example/ob/v3/credentials/other"
    expected = jsonld.canonize({**document, "id": other})
    assert template.canonical({document["id"]: other}) == expected


def test_a_value_that_would_need_escaping_is_refused() -> None:
    document = documents.unsigned_credential(
        URLS,
        _award(1, expires=False),  # type: ignore[arg-type]
        _achievement(),  # type: ignore[arg-type]
        _issuer(),  # type: ignore[arg-type]
    )
    template = CanonicalTemplate(document, [document["id"]])
    with pytest.raises(UnsafeValue):
        template.canonical({document["id"]: 'https://x.example/"> <evil'})


def test_placeholders_inside_one_another_and_braces_in_text_fill_correctly() -> None:
    award = _award(1, expires=False)
    document = documents.unsigned_credential(
        URLS,
        award,  # type: ignore[arg-type]
        _achievement(name="{p0} and {b1}", criteria="}{"),  # type: ignore[arg-type]
        _issuer(),  # type: ignore[arg-type]
    )
    # The salt also ends the credential's id: the longer placeholder must win where both fit.
    document["id"] = f"{document['id']}{award.salt}"
    template = CanonicalTemplate(document, [award.salt, document["id"]])
    new_salt, new_id = "0f0f0f0f", "https://wallet.example/ob/v3/credentials/other"
    filled = template.canonical({award.salt: new_salt, document["id"]: new_id})
    subject = document["credentialSubject"]
    identifier = {**subject["identifier"][0], "salt": new_salt}
    expected = jsonld.canonize(
        {**document, "id": new_id, "credentialSubject": {**subject, "identifier": [identifier]}}
    )
    assert filled == expected
