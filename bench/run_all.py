"""Run every benchmark of bench/ and print one table: figure, target, ratio to baseline, pass/fail.

Run: make bench   or   .venv/bin/python bench/run_all.py [--quick] [--only NAME,...] [--skip ...]

Each benchmark runs as its own process (so one that crashes or leaks cannot skew the next) and
ends with one machine-readable line, ``BENCH-JSON {...}``, which this runner reads; everything
else it prints goes to a log file per benchmark (its path is printed). The baselines are measured
in the same run by the benchmark itself (a bare Flask "hello" under the same gunicorn settings,
SQLAlchemy Core inserts of the same rows, a bare POST loop to the same receiver, the reference
validator, canonicalisation alone), so a ratio holds on a noisy machine where a figure does not.

SQLite and the embedded Redis by default; with DATABASE_URL set the benchmarks that read it
(awards, pages, recommendations) run on that database, and the table says which did.
``--quick`` runs smaller counts and shorter windows (a smoke test, about three minutes): its
figures are noisier, its ratios still meaningful. A benchmark whose file is absent prints
"not built".
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import typing as t
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "BENCH-JSON "

Figures = dict[str, t.Any]


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of the table."""

    figure: str
    value: str
    target: str = "-"
    ratio: str = "-"
    #: True passed, False failed, None: no target (a baseline or a figure shown for context).
    passed: bool | None = None


@dataclasses.dataclass(frozen=True)
class Bench:
    """A benchmark script, how to run it, and how its figures become rows."""

    name: str
    script: str
    full: tuple[str, ...]
    quick: tuple[str, ...]
    rows: t.Callable[[Figures], list[Row]]
    #: What the benchmark measures, for ``--list``.
    about: str


def _rate(value: float) -> str:
    return f"{value:,.0f}/s"


def _verify_rows(f: Figures) -> list[Row]:
    canon, rdfc = f["canonicalisation_per_s"], f["rdfc_verify_per_s"]
    cost = canon / rdfc
    return [
        Row("canonicalisation alone (baseline)", _rate(canon), ratio="1.00"),
        Row(
            "OB 3.0 eddsa-rdfc-2022 verify (time vs canonicalisation)",
            _rate(rdfc),
            "<= 1.25x time",
            f"{cost:.2f}",
            cost <= 1.25,
        ),
        Row(
            "OB 3.0 VC-JWT verify",
            _rate(f["vcjwt_verify_per_s"]),
            ">= 200/s",
            passed=f["vcjwt_verify_per_s"] >= 200,
        ),
        Row("OB 2.0 signed (RS256) verify", _rate(f["rs256_verify_per_s"])),
        Row(
            "OB 2.0 hosted verify (warm Redis cache)",
            _rate(f["hosted_verify_per_s"]),
            ">= 500/s",
            passed=f["hosted_verify_per_s"] >= 500,
        ),
        Row("baked PNG extraction", _rate(f["baked_extract_per_s"])),
    ]


def _reference_rows(f: Figures) -> list[Row]:
    ratio = f["ours_per_s"] / f["reference_per_s"]
    return [
        Row(
            "reference validator openbadges 1.1.2 (baseline)",
            _rate(f["reference_per_s"]),
            ratio="1.00",
        ),
        Row(
            "our OB 2.0 verifier, same corpus",
            _rate(f["ours_per_s"]),
            ">= 5x",
            f"{ratio:.1f}",
            ratio >= 5,
        ),
        Row("verdicts agreeing with the reference", f"{f['agree']}/{f['vectors']}"),
    ]


def _awards_rows(f: Figures) -> list[Row]:
    ratio = f["api_per_s"] / f["core_per_s"]
    return [
        Row("SQLAlchemy Core executemany (baseline)", _rate(f["core_per_s"]), ratio="1.00"),
        Row(
            f"API batch award, signed ({f['count']:,} a batch)",
            _rate(f["api_per_s"]),
            ">= 0.3x (PostgreSQL)",
            f"{ratio:.4f}",
            ratio >= 0.3,
        ),
        Row("signing one credential (eddsa-rdfc-2022)", _rate(f["sign_one_per_s"])),
    ]


