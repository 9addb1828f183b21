"""issuers: organisations, members, audit, achievements, issued awards, status lists

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 04:28:59.592130
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('issuers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('linkedin_organization_id', sa.String(length=40), nullable=False),
    sa.Column('signing_key_sealed', sa.Text(), nullable=False),
    sa.Column('public_key_multibase', sa.String(length=80), nullable=False),
    sa.Column('domain_verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issuers')),
    sa.UniqueConstraint('public_id', name=op.f('uq_issuers_public_id'))
    )
    op.create_table('achievements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('issuer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('criteria', sa.Text(), nullable=False),
    sa.Column('achievement_type', sa.String(length=40), nullable=False),
    sa.Column('level', sa.String(length=60), nullable=False),
    sa.Column('alignments', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('valid_days', sa.Integer(), nullable=True),
    sa.Column('next_steps', sa.JSON(), nullable=False),
    sa.Column('image', sa.LargeBinary(), nullable=True),
    sa.Column('image_type', sa.String(length=40), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['issuer_id'], ['issuers.id'], name=op.f('fk_achievements_issuer_id_issuers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_achievements')),
    sa.UniqueConstraint('public_id', name=op.f('uq_achievements_public_id'))
    )
    with op.batch_alter_table('achievements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_achievements_issuer_id'), ['issuer_id'], unique=False)

    op.create_table('issuer_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer_id', sa.Integer(), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_user_id'], ['users.id'], name=op.f('fk_issuer_audit_actor_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['issuer_id'], ['issuers.id'], name=op.f('fk_issuer_audit_issuer_id_issuers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issuer_audit'))
    )
    with op.batch_alter_table('issuer_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issuer_audit_issuer_id'), ['issuer_id'], unique=False)

    op.create_table('issuer_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['issuer_id'], ['issuers.id'], name=op.f('fk_issuer_members_issuer_id_issuers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_issuer_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issuer_members')),
    sa.UniqueConstraint('issuer_id', 'user_id', name='uq_issuer_members_user')
    )
    with op.batch_alter_table('issuer_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issuer_members_user_id'), ['user_id'], unique=False)

    op.create_table('status_lists',
    sa.Column('issuer_id', sa.Integer(), nullable=False),
    sa.Column('bits', sa.LargeBinary(), nullable=False),
    sa.Column('next_index', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['issuer_id'], ['issuers.id'], name=op.f('fk_status_lists_issuer_id_issuers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('issuer_id', name=op.f('pk_status_lists'))
    )
    op.create_table('issued_awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('issuer_id', sa.Integer(), nullable=False),
    sa.Column('achievement_id', sa.Integer(), nullable=False),
    sa.Column('recipient_type', sa.String(length=10), nullable=False),
    sa.Column('recipient_normalized', sa.String(length=320), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=False),
    sa.Column('salt', sa.String(length=32), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revocation_reason', sa.String(length=500), nullable=False),
    sa.Column('status_index', sa.Integer(), nullable=False),
    sa.Column('credential', sa.JSON(), nullable=False),
    sa.Column('claim_mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('awarded_by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['achievement_id'], ['achievements.id'], name=op.f('fk_issued_awards_achievement_id_achievements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['awarded_by_user_id'], ['users.id'], name=op.f('fk_issued_awards_awarded_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['issuer_id'], ['issuers.id'], name=op.f('fk_issued_awards_issuer_id_issuers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_awards')),
    sa.UniqueConstraint('issuer_id', 'status_index', name='uq_issued_awards_status_index'),
    sa.UniqueConstraint('public_id', name=op.f('uq_issued_awards_public_id'))
    )
    with op.batch_alter_table('issued_awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_awards_achievement_id'), ['achievement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_awards_issuer_id'), ['issuer_id'], unique=False)
        batch_op.create_index('ix_issued_awards_recipient', ['recipient_normalized'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('issued_awards', schema=None) as batch_op:
        batch_op.drop_index('ix_issued_awards_recipient')
        batch_op.drop_index(batch_op.f('ix_issued_awards_issuer_id'))
        batch_op.drop_index(batch_op.f('ix_issued_awards_achievement_id'))

    op.drop_table('issued_awards')
    op.drop_table('status_lists')
    with op.batch_alter_table('issuer_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issuer_members_user_id'))

    op.drop_table('issuer_members')
    with op.batch_alter_table('issuer_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issuer_audit_issuer_id'))

    op.drop_table('issuer_audit')
    with op.batch_alter_table('achievements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_achievements_issuer_id'))

    op.drop_table('achievements')
    op.drop_table('issuers')
