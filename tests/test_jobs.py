"""The outbox: mails are job rows written with the action, delivered by the worker exactly once,
retried with backoff against real SMTP servers (refusing, hanging, accepting), visible to the office."""
from __future__ import annotations

import socket
import threading
import time
from contextlib import closing, contextmanager
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal import mail
from portal.extensions import db as _db
from portal.jobs import queue, worker
from portal.jobs.models import Job
from portal.types import utcnow

# --- SMTP servers for the tests -------------------------------------------------------------

def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    """An aiosmtpd handler that keeps what it receives; `refuse` answers every RCPT with it."""

    def __init__(self, port: int, refuse: str | None = None) -> None:
        self.port = port
        self.refuse = refuse
        self.messages: list[tuple[int, list[str], bytes]] = []  # (connection, recipients, data)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((id(session), list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [mail.parse(data)["Message-ID"] for _, _, data in self.messages]

    def connections(self) -> int:
        return len({connection for connection, _, _ in self.messages})


@contextmanager
def smtp_server(port: int | None = None, refuse: str | None = None):
    recorder = Recorder(port or free_port(), refuse)
    controller = Controller(recorder, hostname="127.0.0.1", port=recorder.port)
    controller.start()
    try:
        yield recorder
    finally:
        controller.stop()


@contextmanager
def hanging_server():
    """Accepts TCP connections and never says a word."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


@pytest.fixture
def use_smtp(app, monkeypatch):
    """Point the portal at an SMTP server on this machine: no TLS (a local relay), a short
    timeout, three attempts a minute apart at first."""
    def use(port: int, **settings) -> None:
        values = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
                  "MAIL_TIMEOUT": 0.5, "JOBS_MAX_ATTEMPTS": 3, "JOBS_RETRY_DELAY": 60, **settings}
        for key, value in values.items():
            monkeypatch.setitem(app.config, key, value)
    return use


def queue_mail(to: str = "anna@example.org", subject: str = "Einladung") -> None:
    mail.queue(mail.build(to, subject, "Guten Tag."))


def mail_jobs() -> list[Job]:
    return list(_db.session.scalars(select(Job).where(Job.kind == "mail").order_by(Job.id)))


def make_due_again(job: Job) -> None:
    """As if the backoff had passed."""
    _db.session.execute(update(Job).where(Job.id == job.id).values(run_after=utcnow()))
    _db.session.commit()
    _db.session.refresh(job)


# --- the job row is written with the action -------------------------------------------------

def test_a_rolled_back_action_leaves_no_job_and_a_committed_one_exactly_one(app, db, use_smtp):
    use_smtp(free_port())
    with app.test_request_context():
        queue_mail(subject="zurückgenommen")
        db.session.rollback()
        assert mail_jobs() == []
        queue_mail(subject="gespeichert")
        db.session.commit()
    [job] = mail_jobs()
    assert job.status == "waiting" and job.attempts == 0
    assert mail.parse(job.payload)["Subject"] == "gespeichert"


def test_without_mail_server_the_committed_mail_is_written_to_the_folder_at_once(app, db, outbox):
    with app.test_request_context():
        queue_mail(subject="sofort")
        db.session.commit()
    [job] = mail_jobs()
    assert job.status == "done" and job.finished_at is not None
    assert [m["Subject"] for m in outbox.messages] == ["sofort"]


# --- the worker ------------------------------------------------------------------------------

def test_worker_delivers_each_mail_once_over_one_connection(app, db, use_smtp, runner):
    port = free_port()
    use_smtp(port)
    with app.test_request_context():
        for address in ("a@example.org", "b@example.org", "c@example.org"):
            queue_mail(to=address)
        db.session.commit()
    with smtp_server(port) as server:
        first = runner.invoke(args=["jobs", "work", "--once"])
        again = runner.invoke(args=["jobs", "work", "--once"])
    assert first.exit_code == 0 and "3 erledigt" in first.output
    assert again.exit_code == 0 and "0 erledigt" in again.output
    assert [rcpt for _, rcpt, _ in server.messages] == [["a@example.org"], ["b@example.org"], ["c@example.org"]]
    assert server.connections() == 1
    assert {job.status for job in mail_jobs()} == {"done"}


@pytest.fixture
def engine(app):
    with app.app_context():
        return _db.engine


@pytest.fixture
def committed_mails(app, engine):
    """Mails committed for real (other connections must see them), removed afterwards."""
    created: list[int] = []

    def make(count: int) -> list[int]:
        with app.test_request_context(), Session(engine) as session:
            jobs = [queue.enqueue("mail", bytes(mail.build(f"person{n}@example.org", f"Nr. {n}", "Text")),
                                  session) for n in range(count)]
            session.commit()
            created.extend(job.id for job in jobs)
        return created

    yield make
    with Session(engine) as session:
        session.execute(delete(Job).where(Job.id.in_(created)))
        session.commit()


def test_two_workers_at_once_never_send_a_mail_twice(app, engine, committed_mails):
    """Real threads with a session and connection each, on whichever database the tests use."""
    ids = committed_mails(40)
    port = free_port()
    config = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
              "MAIL_TIMEOUT": 5, "JOBS_BATCH_SIZE": 3}
    start = threading.Barrier(2)
    outcomes, errors = {}, []

    def work(name: str) -> None:
        try:
            with Session(engine) as session:
                start.wait()
                outcomes[name] = worker.run_due(session, config, worker=name)
        except Exception as error:  # shown by the assertion below
            errors.append(error)

    with smtp_server(port) as server:
        threads = [threading.Thread(target=work, args=(name,)) for name in ("w1", "w2")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    sent = server.message_ids()
    assert len(sent) == 40 and len(set(sent)) == 40
    assert sum(o.done for o in outcomes.values()) == 40
    with Session(engine) as session:
        rows = session.execute(select(Job.status, Job.attempts).where(Job.id.in_(ids))).all()
    assert set(rows) == {("done", 1)}


def test_a_job_whose_worker_died_is_claimed_again_once_its_lease_has_run_out(app, db, use_smtp):
    port = free_port()
    use_smtp(port)
    with app.test_request_context():
        queue_mail()
        db.session.commit()
    policy = queue.Policy.from_config(app.config)
    [claimed] = queue.claim(db.session, "dead-worker", ["mail"], 10, policy.lease)
    with smtp_server(port) as server:
        assert worker.run_due(db.session, app.config, "w2").done == 0  # the lease still holds
        db.session.execute(update(Job).values(locked_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        assert worker.run_due(db.session, app.config, "w2").done == 1
        # the first worker wakes up late: its result is not written over the second's
        late = queue.finish(db.session, "dead-worker", {claimed.id: queue.Failure("zu spät")}, policy)
    assert late.lost == 1
    [job] = mail_jobs()
    assert job.status == "done" and job.attempts == 2 and job.last_error == ""
    assert len(server.messages) == 1


def test_failed_attempts_back_off_and_end_failed_after_the_limit_keeping_each_error(
        app, db, use_smtp, runner):
    use_smtp(free_port())  # nobody listens there
    with app.test_request_context():
        queue_mail()
        db.session.commit()
    [job] = mail_jobs()

    result = runner.invoke(args=["jobs", "work", "--once"])
    assert result.exit_code == 0 and "1 für einen neuen Versuch vorgemerkt" in result.output
    db.session.refresh(job)
    assert job.status == "waiting" and job.attempts == 1
    assert timedelta(seconds=30) < job.run_after - utcnow() <= timedelta(seconds=60)
    assert "Connection refused" in job.last_error
    assert worker.run_due(db.session, app.config).retrying == 0  # not due yet

    make_due_again(job)
    worker.run_due(db.session, app.config)
    db.session.refresh(job)
    assert job.attempts == 2 and timedelta(seconds=90) < job.run_after - utcnow() <= timedelta(seconds=120)

    make_due_again(job)
    result = runner.invoke(args=["jobs", "work", "--once"])
    assert result.exit_code != 0 and "1 Job(s) endgültig fehlgeschlagen" in result.output
    db.session.refresh(job)
    assert job.status == "failed" and job.finished_at is not None
    assert [entry["attempt"] for entry in job.errors] == [1, 2, 3]
    assert all("Connection refused" in entry["error"] for entry in job.errors)


def test_jobs_retry_makes_every_waiting_and_failed_job_due_now(app, db, make, runner):
    later = make.mail_job(run_after=utcnow() + timedelta(hours=1), attempts=2)
    failed = make.mail_job(status="failed", attempts=3, finished_at=utcnow())
    sent = make.mail_job(status="done", attempts=1, finished_at=utcnow())
    result = runner.invoke(args=["jobs", "retry"])
    assert result.exit_code == 0 and "2 Job(s) sind jetzt fällig" in result.output
    for job in (later, failed, sent):
        db.session.refresh(job)
    assert later.status == failed.status == "waiting"
    assert later.run_after <= utcnow() and failed.run_after <= utcnow() and failed.finished_at is None
    assert sent.status == "done"


# --- real SMTP servers: refusing, hanging, accepting ---------------------------------------

def test_a_mail_is_retried_past_a_refusing_and_a_hanging_server_and_delivered_once(
        app, db, use_smtp):
    use_smtp(free_port())
    with app.test_request_context():
        queue_mail(to="anna@example.org", subject="Einladung zum Plenum")
        db.session.commit()
    [job] = mail_jobs()

    with smtp_server(refuse="451 4.3.0 Bitte später noch einmal") as refusing:
        use_smtp(refusing.port)
        worker.run_due(db.session, app.config)
    db.session.refresh(job)
    assert job.status == "waiting" and "451" in job.last_error and refusing.messages == []

    make_due_again(job)
    with hanging_server() as port:
        use_smtp(port)
        started = time.monotonic()
        worker.run_due(db.session, app.config)
        assert time.monotonic() - started < 5
    db.session.refresh(job)
    assert job.status == "waiting" and "Zeitüberschreitung" in job.last_error

    make_due_again(job)
    port = free_port()
    use_smtp(port)
    with smtp_server(port) as accepting:
        worker.run_due(db.session, app.config)
        make_due_again(job)  # even when asked again, a sent mail is not sent twice
        worker.run_due(db.session, app.config)
    db.session.refresh(job)
    assert job.status == "done" and job.attempts == 3
    assert "451" in job.errors[0]["error"] and "Zeitüberschreitung" in job.errors[1]["error"]
    assert len(accepting.messages) == 1 and accepting.messages[0][1] == ["anna@example.org"]


def test_a_permanent_refusal_fails_at_once_without_more_attempts(app, db, use_smtp):
    use_smtp(free_port())
    with app.test_request_context():
        queue_mail(to="weg@example.org")
        db.session.commit()
    with smtp_server(refuse="550 5.1.1 Unbekannter Empfänger") as refusing:
        use_smtp(refusing.port)
        outcome = worker.run_due(db.session, app.config)
    [job] = mail_jobs()
    assert outcome.failed == 1 and job.status == "failed" and job.attempts == 1
    assert "550" in job.last_error and "weg@example.org" in job.last_error


def test_with_starttls_required_a_server_without_it_gets_no_mail_in_plain_text(app, db, use_smtp):
    use_smtp(free_port())
    with app.test_request_context():
        queue_mail()
        db.session.commit()
    with smtp_server() as server:
        use_smtp(server.port, MAIL_USE_TLS=True)
        worker.run_due(db.session, app.config)
    [job] = mail_jobs()
    assert server.messages == [] and job.status == "waiting"
    assert "STARTTLS" in job.last_error


def test_a_wrong_smtp_password_is_retried_not_given_up(app, db, use_smtp):
    """An error of the server's settings says nothing about the mail: it stays waiting."""
    use_smtp(free_port())
    with app.test_request_context():
        queue_mail()
        db.session.commit()
    with smtp_server() as server:  # offers no AUTH: login fails like a wrong password would
        use_smtp(server.port, MAIL_USERNAME="portal", MAIL_PASSWORD="falsch")
        worker.run_due(db.session, app.config)
    [job] = mail_jobs()
    assert job.status == "waiting" and job.attempts == 1 and job.last_error


