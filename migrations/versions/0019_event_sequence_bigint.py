"""event sequence bigint: the feed's cursor holds any 64-bit number

A cursor above 2**31 - 1 (a client may send one, and a busy issuer's stream reaches one) made
PostgreSQL fail the feed's query with "integer out of range".

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('issuer_events', schema=None) as batch_op:
        batch_op.alter_column('sequence', existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('issuer_events', schema=None) as batch_op:
        batch_op.alter_column('sequence', existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False)
