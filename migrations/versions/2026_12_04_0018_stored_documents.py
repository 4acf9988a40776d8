"""stored documents of any kind (progress reports, minutes) replace the stored reports

The stored reports are a cache of rendered PDFs: they are dropped, not copied, and rendered again
when next asked for (a job still waiting for one finds nothing and is done).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 22:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('report', 'minutes', name='documentkind', native_enum=False, create_constraint=False, length=20), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('waiting', 'running', 'ready', 'failed', name='storedstatus', native_enum=False, create_constraint=False, length=20), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('report', 'minutes')", name=op.f('ck_stored_documents_kind')),
    sa.CheckConstraint("status IN ('waiting', 'running', 'ready', 'failed')", name=op.f('ck_stored_documents_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_documents')),
    sa.UniqueConstraint('kind', 'key', 'version', name=op.f('uq_stored_documents_kind_key_version'))
    )
    op.drop_table('stored_reports')


def downgrade():
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
    op.drop_table('stored_documents')
