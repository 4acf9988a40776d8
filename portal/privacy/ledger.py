"""The ids of erased people, also kept outside the database: a backup from before an erasure
brings the person back, and its own erasure records do not know of it. `backup restore` erases
them again (portal/backup/cli.py), and so does the portal's start (a backup restored by hand).
It holds numbers only, no personal data; keep it with the backups.

Each line names the database the erasure happened in (site_settings' installation id, which its
backups carry): the portal's start erases again only the ids of its own database, never people of
a new database who happen to have an erased person's id (a demo set up anew, a second portal)."""
from __future__ import annotations

import os
from pathlib import Path

from flask import current_app


def path() -> Path:
    return Path(current_app.config["PRIVACY_ERASURE_LEDGER"])


def remember(installation: str, person_id: int) -> None:
    """After the erasure is committed (an id written for a rolled-back erasure would erase a
    person nobody meant to)."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as file:
        file.write(f"{installation} {int(person_id)}\n")


def remembered(installation: str | None = None) -> list[int]:
    """The ids erased in `installation`, or with None every id of the file (what `backup restore`
    erases again, as it did before the lines named their database)."""
    try:
        lines = path().read_text().splitlines()
    except FileNotFoundError:
        return []
    ids = set()
    for line in lines:
        *named, person_id = line.split() or [""]
        if person_id.isdigit() and (installation is None or named == [installation]):
            ids.add(int(person_id))
    return sorted(ids)
