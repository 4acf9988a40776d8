"""materials on action items: meeting_id may be empty, action_item_id names the action item

Revision ID: 0017
Revises: 0009
Create Date: 2026-12-04 22:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0009'
branch_labels = None
depends_on = None


def _keeping_versions(change):
    """SQLite changes `materials` by rebuilding it (create a copy, drop the old one, rename), and with
    foreign keys on, dropping it cascades to every version and its bytes: they are kept aside
    meanwhile and put back. PostgreSQL alters the table in place."""
    if op.get_bind().dialect.name != 'sqlite':
        change()
        return
    op.execute('CREATE TEMPORARY TABLE kept_material_versions AS SELECT * FROM material_versions')
    op.execute('CREATE TEMPORARY TABLE kept_material_blobs AS SELECT * FROM material_blobs')
    change()
    op.execute('INSERT INTO material_versions SELECT * FROM kept_material_versions '
               'WHERE material_id IN (SELECT id FROM materials)')
    op.execute('INSERT INTO material_blobs SELECT * FROM kept_material_blobs '
               'WHERE version_id IN (SELECT id FROM material_versions)')
    op.execute('DROP TABLE kept_material_versions')
    op.execute('DROP TABLE kept_material_blobs')


def _upgrade_materials():
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action_item_id', sa.Integer(), nullable=True))
        batch_op.alter_column('meeting_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_materials_action_item_id'), ['action_item_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_materials_action_item_id_action_items'), 'action_items',
                                    ['action_item_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(op.f('ck_materials_one_home'),
                                         '(meeting_id IS NULL) <> (action_item_id IS NULL)')


def _downgrade_materials():
    # the action items' materials have no place in the older schema
    on_actions = 'SELECT id FROM materials WHERE action_item_id IS NOT NULL'
    op.execute('DELETE FROM material_blobs WHERE version_id IN '
               f'(SELECT id FROM material_versions WHERE material_id IN ({on_actions}))')
    op.execute(f'DELETE FROM material_versions WHERE material_id IN ({on_actions})')
    op.execute('DELETE FROM materials WHERE action_item_id IS NOT NULL')
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_materials_one_home'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_materials_action_item_id_action_items'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_materials_action_item_id'))
        batch_op.alter_column('meeting_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('action_item_id')


def upgrade():
    _keeping_versions(_upgrade_materials)


def downgrade():
    _keeping_versions(_downgrade_materials)
