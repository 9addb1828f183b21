"""award re-verification

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 03:45:32.942965
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('notified_state', sa.String(length=20), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_awards_verified_at'), ['verified_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_awards_verified_at'))
        batch_op.drop_column('notified_state')
        batch_op.drop_column('revoked_at')
