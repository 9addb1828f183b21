"""backpack: acceptance, details, notes, tags, skills, images and collections

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 03:58:23.404393
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('collections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('visibility', sa.String(length=20), nullable=False),
    sa.Column('link_version', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_collections_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collections'))
    )
    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collections_user_id'), ['user_id'], unique=False)

    op.create_table('award_images',
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_award_images_award_id_awards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('award_id', name=op.f('pk_award_images'))
    )
    op.create_table('award_skills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('normalized', sa.String(length=300), nullable=False),
    sa.Column('framework', sa.String(length=300), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_award_skills_award_id_awards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_skills'))
    )
    with op.batch_alter_table('award_skills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_skills_award_id'), ['award_id'], unique=False)
        batch_op.create_index('ix_award_skills_normalized', ['normalized'], unique=False)

    op.create_table('award_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_award_tags_award_id_awards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_tags')),
    sa.UniqueConstraint('award_id', 'tag', name='uq_award_tags_award_tag')
    )
    with op.batch_alter_table('award_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_tags_award_id'), ['award_id'], unique=False)

    op.create_table('collection_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_collection_items_award_id_awards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['collection_id'], ['collections.id'], name=op.f('fk_collection_items_collection_id_collections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collection_items')),
    sa.UniqueConstraint('collection_id', 'award_id', name='uq_collection_items_award')
    )
    with op.batch_alter_table('collection_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collection_items_award_id'), ['award_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collection_items_collection_id'), ['collection_id'], unique=False)

    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('acceptance', sa.String(length=20), server_default='accepted', nullable=False))
        batch_op.add_column(sa.Column('declined_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('has_image', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('note', sa.Text(), server_default='', nullable=False))

    # Awards imported before this revision get their public id and empty details.
    connection = op.get_bind()
    awards = sa.table('awards', sa.column('id', sa.Integer), sa.column('public_id', sa.String), sa.column('details', sa.JSON))
    for (award_id,) in connection.execute(sa.select(awards.c.id)).all():
        connection.execute(
            awards.update().where(awards.c.id == award_id).values(public_id=uuid.uuid4().hex, details={})
        )
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.alter_column('public_id', existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column('details', existing_type=sa.JSON(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_awards_public_id'), ['public_id'])


def downgrade() -> None:
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_awards_public_id'), type_='unique')
        batch_op.drop_column('note')
        batch_op.drop_column('has_image')
        batch_op.drop_column('details')
        batch_op.drop_column('declined_at')
        batch_op.drop_column('acceptance')
        batch_op.drop_column('public_id')

    with op.batch_alter_table('collection_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collection_items_collection_id'))
        batch_op.drop_index(batch_op.f('ix_collection_items_award_id'))

    op.drop_table('collection_items')
    with op.batch_alter_table('award_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_tags_award_id'))

    op.drop_table('award_tags')
    with op.batch_alter_table('award_skills', schema=None) as batch_op:
        batch_op.drop_index('ix_award_skills_normalized')
        batch_op.drop_index(batch_op.f('ix_award_skills_award_id'))

    op.drop_table('award_skills')
    op.drop_table('award_images')
    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collections_user_id'))

    op.drop_table('collections')