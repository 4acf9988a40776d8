"""`flask --app wsgi privacy purge`: the retention rules, for a daily timer."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.privacy.erasure import forget_free_pages, reapply_erasures
from portal.privacy.retention import purge

privacy = AppGroup("privacy", help="Data protection: retention, erasures after a restore.")


@privacy.command("purge")
def purge_command() -> None:
    """Remove what the retention rules say is due; prints what it removed."""
    try:
        purged = purge(current_app.config)
        db.session.commit()
        forget_free_pages(db.session.get_bind())  # also what an erasure in busy hours left in the WAL
    except SQLAlchemyError as error:
        db.session.rollback()
        raise click.ClickException(f"Datenbank nicht erreichbar oder fehlerhaft: {error}") from error
    for line in purged.lines():
        click.echo(line)
    click.echo(f"Insgesamt {purged.total} entfernt." if purged.total else "Nichts zu entfernen.")


@privacy.command("reapply-erasures")
@click.option("--ids", default="", help="Further person ids erased elsewhere (comma-separated), e.g. "
              "from the live database before a restore.")
def reapply_command(ids: str) -> None:
    """Erase again every recorded erasure whose person is back (after restoring a backup)."""
    try:
        extra = [int(part) for part in ids.split(",") if part.strip()]
    except ValueError as error:
        raise click.ClickException(f"--ids: nur Nummern, durch Kommas getrennt ({ids})") from error
    try:
        done = reapply_erasures(extra)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        raise click.ClickException(f"Datenbank nicht erreichbar oder fehlerhaft: {error}") from error
    if done:
        forget_free_pages(db.session.get_bind())
        click.echo(f"Erneut gelöscht: {', '.join(map(str, done))}.")
    else:
        click.echo("Keine gelöschte Person war wieder da.")


commands = [privacy]
