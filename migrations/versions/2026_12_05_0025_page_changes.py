"""the change log that versions the pages each web process keeps per viewer (portal.kept_pages)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 12:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('page_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_changes'))
    )


def downgrade():
    op.drop_table('page_changes')
