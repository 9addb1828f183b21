"""Database plumbing: the declarative ``Base``, the engine and the session factory.

The schema is created and changed only by Alembic migrations (``migrations/``). Services receive a
``Session`` and own its transaction; the web layer hands each request its own session
(``wallet.web.context.db_session``) and only rolls back and closes it at teardown.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from sqlalchemy import DateTime
from sqlalchemy import MetaData
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy import text
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker
from sqlalchemy.types import TypeDecorator

if t.TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.engine import Engine
    from sqlalchemy.engine.interfaces import Dialect

#: Constraint names that are stable across databases, so migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use wallet.db.utcnow()")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Base class of every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: t.ClassVar[dict[t.Any, t.Any]] = {dt.datetime: UTCDateTime()}


def utcnow() -> dt.datetime:
    """Return the current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


def _configure_sqlite(engine: Engine) -> None:
    """Make pysqlite honour transactions and savepoints, foreign keys, and concurrent readers."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: t.Any, _record: t.Any) -> None:
        # Let SQLAlchemy emit BEGIN itself; pysqlite's own handling breaks SAVEPOINT.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front (waiting up to busy_timeout for it). A deferred
        # transaction that reads and then writes while another process (the worker) committed in
        # between fails at once with "database is locked", which busy_timeout cannot help with.
        # SQLite is the one-machine embedded mode; serialising its transactions is the safe trade.
        # A connection that only reads says so (``read_only``) and does not queue for the lock.
        read_only = conn.get_execution_options().get("read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


class Database:
    """The engine and session factory of one app."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        options: dict[str, t.Any] = {"echo": echo}
        if url.startswith("sqlite"):
            options["connect_args"] = {"check_same_thread": False, "timeout": 10}
        else:
            options["pool_pre_ping"] = True
        self.engine: Engine = create_engine(url, **options)
        if self.engine.dialect.name == "sqlite":
            _configure_sqlite(self.engine)
        self.sessionmaker: sessionmaker[Session] = sessionmaker(
            bind=self.engine, expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        """Return the database's dialect name: ``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def session(self) -> Session:
        """Open a new session."""
        return self.sessionmaker()

    def ping(self) -> None:
        """Raise when the database cannot answer a trivial query."""
        with self.engine.connect().execution_options(read_only=True) as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