def _pages_rows(f: Figures) -> list[Row]:
    hello = f["hello"]
    return [
        Row("bare Flask hello, same gunicorn (baseline)", _rate(hello), ratio="1.00"),
        Row(
            "skills page /@handle/skills",
            _rate(f["skills"]),
            ">= 0.5x",
            f"{f['skills'] / hello:.2f}",
            f["skills"] / hello >= 0.5,
        ),
        Row(
            "skills page filtered by issuer",
            _rate(f["skills (filtered)"]),
            ratio=f"{f['skills (filtered)'] / hello:.2f}",
        ),
        Row("public award page /a/<id>", _rate(f["award"]), ratio=f"{f['award'] / hello:.2f}"),
    ]


def _events_rows(f: Figures) -> list[Row]:
    rate, bare = f["deliveries_per_s"], f["bare_per_s"]
    return [
        Row("bare requests POST loop (baseline)", _rate(bare), ratio="1.00"),
        Row(
            "webhook deliveries, one worker process",
            _rate(rate),
            ">= 1,000/s",
            f"{rate / bare:.2f}",
            rate >= 1000,
        ),
        Row(
            "webhook deliveries against the bare loop",
            _rate(rate),
            ">= 0.5x",
            f"{rate / bare:.2f}",
            rate / bare >= 0.5,
        ),
        Row("commit -> receipt p50", f"{f['p50_s']:.3f} s"),
        Row("commit -> receipt p99", f"{f['p99_s']:.3f} s", "<= 2 s", passed=f["p99_s"] <= 2),
    ]


def _recommend_rows(f: Figures) -> list[Row]:
    """Rows of bench/recommend.py: named keys, or its own ``rows`` when it gives them."""
    if "rows" in f:
        return [
            Row(
                str(row["figure"]),
                str(row["value"]),
                str(row.get("target") or "-"),
                str(row.get("ratio") or "-"),
                row.get("pass"),
            )
            for row in f["rows"]
        ]
    engine, popular = f["hit_rate_at_5"], f["popularity_hit_rate_at_5"]
    ratio = engine / popular if popular else float("inf")
    return [
        Row("popularity hit-rate@5 (baseline)", f"{popular:.3f}", ratio="1.00"),
        Row(
            "recommendation hit-rate@5",
            f"{engine:.3f}",
            ">= 0.6 and >= 2x",
            f"{ratio:.2f}",
            engine >= 0.6 and ratio >= 2,
        ),
        Row(
            "recommendations p95, one earner",
            f"{f['p95_ms']:.1f} ms",
            "<= 20 ms",
            passed=f["p95_ms"] <= 20,
        ),
    ]


BENCHES = (
    Bench(
        "verify",
        "bench/verify.py",
        (),
        (),
        _verify_rows,
        "verification throughput on one core (issue 3)",
    ),
    Bench(
        "reference",
        "bench/reference.py",
        (),
        (),
        _reference_rows,
        "our OB 2.0 verifier against the reference validator (issue 3)",
    ),
    Bench(
        "awards",
        "bench/awards.py",
        ("10000",),
        ("500",),
        _awards_rows,
        "batch awarding through the issuer API against Core inserts (issue 5)",
    ),
    Bench(
        "pages",
        "bench/pages.py",
        ("8",),
        ("3",),
        _pages_rows,
        "skills and award pages against a bare Flask hello under gunicorn (issue 7)",
    ),
    Bench(
        "events",
        "bench/events.py",
        ("--count", "2000"),
        ("--count", "500"),
        _events_rows,
        "webhook deliveries against a bare POST loop (issue 10)",
    ),
    Bench(
        "recommend",
        "bench/recommend.py",
        (),
        (),
        _recommend_rows,
        "recommendation hit-rate and latency (issue 8)",
    ),
)


