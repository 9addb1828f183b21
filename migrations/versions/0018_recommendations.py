"""recommendations: co-earned statistics by achievement IRI, and dismissed recommendations

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 12:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op



revision = '0018'
# The lead renumbers at merge: 0017 is the pathway service's (another branch); this branch tests
# against 0016 until then.
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('achievement_stats',
    sa.Column('achievement_iri', sa.String(length=500), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('holders', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('achievement_iri', name=op.f('pk_achievement_stats'))
    )
    op.create_table('achievement_stat_skills',
    sa.Column('achievement_iri', sa.String(length=500), nullable=False),
    sa.Column('skill', sa.String(length=300), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('achievement_iri', 'skill', name=op.f('pk_achievement_stat_skills'))
    )
    op.create_index('ix_achievement_stat_skills_skill', 'achievement_stat_skills', ['skill', 'achievement_iri'], unique=False)
    op.create_table('coearned_pairs',
    sa.Column('iri', sa.String(length=500), nullable=False),
    sa.Column('other_iri', sa.String(length=500), nullable=False),
    sa.Column('earners', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('iri', 'other_iri', name=op.f('pk_coearned_pairs'))
    )
    op.create_index('ix_coearned_pairs_iri_earners', 'coearned_pairs', ['iri', 'earners'], unique=False)
    op.create_table('recommendation_dismissals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=1000), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('dismissed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recommendation_dismissals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_dismissals')),
    sa.UniqueConstraint('user_id', 'target', name='uq_recommendation_dismissals_user_target')
    )
    op.create_index(op.f('ix_recommendation_dismissals_user_id'), 'recommendation_dismissals', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_recommendation_dismissals_user_id'), table_name='recommendation_dismissals')
    op.drop_table('recommendation_dismissals')
    op.drop_index('ix_coearned_pairs_iri_earners', table_name='coearned_pairs')
    op.drop_table('coearned_pairs')
    op.drop_index('ix_achievement_stat_skills_skill', table_name='achievement_stat_skills')
    op.drop_table('achievement_stat_skills')
    op.drop_table('achievement_stats')
