"""`flask --app wsgi privacy purge`: the retention rules, for a daily timer."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.privacy.retention import purge

privacy = AppGroup("privacy", help="Data protection: retention.")


@privacy.command("purge")
def purge_command() -> None:
    """Remove what the retention rules say is due; prints what it removed."""
    try:
        purged = purge(current_app.config)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        raise click.ClickException(f"Datenbank nicht erreichbar oder fehlerhaft: {error}") from error
    for line in purged.lines():
        click.echo(line)
    click.echo(f"Insgesamt {purged.total} entfernt." if purged.total else "Nichts zu entfernen.")


commands = [privacy]
