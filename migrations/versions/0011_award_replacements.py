"""award replacements: which award replaced a revoked one

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 09:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('issued_awards') as batch_op:
        batch_op.add_column(sa.Column('replaced_by_public_id', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('issued_awards') as batch_op:
        batch_op.drop_column('replaced_by_public_id')
