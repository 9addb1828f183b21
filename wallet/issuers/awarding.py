"""Awarding, one name for callers: each idea lives in its own module, named here.

- ``issuing``: award one achievement (sign the credential, record the award);
- ``lifecycle``: revoke, expire, replace, and a member's read of one award;
- ``batches``: the API's batches, a transaction a chunk and a result per item;
- ``delivery``: into the earner's wallet, or a claim mail or link;
- ``queries``: the API's reads of issued awards.
"""

from __future__ import annotations

from wallet.issuers.batches import Awarded
from wallet.issuers.batches import BatchItem
from wallet.issuers.batches import award_batch
from wallet.issuers.delivery import CLAIM_PATH
from wallet.issuers.delivery import award_by_claim
from wallet.issuers.delivery import claim
from wallet.issuers.delivery import claim_for
from wallet.issuers.delivery import claim_url
from wallet.issuers.delivery import deliver
from wallet.issuers.delivery import held_copies
from wallet.issuers.delivery import issued_award_ids
from wallet.issuers.delivery import published_original
from wallet.issuers.issuing import award
from wallet.issuers.issuing import award_automatically
from wallet.issuers.lifecycle import expire
from wallet.issuers.lifecycle import get_issued_award
from wallet.issuers.lifecycle import issued_award_for_client
from wallet.issuers.lifecycle import replace
from wallet.issuers.lifecycle import revoke
from wallet.issuers.queries import issued_award_by_key
from wallet.issuers.queries import issued_awards_by_keys
from wallet.issuers.queries import issued_awards_page

__all__ = [
    "CLAIM_PATH",
    "Awarded",
    "BatchItem",
    "award",
    "award_automatically",
    "award_batch",
    "award_by_claim",
    "claim",
    "claim_for",
    "claim_url",
    "deliver",
    "expire",
    "get_issued_award",
    "held_copies",
    "issued_award_by_key",
    "issued_award_for_client",
    "issued_award_ids",
    "issued_awards_by_keys",
    "issued_awards_page",
    "published_original",
    "replace",
    "revoke",
]