# --- what the office sees ---------------------------------------------------------------------

def test_inviting_with_smtp_down_answers_at_once_and_the_mail_goes_out_once_the_server_is_up(
        app, client, login_as, make, use_smtp, runner):
    """The issue's done-when: MAIL_SERVER at a closed port, then a server listens there."""
    port = free_port()
    use_smtp(port)
    login_as(make.person("office"))
    started = time.monotonic()
    response = client.post("/members/new", data={
        "name": "Nina Neu", "email": "nina.neu@example.org", "role": "member", "organization_id": "0"},
        follow_redirects=True)
    assert response.status_code == 200 and time.monotonic() - started < 5
    assert "Die Einladung an Nina Neu (nina.neu@example.org) wird verschickt." in response.text
    [job] = mail_jobs()
    assert job.status == "waiting" and job.attempts == 0  # the request did not try to send it

    assert runner.invoke(args=["jobs", "work", "--once"]).exit_code == 0
    page = client.get("/mails").text
    assert "nina.neu@example.org" in page and "wartet" in page and "Connection refused" in page

    with smtp_server(port) as server:
        assert "1 Job(s) sind jetzt fällig" in runner.invoke(args=["jobs", "retry"]).output
        first = runner.invoke(args=["jobs", "work", "--once"])
        again = runner.invoke(args=["jobs", "work", "--once"])
    assert "1 erledigt" in first.output and "0 erledigt" in again.output
    assert [rcpt for _, rcpt, _ in server.messages] == [["nina.neu@example.org"]]
    assert "Alle E-Mails sind verschickt." in client.get("/mails").text


