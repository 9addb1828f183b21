"""pages revision: the database bumps an earner's pages revision whenever their awards change

The fingerprint of an earner's cached public pages was an aggregate over all their awards, read on
every anonymous view; a counter kept by triggers makes it one indexed lookup, and no writer (ORM,
Core, bulk COPY, a migration) can forget to bump it. PostgreSQL uses statement-level triggers
with transition tables, so a bulk insert bumps each earner once per statement.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 12:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_EVENTS = (('insert', 'NEW', 'new_rows'), ('update', 'NEW', 'new_rows'), ('delete', 'OLD', 'old_rows'))


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pages_revision', sa.Integer(), server_default='0', nullable=False))
    if op.get_bind().dialect.name == 'postgresql':
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    for event, row, _table in _EVENTS:
        op.execute(
            f"CREATE TRIGGER awards_touch_owner_{event} AFTER {event.upper()} ON awards "
            f"FOR EACH ROW BEGIN "
            f"UPDATE users SET pages_revision = pages_revision + 1 WHERE id = {row}.user_id; END"
        )


def _postgresql_triggers() -> None:
    for event, _row, table in _EVENTS:
        op.execute(
            f"CREATE FUNCTION awards_touch_owner_{event}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN UPDATE users SET pages_revision = pages_revision + 1 "
            f"WHERE id IN (SELECT DISTINCT user_id FROM {table}); RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER awards_touch_owner_{event} AFTER {event.upper()} ON awards "
            f"REFERENCING {'OLD' if event == 'delete' else 'NEW'} TABLE AS {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION awards_touch_owner_{event}()"
        )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for event, _row, _table in _EVENTS:
        op.execute(f"DROP TRIGGER awards_touch_owner_{event}" + (" ON awards" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION awards_touch_owner_{event}()")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('pages_revision')
