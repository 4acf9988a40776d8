"""`flask --app wsgi backup create PATH` and `backup restore PATH` (README: "Sichern und Wiederherstellen")."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import inspect

from portal.backup import archive
from portal.extensions import db
from portal.privacy import ledger
from portal.privacy.erasure import reapply_erasures
from portal.site_settings.models import SiteSetting
from portal.site_settings.values import stored_installation

backup = AppGroup("backup", help="Back up the portal and restore a backup.")


@backup.command("create")
@click.argument("path", type=click.Path(path_type=Path))
def create(path: Path) -> None:
    """Write a backup (database and secret) to PATH, a file or an existing directory."""
    try:
        manifest, written = archive.create(db.engine, current_app.config["SECRET_KEY"], path)
    except archive.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Sicherung geschrieben: {written} ({sum(manifest.rows.values())} Zeilen in "
               f"{len(manifest.rows)} Tabellen, Stand der Datenbank {manifest.revision}).")
    click.echo("Sie enthält den SECRET_KEY: bewahren Sie sie so sicher auf wie ihn.")


@backup.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(path: Path) -> None:
    """Restore the backup at PATH into the empty database DATABASE_URL points to."""
    try:
        manifest, secret = archive.restore(db.engine, path)
    except archive.BackupError as error:
        raise click.ClickException(str(error)) from error
    installation = _restored_installation()
    upgrade()
    erased_again = reapply_erasures(ledger.remembered(installation))
    db.session.commit()
    click.echo(f"Wiederhergestellt: {path} vom {manifest.created_at} "
               f"({sum(manifest.rows.values())} Zeilen in {len(manifest.rows)} Tabellen).")
    if erased_again:
        click.echo(f"Nach der Sicherung gelöschte Personen erneut gelöscht: {', '.join(map(str, erased_again))}.")
    _check_secret(secret, path)


def _restored_installation() -> str | None:
    """The restored database's id, read before `upgrade` could give an old backup a new one; None
    for a backup from before databases had one: then every id of the ledger is erased again."""
    if not inspect(db.engine).has_table(SiteSetting.__tablename__):
        return None
    installation = stored_installation()
    db.session.rollback()
    return installation


def _check_secret(secret: str, path: Path) -> None:
    """Pending links are signed with the backup's secret: the portal must run with it."""
    if secret == current_app.config["SECRET_KEY"]:
        return
    if current_app.config["SECRET_KEY_FILE"]:  # the demo keeps its key in instance/
        kept = Path(current_app.config["SECRET_KEY_FILE"])
        kept.write_text(secret)
        kept.chmod(0o600)
        click.echo(f"Der SECRET_KEY der Sicherung steht jetzt in {kept}.")
        return
    click.echo("Achtung: Das Portal läuft mit einem anderen SECRET_KEY als die Sicherung. Ausstehende "
               "Einladungs- und Passwort-Links gelten erst wieder, wenn SECRET_KEY auf den gesicherten "
               f"Wert gesetzt ist: tar -xzOf {path} secret_key", err=True)


commands = (backup,)
