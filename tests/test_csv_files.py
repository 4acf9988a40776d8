"""The CSV exports share one writer: Excel-friendly files and the same guard against formulas."""
from __future__ import annotations

import csv
import io

import pytest

TRICKY = ["=1+1", "'=1+1", "''@SUMME(A1)", "-5", "\tTab", "'normal", "Ärger; \"zitiert\""]


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.fixture
def exports(client, login_as, make):
    """The CSV cells of the members' and the actions' export for values typed as TRICKY."""
    office = make.person("office", name="Olga Office")
    group = make.group(name="Export-Reallabor")
    for value in TRICKY:
        make.action_item(office, group, title=value)
        make.membership(make.person(name=value), group)
    login_as(office)
    members = _rows(client.get(f"/members/export.csv?group={group.id}").data)
    actions = _rows(client.get(f"/actions/export.csv?group={group.id}&status=all").data)
    return [r[0] for r in members[1:]], [r[1] for r in actions[1:]]


def test_members_and_actions_exports_guard_formulas_alike(exports):
    members, actions = exports
    guarded = {"=1+1": "'=1+1", "'=1+1": "''=1+1", "''@SUMME(A1)": "'''@SUMME(A1)", "-5": "'-5",
               "\tTab": "'\tTab", "'normal": "'normal", "Ärger; \"zitiert\"": "Ärger; \"zitiert\""}
    assert sorted(members) == sorted(actions) == sorted(guarded.values())

