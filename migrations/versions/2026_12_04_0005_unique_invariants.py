"""Uniqueness kept by the database, not only by checking first: one number per meeting series
(among the meetings that are not cancelled), organization and working-group names unique
ignoring case.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

NUMBERED = "number IS NOT NULL AND status <> 'cancelled'"
PLENARY = sa.text(f"kind = 'plenary' AND {NUMBERED}")
GROUP = sa.text(f"kind = 'group' AND {NUMBERED}")

# Rows that break a new rule (written by parallel requests before this revision). The upgrade
# stops and names them rather than choose which of them is wrong; fix them in the portal (give
# one of the meetings another number, rename one organization), then upgrade again.
DUPLICATES = {
    "meetings with the same number in one series": f"""
        SELECT kind, group_id, number, count(*) FROM meetings WHERE {NUMBERED}
        GROUP BY kind, group_id, number HAVING count(*) > 1""",
    "organizations whose names differ only in case": """
        SELECT lower(name), count(*) FROM organizations GROUP BY lower(name) HAVING count(*) > 1""",
    "working groups whose names differ only in case": """
        SELECT lower(name), count(*) FROM working_groups GROUP BY lower(name) HAVING count(*) > 1""",
}


def _refuse_duplicates() -> None:
    connection = op.get_bind()
    problems = []
    for what, query in DUPLICATES.items():
        rows = connection.execute(sa.text(query)).all()
        if rows:
            problems.append(f"{what}: {', '.join(str(tuple(row)) for row in rows)}")
    if problems:
        raise RuntimeError("Cannot add the unique constraints; fix these rows in the portal, then run "
                           "`flask db upgrade` again:\n" + "\n".join(problems))


def upgrade():
    _refuse_duplicates()
    op.create_index("uq_meetings_plenary_number", "meetings", ["number"], unique=True,
                    sqlite_where=PLENARY, postgresql_where=PLENARY)
    op.create_index("uq_meetings_group_number", "meetings", ["group_id", "number"], unique=True,
                    sqlite_where=GROUP, postgresql_where=GROUP)
    op.create_index("uq_organizations_lower_name", "organizations", [sa.text("lower(name)")], unique=True)
    op.create_index("uq_working_groups_lower_name", "working_groups", [sa.text("lower(name)")], unique=True)


def downgrade():
    op.drop_index("uq_working_groups_lower_name", table_name="working_groups")
    op.drop_index("uq_organizations_lower_name", table_name="organizations")
    op.drop_index("uq_meetings_group_number", table_name="meetings")
    op.drop_index("uq_meetings_plenary_number", table_name="meetings")
