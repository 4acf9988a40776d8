"""guests invited by mail: their address; self check-in: its time (issue 15 points 3 and 5)

Revision ID: 0009
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guest_email', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.drop_column('checked_in_at')
        batch_op.drop_column('guest_email')
