"""Outgoing mail: a job row in the transaction of the action that causes it (the outbox).

`queue(msg)` writes the message into the job table, so that a rolled-back action sends
nothing and a committed one never loses its mail; no request ever talks to SMTP. The worker
(`flask jobs work`) hands the due mails to `deliver`. Without MAIL_SERVER the mails are written
as .eml files into MAIL_OUTBOX right after the commit, so that the demo and the tests need no
worker and can read what would have been sent.
"""
from __future__ import annotations

import email
import logging
import re
import smtplib
import ssl
import uuid
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.jobs.queue import Failure, enqueue
from portal.site_settings.values import mail_domain
from portal.types import utcnow

log = logging.getLogger(__name__)
_QUEUED = "portal_mail_queued"


def build(to: str, subject: str, text: str, html: str | None = None,
          calendar: bytes | None = None, calendar_method: str = "REQUEST",
          headers: dict[str, str] | None = None,
          calendar_filename: str = "einladung.ics") -> EmailMessage:
    """A mail from the office (with the portal's name). With a calendar, a meeting request as
    RFC 6047 and the mail clients expect it: multipart/mixed of a multipart/alternative (text,
    HTML — made from the text when none is given — and the inline `text/calendar; method=…`
    part) and the same calendar attached as a file (named in the recipient's language)."""
    msg = EmailMessage()
    msg["From"] = sender_address()
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = make_msgid(domain=mail_domain())
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text)
    if calendar is None:
        if html:
            msg.add_alternative(html, subtype="html")
        return msg
    msg.add_alternative(html if html is not None else html_from_text(text), subtype="html")
    inline = EmailMessage()
    inline.set_content(calendar, maintype="text", subtype="calendar",
                       params={"method": calendar_method, "charset": "utf-8"})
    msg.attach(inline)
    msg.add_attachment(calendar, maintype="application", subtype="ics", filename=calendar_filename)
    for part in msg.walk():  # the email package repeats the header in parts it converts
        if part is not msg:
            del part["MIME-Version"]
    return msg


def sender_address() -> str:
    """MAIL_DEFAULT_SENDER, with the portal's name as display name unless it has one."""
    configured = current_app.config["MAIL_DEFAULT_SENDER"]
    name, address = parseaddr(configured)
    return configured if name else formataddr((current_app.config["PORTAL_NAME"], address))


_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")


def html_from_text(text: str) -> str:
    """The plain text as HTML: escaped, links clickable, blank lines as paragraphs and line
    breaks kept."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [_linked(line) for line in block.split("\n")]
        paragraphs.append(Markup("<p>{}</p>").format(Markup("<br>\n").join(lines)))
    return "\n".join(paragraphs) + "\n"


def _linked(line: str) -> Markup:
    out, position = Markup(""), 0
    for match in _URL.finditer(line):
        out += escape(line[position:match.start()])
        out += Markup('<a href="{0}">{0}</a>').format(match.group())
        position = match.end()
    return out + escape(line[position:])


def queue(msg: EmailMessage) -> None:
    """Send msg once the current transaction commits; drop it if it rolls back."""
    enqueue("mail", bytes(msg))
    db.session.info[_QUEUED] = True


def parse(payload: bytes) -> EmailMessage:
    return email.message_from_bytes(payload, policy=policy.default)


def deliver(payloads: list[bytes], config) -> list[Failure | None]:
    """Send the messages over one SMTP connection, or write them into the outbox folder;
    one result per message: None when it went out, else why not."""
    if not config["MAIL_SERVER"]:
        return [_write_to_folder(payload, Path(config["MAIL_OUTBOX"])) for payload in payloads]
    try:
        smtp = _connect(config)
    except (OSError, smtplib.SMTPException) as error:
        # about the server, not the messages (a wrong password, too): always tried again
        return [replace(_failure(error, config), permanent=False)] * len(payloads)
    results: list[Failure | None] = []
    try:
        for payload in payloads:
            if results and _connection_lost(results[-1]):
                results.append(results[-1])
                continue
            try:
                smtp.send_message(parse(payload))
                results.append(None)
            except (OSError, smtplib.SMTPException) as error:
                results.append(_failure(error, config))
    finally:
        _close(smtp)
    return results


def _write_to_folder(payload: bytes, folder: Path) -> Failure | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml").write_bytes(payload)
    except OSError as error:
        return Failure(f"{folder}: {error}")
    return None


def _connect(config) -> smtplib.SMTP:
    """SMTP over TLS (MAIL_USE_SSL), or STARTTLS (MAIL_USE_TLS, the default), or plain for a
    local relay; every read and write gives up after MAIL_TIMEOUT seconds."""
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        _close(smtp)
        raise
    return smtp


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


class _ConnectionLost(Failure):
    pass


def _connection_lost(result: Failure | None) -> bool:
    return isinstance(result, _ConnectionLost)


def _failure(error: Exception, config) -> Failure:
    """The error as the office reads it on the mail page; 5xx answers are not tried again."""
    server = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        answers = "; ".join(f"{address}: {code} {_text(reply)}"
                            for address, (code, reply) in error.recipients.items())
        return Failure(f"{server}: Empfänger abgelehnt ({answers})", permanent=min(codes) >= 500)
    if isinstance(error, smtplib.SMTPResponseException):
        return Failure(f"{server}: {error.smtp_code} {_text(error.smtp_error)}",
                       permanent=error.smtp_code >= 500)
    if isinstance(error, (OSError, smtplib.SMTPServerDisconnected)):
        if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
            return _ConnectionLost(f"{server}: keine Antwort nach {config['MAIL_TIMEOUT']:g} s "
                                   "(Zeitüberschreitung)")
        return _ConnectionLost(f"{server}: {error or type(error).__name__}")
    return Failure(f"{server}: {type(error).__name__}: {error}")


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


@event.listens_for(Session, "after_commit")
def _write_outbox_folder(session: Session) -> None:
    """Without MAIL_SERVER, the mails just committed go into the folder at once (no worker)."""
    if not session.info.pop(_QUEUED, False) or current_app.config["MAIL_SERVER"]:
        return
    from portal.jobs.worker import run_due  # here: the worker imports this module's deliver

    # a session of its own on the same database (in tests: the same connection), since the
    # committing one may not run SQL any more
    try:
        with Session(bind=session.get_bind(), join_transaction_mode="create_savepoint") as fresh:
            run_due(fresh, current_app.config, kinds=("mail",))
    except Exception:  # the action is committed; its mails wait for `flask jobs work`
        log.exception("mails could not be written into the outbox folder")


@event.listens_for(Session, "after_soft_rollback")
def _forget_queued(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_QUEUED, None)
