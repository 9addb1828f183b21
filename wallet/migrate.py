"""Run Alembic migrations programmatically (the schema is changed only by migrations)."""

from __future__ import annotations

import typing as t

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext

from wallet.config import PROJECT_ROOT
from wallet.db import Base

if t.TYPE_CHECKING:
    from wallet.db import Database


def load_models() -> None:
    """Import every models module so ``Base.metadata`` knows all tables."""
    import wallet.accounts.models  # noqa: F401
    import wallet.backpack.models  # noqa: F401
    import wallet.engagement.models  # noqa: F401
    import wallet.events.models  # noqa: F401
    import wallet.issuer_api.models  # noqa: F401
    import wallet.issuers.models  # noqa: F401
    import wallet.pathways.models  # noqa: F401
    import wallet.pathways.recommendation_models  # noqa: F401
    import wallet.profiles.models  # noqa: F401
    import wallet.sharing.models  # noqa: F401
    import wallet.surveys.models  # noqa: F401


def alembic_config(database: Database) -> AlembicConfig:
    """Return an Alembic configuration bound to ``database``."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    config.attributes["engine"] = database.engine
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the schema up to ``revision``."""
    command.upgrade(alembic_config(database), revision)


def downgrade(database: Database, revision: str) -> None:
    """Take the schema down to ``revision``."""
    command.downgrade(alembic_config(database), revision)


def schema_drift(database: Database) -> list[t.Any]:
    """Return the differences between the models and the migrated schema (empty when in step)."""
    load_models()
    with database.engine.connect().execution_options(read_only=True) as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return list(compare_metadata(context, Base.metadata))
