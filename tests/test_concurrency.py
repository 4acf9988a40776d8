"""Several people writing at the same moment, against a real server: gunicorn with the README's
settings (gunicorn.conf.py: 4 workers, 2 threads) on a SQLite file, and on PostgreSQL when TEST_DATABASE_URL is set
(in a schema of its own). Eight users sign in through the login form and each does a dozen
writes at once with the others: RSVPs, comments on the same action items, the minutes text of
their own agenda item, new meetings of one series (bench/concurrency.py, which measures the same
with more writes). Nothing may end in a server error, and every write answered as done must be in
the database; meeting numbers stay unique in the series."""
from __future__ import annotations

import os
from collections import Counter

import pytest

from bench import concurrency

USERS = 8
WRITES = 12  # per user, three of each kind
DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
                          else [])


@pytest.mark.parametrize("database", DATABASES)
def test_concurrent_writers_lose_nothing_and_get_no_server_error(database, tmp_path):
    url = os.environ["TEST_DATABASE_URL"] if database == "postgresql" else None

    writes, _, lost = concurrency.run(url, USERS, WRITES, tmp_path)

    statuses = Counter((w.kind, w.status) for w in writes)
    assert len(writes) == USERS * WRITES
    assert [w for w in writes if w.status >= 500] == []
    # done (a redirect), or, for the minutes only, the conflict page with both texts
    assert {status for (kind, status) in statuses if kind != "minutes"} == {302}, statuses
    assert {status for (kind, status) in statuses if kind == "minutes"} <= {302, 409}, statuses
    assert statuses["meeting", 302] == USERS * WRITES // len(concurrency.KINDS)
    assert lost == []


# the invariants the database keeps when two requests pass the same check at the same moment

def test_two_counting_meetings_of_a_series_cannot_share_a_number(db, make):
    from sqlalchemy.exc import IntegrityError

    group = make.group()
    make.meeting(group, number=3)
    make.meeting(group, number=3, status="cancelled")  # a cancelled one shows no number
    make.meeting(None, number=3)  # the plenary series is another series
    with pytest.raises(IntegrityError), db.session.begin_nested():
        make.meeting(group, number=3)


def test_organization_names_are_unique_ignoring_case(db, make):
    from sqlalchemy.exc import IntegrityError

    from portal.members.models import Organization

    db.session.add(Organization(name="Stadtwerke Bottrop"))
    db.session.flush()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Organization(name="STADTWERKE bottrop"))
        db.session.flush()


def test_a_name_taken_between_check_and_write_gets_the_users_message(db, make):
    from portal.database import refused_if_taken
    from portal.members.accounts import AccountError
    from portal.members.models import Organization

    db.session.add(Organization(name="Stadtwerke Bottrop"))
    with pytest.raises(AccountError, match="gibt es bereits"), \
            refused_if_taken(AccountError("Die Organisation gibt es bereits.", "name")):
        db.session.add(Organization(name="stadtwerke bottrop"))
    assert db.session.query(Organization).count() == 1
