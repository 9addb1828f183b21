"""Recommendations against the planted population: hit-rate@5 against popularity, and latency.

Run: DATABASE_URL=... .venv/bin/python -m bench.recommend [--earners 2000] [--load] [--rebuild]
(with ``--load`` it first runs the generator, ``wallet bench-data``, with the sizes given;
without, the database must hold bench data already). Without DATABASE_URL: a throwaway SQLite
database, loaded at 1/100 of the default size.

How it measures (issue 8):
- test earners: a seeded sample of earners with at least two awards; each one's most recent
  award is held out: deleted, and subtracted from the co-earned statistics as deleting it from
  the wallet would (``--rebuild``: all statistics recomputed without the held-out awards), inside
  one transaction that is rolled back at the end (the database is left as it was);
- hit-rate@5: the share of test earners whose held-out achievement is among the engine's five
  (``recommendation_service.recommendations_for``); the baseline recommends the five most held
  achievements the earner does not hold;
- latency: ``recommendations_for`` for one earner at a time (random earners, warm), p50 and p95,
  and the SQL statements it ran (constant whatever the earner holds); beside each call, a bare
  ``SELECT 1`` round trip on the same connection, the floor on a loaded machine.
Targets: hit-rate@5 >= 0.6 and >= 2x the baseline; p95 <= 20 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
import typing as t
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import select

from wallet import bench_data
from wallet import migrate
from wallet.backpack.models import Award
from wallet.db import Database
from wallet.pathways import coearned
from wallet.pathways import recommendation_queries as queries
from wallet.pathways import recommendation_service as service
from wallet.pathways.models import PathwayStep
from wallet.pathways.recommendation_models import AchievementStat

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

TARGET_HIT_RATE = 0.6
TARGET_RATIO = 2.0
TARGET_P95_MS = 20.0
#: Calls of ``recommendations_for`` timed, after this many to warm up.
LATENCY_CALLS, WARM_UP = 500, 50
K = 5


def _base_url(session: Session) -> str:
    """Return the base URL the bench data's achievement IRIs were made with."""
    iri = session.scalar(
        select(PathwayStep.achievement_iri)
        .where(PathwayStep.achievement_iri.contains("/ob/v2/badges/"))
        .limit(1)
    )
    if iri is None:
        raise SystemExit("No bench data here: run `wallet bench-data` first, or pass --load.")
    return iri.split("/ob/v2/badges/")[0]


def _held_out(session: Session, sample: int, rng: random.Random) -> dict[int, tuple[int, str]]:
    """Pick test earners and each one's most recent award: {user id: (award id, IRI)}."""
    earners = list(
        session.scalars(
            select(Award.user_id)
            .where(Award.acceptance == "accepted", Award.achievement_iri != "")
            .group_by(Award.user_id)
            .having(func.count() >= 2)
            .order_by(Award.user_id)
        )
    )
    chosen = sorted(rng.sample(earners, min(sample, len(earners))))
    held_out: dict[int, tuple[int, str]] = {}
    for start in range(0, len(chosen), 1000):
        rows = session.execute(
            select(Award.user_id, Award.id, Award.achievement_iri, Award.issued_at)
            .where(Award.user_id.in_(chosen[start : start + 1000]), Award.acceptance == "accepted")
            .order_by(Award.user_id, Award.issued_at, Award.id)
        )
        for user_id, award_id, iri, _issued in rows:
            held_out[user_id] = (award_id, iri)
    return held_out


def _popular(session: Session, limit: int) -> list[str]:
    return list(
        session.scalars(
            select(AchievementStat.achievement_iri)
            .order_by(AchievementStat.holders.desc(), AchievementStat.achievement_iri)
            .limit(limit)
        )
    )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(
    database: Database, *, earners: int = 2000, seed: int = 1, rebuild: bool = False
) -> dict[str, t.Any]:
    """Return the evaluation's figures as a dict (what ``make bench`` collects).

    The held-out awards leave the statistics as a deletion from the wallet does (or, with
    ``rebuild``, by recomputing them all without those awards: slow on the full population).
    """
    rng = random.Random(seed)
    statements = 0

    def count(*_args: t.Any) -> None:
        nonlocal statements
        statements += 1

    with database.session() as session:
        base_url = _base_url(session)
        held_out = _held_out(session, earners, rng)
        started = time.perf_counter()
        if rebuild:
            session.execute(delete(Award).where(Award.id.in_([a for a, _ in held_out.values()])))
            coearned.rebuild(session)
        else:
            # What deleting each award from the wallet does to the statistics (the same
            # bookkeeping as ``backpack.service.delete_award``), then the award goes.
            for user_id, (award_id, iri) in held_out.items():
                coearned.award_released(session, user_id, iri, award_id=award_id)
            session.execute(delete(Award).where(Award.id.in_([a for a, _ in held_out.values()])))
        hide_seconds = time.perf_counter() - started
        popular = _popular(session, 500)
        hits = baseline_hits = 0
        for user_id, (_award_id, iri) in held_out.items():
            found = service.recommendations_for(session, user_id, K, base_url=base_url)
            hits += iri in {entry.item.target for entry in found}
            held = queries.holdings(session, user_id).held
            baseline_hits += iri in [other for other in popular if other not in held][:K]
        session.rollback()

        everyone = list(session.scalars(select(Award.user_id).distinct().limit(50_000)))
        timings: list[float] = []
        floor: list[float] = []
        per_call: set[int] = set()
        event.listen(database.engine, "before_cursor_execute", count)
        try:
            for number in range(WARM_UP + LATENCY_CALLS):
                user_id = rng.choice(everyone)
                statements = 0
                started = time.perf_counter()
                service.recommendations_for(session, user_id, K, base_url=base_url)
                elapsed = time.perf_counter() - started
                session.rollback()
                calls = statements
                # The floor, measured beside it: one trivial statement's round trip.
                started = time.perf_counter()
                session.execute(select(1)).all()
                trivial = time.perf_counter() - started
                session.rollback()
                if number >= WARM_UP:
                    timings.append(elapsed * 1000)
                    floor.append(trivial * 1000)
                    per_call.add(calls)
        finally:
            event.remove(database.engine, "before_cursor_execute", count)
    tested = len(held_out)
    hit_rate = hits / tested if tested else 0.0
    baseline = baseline_hits / tested if tested else 0.0
    return {
        "database": database.engine.dialect.name,
        "earners_tested": tested,
        "hit_rate_at_5": round(hit_rate, 4),
        "baseline_hit_rate_at_5": round(baseline, 4),
        "ratio_to_baseline": round(hit_rate / baseline, 2) if baseline else float("inf"),
        "latency_p50_ms": round(statistics.median(timings), 2),
        "latency_p95_ms": round(_percentile(timings, 0.95), 2),
        "statements_per_call": sorted(per_call),
        "select_1_p50_ms": round(statistics.median(floor), 3),
        "p50_in_select_1s": round(statistics.median(timings) / statistics.median(floor), 1),
        "hide_seconds": round(hide_seconds, 2),
    }


