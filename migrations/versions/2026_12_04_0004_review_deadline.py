"""review deadline: the last day of the minutes' review, set on submission

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 16:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_until', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('review_until')
