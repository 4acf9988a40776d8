"""a stored mail domain and a stored UID per meeting

Revision ID: 0014
Revises: 0016
Create Date: 2026-12-04 20:15:00

The domain of Message-IDs and UIDs is fixed now, from PORTAL_MAIL_DOMAIN or else the host of
PORTAL_BASE_URL; each existing meeting keeps the UID its calendar entries carry today
("meeting-<id>@<host of PORTAL_BASE_URL>"), so that subscribed calendars see no new events.
"""
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op
from flask import current_app

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    settings = op.create_table(
        'site_settings',
        sa.Column('key', sa.String(length=50), nullable=False),
        sa.Column('value', sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_site_settings')),
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ical_uid', sa.String(length=255), nullable=True))

    host = urlsplit(current_app.config['PORTAL_BASE_URL']).hostname or 'portal'
    domain = (current_app.config.get('PORTAL_MAIL_DOMAIN') or '').strip() or host
    op.bulk_insert(settings, [{'key': 'mail_domain', 'value': domain}])
    meetings = sa.table('meetings', sa.column('id', sa.Integer), sa.column('ical_uid', sa.String))
    op.execute(meetings.update().values(
        ical_uid=sa.literal('meeting-') + sa.cast(meetings.c.id, sa.String) + sa.literal('@' + host)))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('ical_uid')
    op.drop_table('site_settings')