def run(
    database_url: str | None = None,
    *,
    earners: int = 2000,
    load: bench_data.Size | None = None,
    seed: int = 1,
    rebuild: bool = False,
) -> dict[str, t.Any]:
    """Load bench data if asked (always on a throwaway SQLite database), then ``measure``."""
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        database = Database(url)
        try:
            migrate.upgrade(database)
            if load is not None or database_url is None:
                size = load or bench_data.Size(
                    earners=1_000, issuers=20, achievements=500, awards=10_000, events=0
                )
                with database.session() as session:
                    bench_data.generate(session, size, base_url="http://localhost")
            return measure(database, earners=earners, seed=seed, rebuild=rebuild)
        finally:
            database.dispose()


def table(figures: dict[str, t.Any]) -> str:
    """Return the figures as the table the bench prints."""
    passed = {
        "hit": figures["hit_rate_at_5"] >= TARGET_HIT_RATE,
        "ratio": figures["ratio_to_baseline"] >= TARGET_RATIO,
        "p95": figures["latency_p95_ms"] <= TARGET_P95_MS,
    }
    statements = ", ".join(map(str, figures["statements_per_call"]))
    rows = [
        ("measure", "figure", "target", ""),
        ("hit-rate@5 (engine)", f"{figures['hit_rate_at_5']:.3f}", ">= 0.6", passed["hit"]),
        ("hit-rate@5 (popularity baseline)", f"{figures['baseline_hit_rate_at_5']:.3f}", "-", ""),
        ("ratio engine / baseline", f"{figures['ratio_to_baseline']:.2f}x", ">= 2x",
         passed["ratio"]),
        ("recommendations_for p50", f"{figures['latency_p50_ms']:.2f} ms", "-", ""),
        ("recommendations_for p95", f"{figures['latency_p95_ms']:.2f} ms", "<= 20 ms",
         passed["p95"]),
        ("SQL statements per call", statements, "constant", ""),
        ("SELECT 1 round trip p50 (floor)", f"{figures['select_1_p50_ms']:.3f} ms", "-", ""),
        ("p50 / SELECT 1 round trip", f"{figures['p50_in_select_1s']:.1f}x", "-", ""),
        ("hiding held-out awards from stats", f"{figures['hide_seconds']:.1f} s", "-", ""),
    ]  # fmt: skip
    lines = [f"database: {figures['database']}; {figures['earners_tested']:,} test earners"]
    for measure_, figure, target, ok in rows:
        mark = "" if ok == "" else ("pass" if ok else "FAIL")
        lines.append(f"{measure_:<36}{figure:<14}{target:<12}{mark}")
    return "\n".join(lines)


def main() -> None:
    """Parse the command line, run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--earners", type=int, default=2000, help="test earners (held out)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--load", action="store_true", help="generate bench data first")
    parser.add_argument(
        "--rebuild", action="store_true", help="recompute the statistics without held-out awards"
    )
    defaults = bench_data.Size()
    for name in ("population", "issuers", "achievements", "awards"):
        default = defaults.earners if name == "population" else getattr(defaults, name)
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    load = None
    if args.load:
        load = bench_data.Size(
            earners=args.population,
            issuers=args.issuers,
            achievements=args.achievements,
            awards=args.awards,
            events=0,
            seed=args.seed,
        )
    figures = run(
        os.environ.get("DATABASE_URL") or None,
        earners=args.earners,
        load=load,
        seed=args.seed,
        rebuild=args.rebuild,
    )
    print(table(figures))
    # The one line `make bench` (bench/run_all.py) reads.
    collected = {
        "database": figures["database"],
        "hit_rate_at_5": figures["hit_rate_at_5"],
        "popularity_hit_rate_at_5": figures["baseline_hit_rate_at_5"],
        "p95_ms": figures["latency_p95_ms"],
    }
    print("BENCH-JSON " + json.dumps(collected))


if __name__ == "__main__":
    main()
