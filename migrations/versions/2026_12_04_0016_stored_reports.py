"""stored report PDFs: rendered once per data version, by the job worker when large

Revision ID: 0016
Revises: 0010
Create Date: 2026-12-04 20:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('waiting', 'running', 'ready', 'failed', name='storedstatus', native_enum=False, create_constraint=False, length=20), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('waiting', 'running', 'ready', 'failed')", name=op.f('ck_stored_reports_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_reports')),
    sa.UniqueConstraint('key', 'version', name=op.f('uq_stored_reports_key_version'))
    )


def downgrade():
    op.drop_table('stored_reports')
