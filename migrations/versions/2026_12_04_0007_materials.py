"""materials: files and links on meetings and agenda items, their versions and their bytes

Revision ID: 0007
Revises: 0014
Create Date: 2026-12-04 20:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('internal', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_materials_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_materials_created_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_materials_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_materials'))
    )
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_materials_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_materials_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_materials_meeting_id'), ['meeting_id'], unique=False)
    op.create_table('material_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('mimetype', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_material_versions_material_id_materials'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['people.id'], name=op.f('fk_material_versions_uploaded_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material_versions'))
    )
    with op.batch_alter_table('material_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_versions_material_id'), ['material_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_material_versions_uploaded_by_id'), ['uploaded_by_id'], unique=False)
    op.create_table('material_blobs',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['material_versions.id'], name=op.f('fk_material_blobs_version_id_material_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', name=op.f('pk_material_blobs'))
    )


def downgrade():
    op.drop_table('material_blobs')
    with op.batch_alter_table('material_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_versions_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_material_versions_material_id'))
    op.drop_table('material_versions')
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_materials_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_materials_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_materials_agenda_item_id'))
    op.drop_table('materials')
