"""Request-scoped access to the runtime: the one place views get a database session from."""

from __future__ import annotations

import typing as t

from flask import current_app
from flask import g

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.config import Config
    from wallet.runtime import Runtime


def runtime() -> Runtime:
    """Return the runtime of the current app."""
    return t.cast("Runtime", current_app.extensions["wallet"])


def config() -> Config:
    """Return the configuration of the current app."""
    return runtime().config


def db_session() -> Session:
    """Return this request's session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = runtime().db.session()
    return t.cast("Session", g.db_session)


def close_db_session(_exc: BaseException | None = None) -> None:
    """Roll back whatever a service did not commit, and close the session."""
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()
