"""The schema comes only from migrations, and the models agree with it."""

from __future__ import annotations

import typing as t

from wallet import migrate

if t.TYPE_CHECKING:
    from wallet.runtime import Runtime


def test_models_and_migrations_agree(runtime: Runtime) -> None:
    assert migrate.schema_drift(runtime.db) == []
