"""accounts and outbox

Revision ID: 0001
Revises:
Create Date: 2026-11-28 18:44:00.169057
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('outbox_messages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('type', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('relayed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('event_id', name=op.f('uq_outbox_messages_event_id'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_relayed_at'), ['relayed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_user_id'), ['user_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handle', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('handle', name=op.f('uq_users_handle'))
    )
    op.create_table('email_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('normalized', sa.String(length=320), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_email_addresses_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_addresses')),
    sa.UniqueConstraint('user_id', 'normalized', name='uq_email_addresses_user_normalized')
    )
    with op.batch_alter_table('email_addresses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_addresses_normalized'), ['normalized'], unique=False)
        batch_op.create_index(batch_op.f('ix_email_addresses_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_email_addresses_verified', ['normalized'], unique=True, sqlite_where=sa.text('verified_at IS NOT NULL'), postgresql_where=sa.text('verified_at IS NOT NULL'))

    


def downgrade() -> None:
    
    with op.batch_alter_table('email_addresses', schema=None) as batch_op:
        batch_op.drop_index('uq_email_addresses_verified', sqlite_where=sa.text('verified_at IS NOT NULL'), postgresql_where=sa.text('verified_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_email_addresses_user_id'))
        batch_op.drop_index(batch_op.f('ix_email_addresses_normalized'))

    op.drop_table('email_addresses')
    op.drop_table('users')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_user_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_relayed_at'))

    op.drop_table('outbox_messages')
    