def test_the_office_sees_mails_failed_after_the_limit_and_sends_them_again(
        app, client, login_as, make, use_smtp, runner):
    use_smtp(free_port(), JOBS_MAX_ATTEMPTS=1)
    make.mail_job(to="mia@example.org", subject="Protokoll zur Abstimmung")
    assert runner.invoke(args=["jobs", "work", "--once"]).exit_code != 0
    login_as(make.person("office"))

    start = client.get("/").text
    assert "1 E-Mail konnte nicht verschickt werden." in start and 'href="/mails"' in start
    page = client.get("/mails").text
    assert "E-Mail-Versand" in page and "Protokoll zur Abstimmung" in page
    assert "fehlgeschlagen" in page and "Connection refused" in page

    [job] = mail_jobs()
    response = client.post(f"/mails/{job.id}/retry", follow_redirects=True)
    assert "Die E-Mail wird erneut verschickt." in response.text
    _db.session.refresh(job)
    assert job.status == "waiting" and job.run_after <= utcnow() and job.attempts == 1
    assert "konnte nicht verschickt werden" not in client.get("/").text


def test_sending_again_a_mail_already_sent_is_refused_with_a_message(client, login_as, make):
    login_as(make.person("office"))
    job = make.mail_job(status="done", attempts=1, finished_at=utcnow())
    _db.session.commit()  # the refusal rolls the request's transaction back
    response = client.post(f"/mails/{job.id}/retry", follow_redirects=True)
    assert "Diese E-Mail ist bereits verschickt." in response.text
    _db.session.refresh(job)
    assert job.status == "done"
    assert client.post("/mails/999999/retry").status_code == 404


