"""The ``wallet`` command: a Flask CLI group bound to ``create_app``."""

from __future__ import annotations

import json
import logging
import typing as t
from pathlib import Path

import click
from alembic import command
from flask import Flask
from flask import current_app
from flask.cli import FlaskGroup
from flask.cli import routes_command
from flask.cli import shell_command

from wallet import bench_data
from wallet import demo
from wallet import i18n
from wallet import migrate
from wallet import serve
from wallet.app import create_app
from wallet.badges import verify as verification
from wallet.events import worker
from wallet.runtime import Runtime


def _runtime() -> Runtime:
    return t.cast("Runtime", current_app.extensions["wallet"])


def _factory() -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_factory, add_default_commands=False)
def main() -> None:
    """Manage and run the wallet."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


main.add_command(shell_command)
main.add_command(routes_command)


@main.group()
def db() -> None:
    """Apply and write database migrations."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the database schema up to date."""
    migrate.upgrade(_runtime().db, revision)
    click.echo(f"Database at {revision}.")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Take the database schema down to REVISION."""
    migrate.downgrade(_runtime().db, revision)


@db.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate", is_flag=True, help="Compare the models with the database.")
def db_revision(message: str, autogenerate: bool) -> None:
    """Write a new migration file."""
    command.revision(
        migrate.alembic_config(_runtime().db), message=message, autogenerate=autogenerate
    )


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="Defaults to PORT, else 5000.")
@click.option("--debug", is_flag=True, help="Flask's reloading debug server instead of gunicorn.")
@click.option("--workers", type=int, default=1, show_default=True, help="gunicorn processes.")
@click.option("--no-worker", is_flag=True, help="Do not run the relay and jobs in this process.")
def run_command(host: str, port: int | None, debug: bool, workers: int, no_worker: bool) -> None:
    """Upgrade the database, then serve the web app with relay and worker threads."""
    runtime = _runtime()
    migrate.upgrade(runtime.db)
    serve.run(
        host=host,
        port=port or runtime.config.port,
        debug=debug,
        workers=workers,
        with_worker=runtime.config.embedded_worker and not no_worker,
    )


@main.command("worker")
@click.option("--threads", type=int, default=4, show_default=True)
@click.option(
    "--no-relay", is_flag=True, help="Run jobs only; another process relays and schedules."
)
def worker_command(threads: int, no_relay: bool) -> None:
    """Run background jobs (and the outbox relay and scheduler) until stopped."""
    worker.run_forever(_runtime(), threads=threads, relay=not no_relay)


@main.command("seed-demo")
@click.option("--reset-password", is_flag=True, help="Give the demo earner a new password.")
def seed_demo_command(reset_password: bool) -> None:
    """Create the demo data unless it exists, and print how to sign in."""
    runtime = _runtime()
    migrate.upgrade(runtime.db)
    with runtime.db.session() as session:
        report = demo.seed(
            session, reset_password=reset_password, data_keys=runtime.config.data_keys
        )
    for line in report:
        click.echo(line)


@main.command("bench-data")
@click.option("--earners", type=int, default=bench_data.Size.earners, show_default=True)
@click.option("--issuers", type=int, default=bench_data.Size.issuers, show_default=True)
@click.option("--achievements", type=int, default=bench_data.Size.achievements, show_default=True)
@click.option("--awards", type=int, default=bench_data.Size.awards, show_default=True)
@click.option("--events", type=int, default=bench_data.Size.events, show_default=True)
@click.option("--seed", type=int, default=bench_data.Size.seed, show_default=True)
def bench_data_command(
    earners: int, issuers: int, achievements: int, awards: int, events: int, seed: int
) -> None:
    """Fill the database with a generated population for benchmarks (pathways planted)."""
    if min(earners, issuers, achievements) < 1 or min(awards, events) < 0:
        raise click.BadParameter("earners, issuers and achievements must be at least 1.")
    runtime = _runtime()
    migrate.upgrade(runtime.db)
    size = bench_data.Size(
        earners=earners,
        issuers=issuers,
        achievements=achievements,
        awards=awards,
        events=events,
        seed=seed,
    )
    with (
        runtime.db.session() as session,
        click.progressbar(length=size.work, label="Generating") as bar,
    ):
        loaded = bench_data.generate(
            session, size, base_url=runtime.config.base_url, progress=bar.update
        )
    click.echo(
        f"{loaded.earners:,} earners, {loaded.issuers:,} issuers, "
        f"{loaded.achievements:,} achievements in {loaded.pathways:,} pathways, "
        f"{loaded.awards:,} awards ({loaded.skills:,} skills), {loaded.events:,} events; "
        "co-earned statistics rebuilt."
    )


@main.command("verify")
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--recipient", multiple=True, help="An address the badge should be awarded to.")
def verify_command(source: str, as_json: bool, recipient: tuple[str, ...]) -> None:
    """Verify a badge: a file (PNG, SVG, JSON, JWS, JWT) or a URL.

    Exits 0 when valid, 1 when invalid, 2 when it could not be verified or on a usage error.
    """
    if source.startswith(("https://", "http://")):
        data: bytes | str = source
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            click.echo(f"Cannot read {source}: {error.strerror}", err=True)
            raise SystemExit(2) from error
    report = verification.verify(data, fetch=_runtime().http.get, recipients=recipient)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        click.echo(f"{report.status.upper()} ({report.format})")
        for check in report.checks:
            click.echo(f"  [{check.status:4}] {check.name}: {check.message}")
    raise SystemExit({"valid": 0, "invalid": 1}.get(report.status, 2))


@main.group()
def translations() -> None:
    """Extract and compile the interface's message catalogues."""


@translations.command("compile")
def translations_compile() -> None:
    """Compile every .po catalogue into the .mo file Flask-Babel reads."""
    for path in i18n.compile_catalogues():
        click.echo(f"compiled {path}")


@translations.command("extract")
def translations_extract() -> None:
    """Extract messages from code and templates and update every .po catalogue."""
    for path in i18n.update_catalogues():
        click.echo(f"updated {path}")
