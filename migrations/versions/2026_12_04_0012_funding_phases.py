"""funding phases; report narratives belong to a phase (and a Sachbericht section)

Revision ID: 0012
Revises: 0015
Create Date: 2026-12-04 19:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('funding_phases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('funder', sa.String(length=300), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_phases')),
    sa.UniqueConstraint('name', name=op.f('uq_funding_phases_name'))
    )
    with op.batch_alter_table('report_narratives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phase_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('section', sa.String(length=30), nullable=True))
        batch_op.create_index(batch_op.f('ix_report_narratives_phase_id'), ['phase_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_report_narratives_phase_id_funding_phases'), 'funding_phases',
                                    ['phase_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('report_narratives', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_report_narratives_phase_id_funding_phases'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_report_narratives_phase_id'))
        batch_op.drop_column('section')
        batch_op.drop_column('phase_id')
    op.drop_table('funding_phases')
