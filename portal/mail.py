"""Outgoing mail, queued on the database session and sent only after its commit.

Without MAIL_SERVER every mail is written as an .eml file into MAIL_OUTBOX, so that
the demo and the tests can read what would have been sent.
"""
from __future__ import annotations

import logging
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.types import utcnow

log = logging.getLogger(__name__)
_QUEUE = "portal_outgoing_mail"


def build(to: str, subject: str, text: str, html: str | None = None,
          calendar: bytes | None = None, calendar_method: str = "REQUEST") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = make_msgid(domain="portal")
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    if calendar is not None:
        msg.add_attachment(
            calendar, maintype="text", subtype="calendar",
            params={"method": calendar_method, "charset": "utf-8"}, filename="einladung.ics",
        )
    return msg


def queue(msg: EmailMessage) -> None:
    """Send msg once the current transaction commits; drop it if it rolls back."""
    db.session.connection()  # open the transaction whose end decides the mail's fate
    db.session.info.setdefault(_QUEUE, []).append(msg)


def deliver(messages: list[EmailMessage], config) -> None:
    """Send the messages over one SMTP connection, or write them into the outbox folder."""
    if not config["MAIL_SERVER"]:
        outbox = Path(config["MAIL_OUTBOX"])
        outbox.mkdir(parents=True, exist_ok=True)
        for msg in messages:
            name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
            (outbox / name).write_bytes(bytes(msg))
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        for msg in messages:
            try:
                smtp.send_message(msg)
            except smtplib.SMTPRecipientsRefused:
                log.warning("mail to %s refused by the server", msg["To"])


@event.listens_for(Session, "after_commit")
def _send_queued(session: Session) -> None:
    pending = session.info.pop(_QUEUE, [])
    if not pending:
        return
    try:
        deliver(pending, current_app.config)
    except Exception:  # a failed mail must not undo the committed action
        log.exception("%d mail(s) could not be sent", len(pending))


@event.listens_for(Session, "after_soft_rollback")
def _drop_queued(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_QUEUE, None)
