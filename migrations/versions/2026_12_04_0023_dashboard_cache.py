"""the dashboard kept per data version, the change log that versions the reports' data, and an
index for the report's attendance counts

Revision ID: 0023
Revises: 0018
Create Date: 2026-12-05 03:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_changes'))
    )
    op.create_table('dashboard_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('build_ms', sa.Integer(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('refresh_asked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_entries')),
    sa.UniqueConstraint('key', 'version', name=op.f('uq_dashboard_entries_key_version'))
    )
    # the report's attendance counts read only this index (3.4 million participations at 100 x the demo)
    op.create_index('ix_participations_meeting_attendance', 'participations',
                    ['meeting_id', 'attendance', 'person_id'], unique=False)


def downgrade():
    op.drop_index('ix_participations_meeting_attendance', table_name='participations')
    op.drop_table('dashboard_entries')
    op.drop_table('data_changes')
