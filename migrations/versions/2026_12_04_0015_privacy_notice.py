"""privacy notice: published versions and who took note of which

Revision ID: 0015
Revises: 0006
Create Date: 2026-12-04 19:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('privacy_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['people.id'], name=op.f('fk_privacy_notices_published_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_notices')),
    sa.UniqueConstraint('version', name=op.f('uq_privacy_notices_version'))
    )
    op.create_table('notice_acceptances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_notice_acceptances_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_acceptances')),
    sa.UniqueConstraint('person_id', 'version', name=op.f('uq_notice_acceptances_person_id_version'))
    )
    with op.batch_alter_table('notice_acceptances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_acceptances_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('notice_acceptances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_acceptances_person_id'))
    op.drop_table('notice_acceptances')
    op.drop_table('privacy_notices')
