"""linkedin connections and posts; social sign-in accounts and nonces

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 09:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op



revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('linkedin_connections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.String(length=100), nullable=False),
    sa.Column('member_name', sa.String(length=200), nullable=False),
    sa.Column('sealed_token', sa.Text(), nullable=False),
    sa.Column('scope', sa.String(length=200), nullable=False),
    sa.Column('connected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_linkedin_connections_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_linkedin_connections')),
    sa.UniqueConstraint('user_id', name=op.f('uq_linkedin_connections_user_id'))
    )
    op.create_table('linkedin_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('post_urn', sa.String(length=200), nullable=True),
    sa.Column('error', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_linkedin_posts_award_id_awards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_linkedin_posts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_linkedin_posts'))
    )
    with op.batch_alter_table('linkedin_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_linkedin_posts_award_id'), ['award_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_linkedin_posts_user_id'), ['user_id'], unique=False)

    op.create_table('social_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=32), nullable=False),
    sa.Column('uid', sa.String(length=255), nullable=False),
    sa.Column('extra_data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_social_accounts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_accounts')),
    sa.UniqueConstraint('provider', 'uid', name='uq_social_accounts_provider_uid')
    )
    with op.batch_alter_table('social_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_social_accounts_user_id'), ['user_id'], unique=False)

    op.create_table('social_nonces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('server_url', sa.String(length=255), nullable=False),
    sa.Column('timestamp', sa.Integer(), nullable=False),
    sa.Column('salt', sa.String(length=65), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_nonces')),
    sa.UniqueConstraint('server_url', 'timestamp', 'salt', name='uq_social_nonces_value')
    )


def downgrade() -> None:
    op.drop_table('social_nonces')
    with op.batch_alter_table('social_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_social_accounts_user_id'))
    op.drop_table('social_accounts')
    with op.batch_alter_table('linkedin_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_linkedin_posts_user_id'))
        batch_op.drop_index(batch_op.f('ix_linkedin_posts_award_id'))
    op.drop_table('linkedin_posts')
    op.drop_table('linkedin_connections')
