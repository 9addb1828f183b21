"""issuer invitations and domain proof tokens

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 04:39:08.031964
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('issuer_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_user_id'], ['users.id'], name=op.f('fk_issuer_invitations_invited_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['issuer_id'], ['issuers.id'], name=op.f('fk_issuer_invitations_issuer_id_issuers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issuer_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_issuer_invitations_token_hash'))
    )
    with op.batch_alter_table('issuer_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issuer_invitations_issuer_id'), ['issuer_id'], unique=False)

    with op.batch_alter_table('issuers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('domain_token', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    issuers = sa.table('issuers', sa.column('id', sa.Integer), sa.column('domain_token', sa.String))
    for (issuer_id,) in connection.execute(sa.select(issuers.c.id)).all():
        connection.execute(
            issuers.update().where(issuers.c.id == issuer_id).values(domain_token=uuid.uuid4().hex)
        )
    with op.batch_alter_table('issuers', schema=None) as batch_op:
        batch_op.alter_column('domain_token', existing_type=sa.String(length=64), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('issuers', schema=None) as batch_op:
        batch_op.drop_column('domain_token')

    with op.batch_alter_table('issuer_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issuer_invitations_issuer_id'))

    op.drop_table('issuer_invitations')
