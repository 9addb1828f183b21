"""Serve an issuer's published documents from the database, to the web and to our own verifier.

``Publisher.document(path)`` answers the public routes (``issuers/public_views.py``); ``LocalFetch``
answers the verifier for URLs under our own origin without a network round trip to ourselves,
falling back to the real fetch for everything else.
"""

from __future__ import annotations

import json
import re
import typing as t

from sqlalchemy import select

from wallet.http import Fetched
from wallet.issuers import documents
from wallet.issuers import signing
from wallet.issuers.models import Achievement
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer
from wallet.issuers.models import StatusList

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.badges.checks import Fetch
    from wallet.config import Config

_ID = r"([0-9a-f]{32})"
_ROUTES = [
    (re.compile(rf"^/ob/v2/issuers/{_ID}$"), "ob2_issuer"),
    (re.compile(rf"^/ob/v2/issuers/{_ID}/revocations$"), "revocations"),
    (re.compile(rf"^/ob/v2/badges/{_ID}$"), "badge_class"),
    (re.compile(rf"^/ob/v2/assertions/{_ID}$"), "assertion"),
    (re.compile(rf"^/ob/v3/issuers/{_ID}$"), "profile"),
    (re.compile(rf"^/ob/v3/issuers/{_ID}/status$"), "status_list"),
    (re.compile(rf"^/ob/v3/credentials/{_ID}$"), "credential"),
]


class Publisher:
    """Renders the documents published under ``base_url``."""

    def __init__(self, session: Session, base_url: str, data_keys: tuple[str, ...]) -> None:
        self.session = session
        self.urls = documents.Urls(base_url)
        self.data_keys = data_keys

    def document(self, path: str) -> dict[str, t.Any] | None:
        """Return the document published at ``path`` (a URL path), or None if there is none."""
        for pattern, name in _ROUTES:
            match = pattern.match(path)
            if match:
                render: t.Callable[[str], dict[str, t.Any] | None] = getattr(self, "_" + name)
                return render(match.group(1))
        return None

    def _issuer(self, public_id: str) -> Issuer | None:
        return self.session.scalar(select(Issuer).where(Issuer.public_id == public_id))

    def _ob2_issuer(self, public_id: str) -> dict[str, t.Any] | None:
        issuer = self._issuer(public_id)
        return documents.ob2_issuer(self.urls, issuer) if issuer else None

    def _revocations(self, public_id: str) -> dict[str, t.Any] | None:
        issuer = self._issuer(public_id)
        if issuer is None:
            return None
        revoked = self.session.scalars(
            select(IssuedAward)
            .where(IssuedAward.issuer_id == issuer.id, IssuedAward.revoked_at.is_not(None))
            .order_by(IssuedAward.id)
        )
        return documents.revocation_list(self.urls, issuer, revoked)

    def _badge_class(self, public_id: str) -> dict[str, t.Any] | None:
        achievement = self.session.scalar(
            select(Achievement).where(Achievement.public_id == public_id)
        )
        return documents.badge_class(self.urls, achievement) if achievement else None

    def _award(self, public_id: str) -> IssuedAward | None:
        return self.session.scalar(select(IssuedAward).where(IssuedAward.public_id == public_id))

    def _assertion(self, public_id: str) -> dict[str, t.Any] | None:
        award = self._award(public_id)
        return documents.ob2_assertion(self.urls, award) if award else None

    def _credential(self, public_id: str) -> dict[str, t.Any] | None:
        award = self._award(public_id)
        return dict(award.credential) if award else None

    def _profile(self, public_id: str) -> dict[str, t.Any] | None:
        issuer = self._issuer(public_id)
        return documents.profile(self.urls, issuer) if issuer else None

    def _status_list(self, public_id: str) -> dict[str, t.Any] | None:
        issuer = self._issuer(public_id)
        if issuer is None:
            return None
        status = self.session.get(StatusList, issuer.id)
        if status is None:
            return None
        unsigned = documents.unsigned_status_list(self.urls, issuer, status.bits, status.updated_at)
        return signing.sign(unsigned, issuer, self.urls, self.data_keys, status.updated_at)


class LocalFetch:
    """A ``Fetch`` that answers our own published URLs from the database, others over HTTP."""

    def __init__(self, publisher: Publisher, fallback: Fetch) -> None:
        self.publisher = publisher
        self.fallback = fallback

    def __call__(self, url: str, *, accept: t.Sequence[str]) -> Fetched:
        """Return our own document for ``url``, or fetch it."""
        base = self.publisher.urls.base
        if url.startswith(base + "/"):
            path = url[len(base) :].split("#", 1)[0].split("?", 1)[0]
            document = self.publisher.document(path)
            if document is not None:
                body = json.dumps(document).encode()
                return Fetched(
                    url=url, status=200, content_type="application/ld+json", content=body
                )
        return self.fallback(url, accept=accept)


def own_documents_first(session: Session, config: Config, fallback: Fetch) -> LocalFetch:
    """Return a fetch that reads documents we publish from the database, others via ``fallback``."""
    return LocalFetch(Publisher(session, config.base_url, config.data_keys), fallback)
