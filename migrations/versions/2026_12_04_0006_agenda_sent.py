"""meetings: when the agenda last changed and when it was last sent to the invitees

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 16:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agenda_changed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('agenda_sent_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('agenda_sent_at')
        batch_op.drop_column('agenda_changed_at')
