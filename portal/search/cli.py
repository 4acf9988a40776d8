"""`flask --app wsgi search reindex`: every search document anew."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.search import index

search = AppGroup("search", help="The full-text search index.")


@search.command("reindex")
def reindex() -> None:
    """Rebuild the index from the data (after bulk inserts, a restore or an update of the rules)."""
    count = index.rebuild(db.session)
    db.session.commit()
    click.echo(f"Suchindex neu aufgebaut: {count} Einträge geprüft.")


commands = (search,)
