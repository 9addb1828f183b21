"""Batch-award through the issuer API against plain SQLAlchemy Core inserts of the same rows.

Run: .venv/bin/python -m bench.awards [COUNT]   (default 10,000; a throwaway SQLite database and
embedded Redis; with DATABASE_URL set, that database, migrated to head, is used instead and the
rows the bench made are deleted at the end).

Figures, best of three alternating rounds:
- API: one ``POST /api/v1/awards/batch`` of COUNT items through the Flask test client (OAuth2
  token, validation, one transaction per 500, each credential signed with eddsa-rdfc-2022 by the
  batch signer, an audit entry and an outbox event per transaction), awards per second;
- Core: the same ``issued_awards`` rows (credentials included) inserted with one executemany;
- signing alone: ``issuers.signing.sign`` of one credential (what a single award costs), and the
  batch signer over the round's awards, the floor of the API path.
The ratio API / Core is the figure of issue 5 (target on PostgreSQL: >= 0.3).

With ``--profile`` the first API round runs under cProfile and the functions that took the most
time (cumulative) are printed after the figures: where a batch's time goes, stage by stage.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_user
from wallet import migrate
from wallet.app import create_app
from wallet.config import config_for_tests
from wallet.issuer_api import service as api_service
from wallet.issuers import documents
from wallet.issuers import service as issuers
from wallet.issuers import signing
from wallet.issuers.batch_signing import BatchSigner
from wallet.issuers.models import Achievement
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer
from wallet.runtime import Runtime

BASE = "http://localhost"
#: API and Core runs alternate this many times; the best of each is kept (a noisy machine slows
#: runs, it never speeds them up).
ROUNDS = 3


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


def main(count: int, *, profile: bool = False) -> None:
    """Award ``count`` badges through the API, insert as many with Core, print both rates."""
    profiler = cProfile.Profile() if profile else None
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

        def api_round(number: int) -> float:
            items = [
                {
                    "achievement_id": achievement_public,
                    "recipient": {"email": f"r{number}p{n}@bench.example"},
                }
                for n in range(count)
            ]
            profiling = profiler if number == 0 else None
            started = time.perf_counter()
            if profiling is not None:
                profiling.enable()
            response = http.post(
                "/api/v1/awards/batch",
                json={"items": items},
                headers={"Authorization": f"Bearer {token}"},
            )
            if profiling is not None:
                profiling.disable()
            seconds = time.perf_counter() - started
            assert response.status_code == 200, response.get_data(as_text=True)[:500]
            assert response.json["created"] == count, response.json["results"][:3]
            return seconds

        def core_round(session: Session, made: list[IssuedAward]) -> float:
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
                    "status_index": row.status_index + core_offset[0],
                    "credential": row.credential,
                    "revocation_reason": "",
                }
                for row in made
            ]
            core_offset[0] += len(rows)
            started = time.perf_counter()
            session.execute(insert(IssuedAward.__table__), rows)
            session.commit()
            return time.perf_counter() - started

        core_offset = [0]
        api_seconds = core_seconds = float("inf")
        with runtime.db.session() as session:
            for number in range(ROUNDS):
                api_seconds = min(api_seconds, api_round(number))
                made = session.scalars(
                    select(IssuedAward)
                    .where(IssuedAward.issuer_id == issuer_id)
                    .order_by(IssuedAward.id.desc())
                    .limit(count)
                ).all()
                core_seconds = min(core_seconds, core_round(session, list(made)))
                session.expunge_all()

            # Signing alone, the floor of the API path: one credential the slow way (what a
            # single award does), and a batch's worth with the batch signer.
            issuer_row = session.get_one(Issuer, issuer_id)
            urls = documents.Urls(BASE)
            sample = made[0]
            unsigned = {k: v for k, v in sample.credential.items() if k != "proof"}
            rounds = max(20, min(count // 50, 200))
            started = time.perf_counter()
            for _ in range(rounds):
                signing.sign(unsigned, issuer_row, urls, keys, sample.issued_at)
            sign_rate = rounds / (time.perf_counter() - started)
            achievement_row = session.get_one(Achievement, achievement_id)
            signer = BatchSigner(issuer_row, urls, keys, sample.issued_at)
            started = time.perf_counter()
            for row in made:
                signer.sign(row, achievement_row)
            batch_sign_rate = len(made) / (time.perf_counter() - started)

            if os.environ.get("DATABASE_URL"):
                session.execute(delete(Issuer).where(Issuer.id.in_([issuer_id, other_id])))
                session.commit()
        runtime.redis.close()
        runtime.db.dispose()

    api_rate, core_rate = count / api_seconds, count / core_seconds
    print(f"database: {runtime.db.dialect}; {count:,} awards; best of {ROUNDS} alternating rounds")
    print(f"{'measure':<44}{'figure':>16}")
    print(f"{'API batch (signed, audited, outbox)':<44}{api_rate:>12,.0f}/s  ({api_seconds:.1f} s)")
    core = "SQLAlchemy Core executemany (same rows)"
    print(f"{core:<44}{core_rate:>12,.0f}/s  ({core_seconds:.2f} s)")
    print(f"{'signing one credential (eddsa-rdfc-2022)':<44}{sign_rate:>12,.0f}/s")
    print(f"{'batch signing alone (templated RDFC)':<44}{batch_sign_rate:>12,.0f}/s")
    print(f"{'ratio API / Core':<44}{api_rate / core_rate:>16.4f}   (target >= 0.3)")
    print(f"{'ratio API / batch signing alone':<44}{api_rate / batch_sign_rate:>16.2f}")
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        print("\nfirst API round under cProfile (slower than unprofiled), by cumulative time:")
        print(out.getvalue())
    figures = {"api_per_s": api_rate, "core_per_s": core_rate, "sign_one_per_s": sign_rate}
    print("BENCH-JSON " + json.dumps({"database": runtime.db.dialect, "count": count} | figures))


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--profile"]
    main(int(arguments[0]) if arguments else 10_000, profile="--profile" in sys.argv[1:])
