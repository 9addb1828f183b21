"""award uploads: CSV files of recipients an issuer awards in the background

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 05:37:42.672167
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('award_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer_id', sa.Integer(), nullable=False),
    sa.Column('achievement_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['achievement_id'], ['achievements.id'], name=op.f('fk_award_uploads_achievement_id_achievements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issuer_id'], ['issuers.id'], name=op.f('fk_award_uploads_issuer_id_issuers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_award_uploads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_uploads'))
    )
    with op.batch_alter_table('award_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_uploads_issuer_id'), ['issuer_id'], unique=False)

    op.create_table('award_upload_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('issued_award_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['issued_award_id'], ['issued_awards.id'], name=op.f('fk_award_upload_rows_issued_award_id_issued_awards'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['upload_id'], ['award_uploads.id'], name=op.f('fk_award_upload_rows_upload_id_award_uploads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_upload_rows'))
    )
    with op.batch_alter_table('award_upload_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_upload_rows_upload_id'), ['upload_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('award_upload_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_upload_rows_upload_id'))

    op.drop_table('award_upload_rows')
    with op.batch_alter_table('award_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_uploads_issuer_id'))

    op.drop_table('award_uploads')
