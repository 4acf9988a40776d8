"""circulars: the office's and moderators' letters, their recipients, and the opt-out on the person

Revision ID: 0008
Revises: 0011
Create Date: 2026-12-04 20:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('circulars',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('audience', sa.Enum('all_members', 'groups', 'invitees', 'attendees', 'sectors', name='audience', native_enum=False, create_constraint=False, length=20), nullable=False),
    sa.Column('group_ids', sa.JSON(), nullable=False),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'sent', name='circularstatus', native_enum=False, create_constraint=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.CheckConstraint("audience IN ('all_members', 'groups', 'invitees', 'attendees', 'sectors')", name=op.f('ck_circulars_audience')),
    sa.CheckConstraint("status IN ('draft', 'sent')", name=op.f('ck_circulars_status')),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_circulars_author_id_people')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_circulars_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circulars'))
    )
    with op.batch_alter_table('circulars', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circulars_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_circulars_sent_at'), ['sent_at'], unique=False)
    op.create_table('circular_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('circular_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['circular_id'], ['circulars.id'], name=op.f('fk_circular_recipients_circular_id_circulars')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_circular_recipients_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circular_recipients')),
    sa.UniqueConstraint('circular_id', 'person_id', name=op.f('uq_circular_recipients_circular_id_person_id'))
    )
    with op.batch_alter_table('circular_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circular_recipients_circular_id'), ['circular_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_circular_recipients_person_id'), ['person_id'], unique=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receives_circulars', sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('receives_circulars')
    with op.batch_alter_table('circular_recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circular_recipients_person_id'))
        batch_op.drop_index(batch_op.f('ix_circular_recipients_circular_id'))
    op.drop_table('circular_recipients')
    with op.batch_alter_table('circulars', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circulars_sent_at'))
        batch_op.drop_index(batch_op.f('ix_circulars_author_id'))
    op.drop_table('circulars')
