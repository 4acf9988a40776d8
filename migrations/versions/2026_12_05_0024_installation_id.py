"""an id of this database (site_settings 'installation'): the erasure ledger names it, so that a
portal started on a new database erases nobody of another's ledger

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 07:10:00

"""
import secrets

import sqlalchemy as sa
from alembic import op


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM site_settings WHERE key = 'installation'")).first() is None:
        bind.execute(sa.text("INSERT INTO site_settings (key, value) VALUES ('installation', :value)"),
                     {"value": secrets.token_hex(16)})


def downgrade():
    op.execute("DELETE FROM site_settings WHERE key = 'installation'")
