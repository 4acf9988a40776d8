"""`flask --app wsgi seed-demo`: the demo alliance, once."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.demo.seed import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    archive_published_minutes,
    database_is_empty,
    seed_demo,
)
from portal.extensions import db
from portal.types import local_today


def print_logins() -> None:
    click.echo("\nDemo-Zugänge (Passwort für alle: %s):" % DEMO_PASSWORD)
    for login in DEMO_LOGINS:
        click.echo(f"  {login.role:<9} {login.email:<32} {login.note}")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo alliance into an empty database; with data present, change nothing."""
    if not database_is_empty():
        click.echo("Die Datenbank enthält bereits Daten; seed-demo hat nichts geändert.")
        print_logins()
        return
    seed_demo(local_today())
    db.session.commit()
    click.echo("Demo-Allianz angelegt: Organisationen, Mitglieder, drei Reallabore, Treffen, "
               "Protokolle, Beschlüsse und Aufgaben.")
    click.echo("Veröffentlichte Protokolle werden als PDF archiviert …")
    archived = archive_published_minutes()
    db.session.commit()
    click.echo(f"{archived} Protokolle archiviert.")
    print_logins()


commands = [seed_demo_command]
