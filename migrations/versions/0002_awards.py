"""awards

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 20:15:14.202458
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('original', sa.LargeBinary(), nullable=False),
    sa.Column('original_type', sa.String(length=80), nullable=False),
    sa.Column('format', sa.String(length=40), nullable=False),
    sa.Column('credential_id', sa.String(length=500), nullable=False),
    sa.Column('issuer_id', sa.String(length=500), nullable=False),
    sa.Column('issuer_name', sa.String(length=300), nullable=False),
    sa.Column('achievement_name', sa.String(length=300), nullable=False),
    sa.Column('achievement_type', sa.String(length=80), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('verification_status', sa.String(length=20), nullable=False),
    sa.Column('verification', sa.JSON(), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('visibility', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_awards_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awards')),
    sa.UniqueConstraint('user_id', 'credential_id', name='uq_awards_user_credential')
    )
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awards_user_id'), ['user_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_awards_user_id'))

    op.drop_table('awards')
    
