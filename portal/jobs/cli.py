"""`flask --app wsgi jobs work [--once]` and `jobs retry`: the outbox worker and its lever."""
from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.jobs import queue, worker

jobs = AppGroup("jobs", help="Work the job table (outgoing mail).")


def _summary(outcome: queue.Outcome) -> str:
    text = (f"{outcome.done} erledigt, {outcome.retrying} für einen neuen Versuch vorgemerkt, "
            f"{outcome.failed} endgültig fehlgeschlagen.")
    if outcome.lost:
        text += f" {outcome.lost} hatte inzwischen ein anderer Worker übernommen."
    return text


@jobs.command("work")
@click.option("--once", is_flag=True, help="Work what is due now and exit (cron, tests).")
def work(once: bool) -> None:
    """Deliver due jobs; without --once keep running (a systemd service) until stopped."""
    config = current_app.config
    try:
        if once:
            outcome = worker.run_due(db.session, config)
            forgotten = worker.forget_old(db.session, config)
            click.echo(_summary(outcome) + (f" {forgotten} alte erledigte Job(s) gelöscht." if forgotten else ""))
            if outcome.failed:
                raise click.ClickException(
                    f"{outcome.failed} Job(s) endgültig fehlgeschlagen; die Geschäftsstelle sieht sie "
                    "unter /mails.")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        click.echo(f"Worker läuft (alle {config['JOBS_POLL_INTERVAL']:g} s); beenden mit Strg+C oder SIGTERM.")
        worker.run_forever(db.session, config, stop, lambda outcome: click.echo(_summary(outcome)))
        click.echo("Worker beendet.")
    except SQLAlchemyError as error:
        db.session.rollback()
        raise click.ClickException(f"Datenbank nicht erreichbar oder fehlerhaft: {error}") from error


@jobs.command("retry")
def retry() -> None:
    """Make every waiting and failed job due now (e.g. after the SMTP server is back)."""
    try:
        count = queue.make_all_due(db.session)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        raise click.ClickException(f"Datenbank nicht erreichbar oder fehlerhaft: {error}") from error
    click.echo(f"{count} Job(s) sind jetzt fällig; `flask --app wsgi jobs work` verschickt sie.")


commands = [jobs]
