"""`flask --app wsgi send-reminders`: the daily reminder digests (run from cron or a timer)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.actions.reminders import ReminderRunError, send_reminders


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Mail each owner one digest of overdue items and items due within 7 days (once a day)."""
    try:
        sent = send_reminders()
    except ReminderRunError as error:
        raise click.ClickException(
            f"Abgebrochen nach {error.sent} Erinnerungsmail(s): {error}. "
            "Ein erneuter Aufruf verschickt die übrigen."
        ) from error
    click.echo(f"{sent} Erinnerungsmail(s) verschickt.")


commands = [send_reminders_command]
