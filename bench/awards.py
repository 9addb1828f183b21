"""Batch-award through the issuer API against plain SQLAlchemy Core inserts of the same rows.

Run: .venv/bin/python -m bench.awards [COUNT]   (default 10,000; a throwaway SQLite database and
embedded Redis; with DATABASE_URL set, that database, migrated to head, is used instead and the
rows the bench made are deleted at the end).

Three figures:
- API: one ``POST /api/v1/awards/batch`` of COUNT items through the Flask test client (OAuth2
  token, validation, one transaction per 500, each credential signed with eddsa-rdfc-2022,
  an audit row and an outbox event per award), awards per second;
- Core: the same ``issued_awards`` rows (credentials included) inserted with one executemany;
- signing alone: ``issuers.signing.sign`` of one credential in a loop, the floor of the API path.
The ratio API / Core is the figure of issue 5 (target on PostgreSQL: >= 0.3).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import select

from tests.factories import make_user
from wallet import migrate
from wallet.app import create_app
from wallet.config import config_for_tests
from wallet.issuer_api import service as api_service
from wallet.issuers import documents
from wallet.issuers import service as issuers
from wallet.issuers import signing
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer
from wallet.runtime import Runtime

BASE = "http://localhost"


def _issuer(session: object, user_id: int, keys: tuple[str, ...], name: str) -> Issuer:
    return issuers.create_issuer(
        session,  # type: ignore[arg-type]
        user_id,
        name=name,
        url="https://bench.example",
        email="bench@bench.example",
        description="",
        data_keys=keys,
    )


def main(count: int) -> None:
    """Award ``count`` badges through the API, insert as many with Core, print both rates."""
    with tempfile.TemporaryDirectory() as folder:
        config = config_for_tests(
            Path(folder), database_url=os.environ.get("DATABASE_URL") or None
        ).with_overrides(ratelimit_enabled=False, max_content_length=64 * 1024 * 1024)
        app = create_app(config)
        runtime: Runtime = app.extensions["wallet"]
        migrate.upgrade(runtime.db)
        keys = config.data_keys
        with runtime.db.session() as session:
            user = make_user(session)
            issuer = _issuer(session, user.id, keys, "Bench API")
            other = _issuer(session, user.id, keys, "Bench Core")
            achievement = issuers.create_achievement(
                session, user.id, issuer.id, {"name": "Bench", "description": "d", "criteria": "c"}
            )
            client, secret = api_service.create_client(
                session, user.id, issuer.id, name="bench", scopes=["awards:write"]
            )
            ids = (issuer.id, other.id, achievement.id, achievement.public_id, client.client_id)
        issuer_id, other_id, achievement_id, achievement_public, client_id = ids
        http = app.test_client()
        token = http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(client_id, secret),
        ).json["access_token"]
        items = [
            {"achievement_id": achievement_public, "recipient": {"email": f"p{n}@bench.example"}}
            for n in range(count)
        ]
        started = time.perf_counter()
        response = http.post(
            "/api/v1/awards/batch",
            json={"items": items},
            headers={"Authorization": f"Bearer {token}"},
        )
        api_seconds = time.perf_counter() - started
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        assert response.json["created"] == count, response.json["results"][:3]

        with runtime.db.session() as session:
            made = session.scalars(
                select(IssuedAward).where(IssuedAward.issuer_id == issuer_id)
            ).all()
            rows = [
                {
                    "public_id": uuid.uuid4().hex,
                    "issuer_id": other_id,
                    "achievement_id": achievement_id,
                    "recipient_type": "email",
                    "recipient_normalized": row.recipient_normalized,
                    "recipient_name": row.recipient_name,
                    "salt": row.salt,
                    "issued_at": row.issued_at,
                    "status_index": row.status_index,
                    "credential": row.credential,
                    "revocation_reason": "",
                }
                for row in made
            ]
            started = time.perf_counter()
            session.execute(insert(IssuedAward.__table__), rows)
            session.commit()
            core_seconds = time.perf_counter() - started

            # Signing alone, the floor of the API path.
            issuer_row = session.get_one(Issuer, issuer_id)
            urls = documents.Urls(BASE)
            sample = made[0]
            unsigned = {k: v for k, v in sample.credential.items() if k != "proof"}
            rounds = max(50, min(count // 20, 500))
            started = time.perf_counter()
            for _ in range(rounds):
                signing.sign(unsigned, issuer_row, urls, keys, sample.issued_at)
            sign_rate = rounds / (time.perf_counter() - started)

            if os.environ.get("DATABASE_URL"):
                session.execute(delete(Issuer).where(Issuer.id.in_([issuer_id, other_id])))
                session.commit()
        runtime.redis.close()
        runtime.db.dispose()

    api_rate, core_rate = count / api_seconds, count / core_seconds
    print(f"database: {runtime.db.dialect}; {count:,} awards")
    print(f"{'measure':<44}{'figure':>16}")
    print(f"{'API batch (signed, audited, outbox)':<44}{api_rate:>12,.0f}/s  ({api_seconds:.1f} s)")
    core = "SQLAlchemy Core executemany (same rows)"
    print(f"{core:<44}{core_rate:>12,.0f}/s  ({core_seconds:.2f} s)")
    print(f"{'signing alone (eddsa-rdfc-2022)':<44}{sign_rate:>12,.0f}/s")
    print(f"{'ratio API / Core':<44}{api_rate / core_rate:>16.4f}   (target >= 0.3)")
    print(f"{'ratio API / signing alone':<44}{api_rate / sign_rate:>16.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