def test_send_all_again_makes_every_waiting_and_failed_mail_due(client, login_as, make):
    login_as(make.person("office"))
    jobs = [make.mail_job(status="failed", attempts=8), make.mail_job(run_after=utcnow() + timedelta(hours=1))]
    response = client.post("/mails/retry", follow_redirects=True)
    assert "2 E-Mails werden erneut verschickt." in response.text
    for job in jobs:
        _db.session.refresh(job)
        assert job.status == "waiting" and job.run_after <= utcnow()


def test_start_page_warns_when_the_oldest_due_mail_has_waited_ten_minutes(client, login_as, make):
    login_as(make.person("office"))
    make.mail_job(run_after=utcnow() - timedelta(minutes=5))
    assert "Versand-Dienst" not in client.get("/").text
    make.mail_job(run_after=utcnow() - timedelta(minutes=11))
    start = client.get("/").text
    assert "Der Versand-Dienst läuft offenbar nicht" in start and "2 E-Mails warten" in start


def test_mail_page_takes_the_same_queries_for_few_and_many_mails(client, login_as, make, count_queries):
    login_as(make.person("office"))
    for _ in range(3):
        make.mail_job(status="failed", attempts=3, last_error="kaputt")
    with count_queries() as few:
        assert client.get("/mails").status_code == 200
    for _ in range(30):
        make.mail_job()
    with count_queries() as many:
        page = client.get("/mails")
    assert many.count == few.count
    assert "Seite 1 von 2" in page.text
    assert "Seite 2 von 2" in client.get("/mails?page=2").text


def test_only_the_office_sees_the_mail_link_in_the_navigation(client, login_as, make):
    login_as(make.person("member"))
    assert 'href="/mails"' not in client.get("/").text
    login_as(make.person("office"))
    assert 'href="/mails"' in client.get("/actions").text


def test_sent_mails_are_forgotten_after_the_configured_days(app, db, make, runner, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_KEEP_DONE_DAYS", 30)
    make.mail_job(status="done", finished_at=utcnow() - timedelta(days=31))
    recent = make.mail_job(status="done", finished_at=utcnow() - timedelta(days=29))
    failed = make.mail_job(status="failed", finished_at=utcnow() - timedelta(days=90))
    result = runner.invoke(args=["jobs", "work", "--once"])
    assert result.exit_code == 0 and "1 alte erledigte Job(s) gelöscht." in result.output
    assert {job.id for job in mail_jobs()} == {recent.id, failed.id}
