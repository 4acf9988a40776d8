"""The ids of erased people, also kept outside the database: a backup from before an erasure
brings the person back, and its own erasure records do not know of it. `backup restore` erases
every id of this file again. It holds numbers only, no personal data; keep it with the backups."""
from __future__ import annotations

import os
from pathlib import Path

from flask import current_app


def path() -> Path:
    return Path(current_app.config["PRIVACY_ERASURE_LEDGER"])


def remember(person_id: int) -> None:
    """After the erasure is committed (an id written for a rolled-back erasure would erase a
    person nobody meant to)."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as file:
        file.write(f"{int(person_id)}\n")


def remembered() -> list[int]:
    try:
        lines = path().read_text().split()
    except FileNotFoundError:
        return []
    return sorted({int(line) for line in lines if line.isdigit()})
