"""Command-line interface: `flask --app wsgi users create …`, `seed-demo`, `send-reminders`, `jobs …`."""
from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from portal.actions.cli import commands as action_commands
from portal.backup.cli import commands as backup_commands
from portal.demo.cli import commands as demo_commands
from portal.extensions import db
from portal.jobs.cli import commands as job_commands
from portal.members.accounts import AccountError, create_person
from portal.members.models import ROLES
from portal.privacy.cli import commands as privacy_commands
from portal.search.cli import commands as search_commands
from portal.surveys.cli import commands as survey_commands

users = AppGroup("users", help="Manage user accounts.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Passwort", hide_input=True, confirmation_prompt="Passwort wiederholen")


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", required=True, type=click.Choice([str(role) for role in ROLES]), help="office, member or observer.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Create an account that can log in at once."""
    password = _read_password(password_stdin)
    try:
        person = create_person(name, email, role, password=password)
        db.session.commit()
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"Konto angelegt: {person.email} ({person.role}), id {person.id}")


def register(app: Flask) -> None:

    app.cli.add_command(users)
    for command in (*demo_commands, *action_commands, *job_commands, *backup_commands, *privacy_commands,
                    *search_commands, *survey_commands):
        app.cli.add_command(command)
