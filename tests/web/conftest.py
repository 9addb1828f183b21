"""Fixtures for HTTP tests: earners to sign in as, and apps built with other settings."""

from __future__ import annotations

import typing as t
import uuid

import pytest

from tests.web.signin import sign_in_session
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User
from wallet.app import create_app
from wallet.db import utcnow
from wallet.extensions import limiter

if t.TYPE_CHECKING:
    from flask import Blueprint
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.config import Config
    from wallet.runtime import Runtime


class MakeUser(t.Protocol):
    def __call__(self, *, name: str = ..., verified: bool = ...) -> User: ...


class BuildApp(t.Protocol):
    def __call__(self, *blueprints: Blueprint, **overrides: t.Any) -> Flask: ...


@pytest.fixture
def make_user(db: Session) -> MakeUser:
    """Return a factory of earners, each with a unique primary email (verified by default)."""

    def make(*, name: str = "Ada Lovelace", verified: bool = True) -> User:
        token = uuid.uuid4().hex[:12]
        address = f"earner-{token}@example.org"
        user = User(handle=f"earner-{token}", display_name=name, password_hash="!unusable")
        user.emails.append(
            EmailAddress(
                email=address,
                normalized=address,
                is_primary=True,
                verified_at=utcnow() if verified else None,
            )
        )
        db.add(user)
        db.commit()
        return user

    return make


@pytest.fixture
def earner(make_user: MakeUser) -> User:
    """Return an earner with a verified email address."""
    return make_user()


@pytest.fixture
def signed_in() -> t.Callable[[FlaskClient, User], None]:
    """Return ``signed_in(client, user)``, which signs ``client`` in as ``user``."""
    return sign_in_session


@pytest.fixture
def build_app(app: Flask, base_config: Config) -> t.Iterator[BuildApp]:
    """Return ``build(*blueprints, **config_overrides)``: a separate app, closed after the test.

    The session app stays untouched (no test routes on it). Built apps share its database and
    Redis unless the overrides say otherwise.
    """
    shared: Runtime = app.extensions["wallet"]
    # Start the shared embedded Redis first, so a built app finds it running and never owns it.
    shared.redis.ensure_started()
    built: list[Flask] = []

    def build(*blueprints: Blueprint, **overrides: t.Any) -> Flask:
        other = create_app(base_config.with_overrides(**overrides))
        for blueprint in blueprints:
            other.register_blueprint(blueprint)
        built.append(other)
        return other

    yield build
    for other in built:
        runtime: Runtime = other.extensions["wallet"]
        runtime.redis.close()
        runtime.db.dispose()
    # Flask-Limiter keeps one storage per Limiter object, and the last app bound wins: give the
    # shared limiter back to the session app.
    limiter.init_app(app)
