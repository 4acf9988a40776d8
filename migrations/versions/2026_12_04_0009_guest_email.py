"""guests invited by mail: their address on the participation (issue 15 point 3)

Revision ID: 0009
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guest_email', sa.String(length=254), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.drop_column('guest_email')
