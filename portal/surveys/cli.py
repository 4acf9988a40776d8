"""`flask --app wsgi send-survey-reminders`: reminders before surveys close (run daily from cron)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.surveys.reminders import send_reminders


@click.command("send-survey-reminders")
@with_appcontext
def send_survey_reminders_command() -> None:
    """Remind who has not answered, 3 days before a survey closes (at most once per survey)."""
    click.echo(f"{send_reminders()} Umfrage-Erinnerung(en) verschickt.")


commands = [send_survey_reminders_command]