def _figures(output: str) -> Figures | None:
    lines = [line for line in output.splitlines() if line.startswith(MARK)]
    return t.cast(Figures, json.loads(lines[-1][len(MARK) :])) if lines else None


def run(bench: Bench, quick: bool, logs: Path) -> tuple[str, list[Row], float]:
    """Run one benchmark; return (database it ran on, rows, seconds it took)."""
    script = ROOT / bench.script
    if not script.exists():
        return "-", [Row(bench.name, "not built")], 0.0
    log = logs / f"{bench.name}.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_QUICK": "1" if quick else ""}
    started = time.monotonic()
    with log.open("w") as out:
        done = subprocess.run(  # noqa: S603 (our interpreter, our scripts)
            [sys.executable, str(script), *(bench.quick if quick else bench.full)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=out,
            text=True,
            check=False,
        )
        out.write(done.stdout)
    seconds = time.monotonic() - started
    figures = _figures(done.stdout)
    if done.returncode != 0 or figures is None:
        why = f"exit {done.returncode}" if done.returncode else "no BENCH-JSON line"
        return "-", [Row(bench.name, f"ERROR ({why}, see {log})", passed=False)], seconds
    try:
        rows = bench.rows(figures)
    except KeyError as missing:
        return "-", [Row(bench.name, f"ERROR (no figure {missing})", passed=False)], seconds
    return str(figures.get("database", "-")), rows, seconds


def _verdict(passed: bool | None) -> str:
    return {True: "pass", False: "FAIL", None: "-"}[passed]


def print_table(results: list[tuple[Bench, str, list[Row], float]]) -> None:
    """Print every benchmark's rows as one table."""
    header = ("bench", "db", "figure", "value", "target", "ratio", "result")
    lines = [
        (bench.name, database, row.figure, row.value, row.target, row.ratio, _verdict(row.passed))
        for bench, database, rows, _ in results
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    rule = "  ".join("-" * width for width in widths)
    print("  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True)))
    print(rule)
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
    passed = sum(1 for _, _, rows, _ in results for row in rows if row.passed)
    targets = sum(1 for _, _, rows, _ in results for row in rows if row.passed is not None)
    print(rule)
    print(f"{passed} of {targets} targets met")


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks and print the table; exit 1 when one could not run."""
    names = [bench.name for bench in BENCHES]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts, shorter windows")
    parser.add_argument("--only", default="", help=f"comma-separated subset of {names}")
    parser.add_argument("--skip", default="", help="comma-separated benchmarks to leave out")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    parser.add_argument("--logs", type=Path, help="folder for each benchmark's full output")
    options = parser.parse_args(argv)
    if options.list:
        for bench in BENCHES:
            print(f"{bench.name:<10} {bench.script:<20} {bench.about}")
        return 0
    only = [name for name in options.only.split(",") if name]
    skip = [name for name in options.skip.split(",") if name]
    unknown = sorted(set(only + skip) - set(names))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {names}")
    chosen = [b for b in BENCHES if (not only or b.name in only) and b.name not in skip]
    logs = options.logs or Path(tempfile.mkdtemp(prefix="wallet-bench-"))
    logs.mkdir(parents=True, exist_ok=True)

    database = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, DATABASE_URL: {database}, "
        f"{'quick' if options.quick else 'full'} run; logs in {logs}",
        flush=True,
    )
    results = []
    for bench in chosen:
        print(f"running {bench.name} ...", end=" ", file=sys.stderr, flush=True)
        database_used, rows, seconds = run(bench, options.quick, logs)
        print(f"{seconds:.0f} s", file=sys.stderr, flush=True)
        results.append((bench, database_used, rows, seconds))
    print()
    print_table(results)
    broken = any(row.value.startswith("ERROR") for _, _, rows, _ in results for row in rows)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
