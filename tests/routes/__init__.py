"""The route × role table, one module per area; test_permissions.py walks all of it.

Each Route names a URL rule exactly as Flask registered it, the world objects that fill
its parameters, and what each role gets: "ok" (any status below 400), "login" (redirect
to the login page), or a status code such as 403 or 404. A row may also name a person of the
world who has a part in one meeting only (`meeting_lead`: the plenary's moderator and the group
meeting's minute-taker, without group rights); such a person is walked on the rows that name them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

ROLES = ("anonymous", "member", "moderator", "other_moderator", "office", "observer")
SIGNED_IN = ROLES[1:]


def allow(*roles: str, anonymous: Any = "login", **others: Any) -> dict[str, Any]:
    """Listed roles get "ok", other signed-in roles 403; keyword overrides per role."""
    table = {role: ("ok" if role in roles else 403) for role in SIGNED_IN}
    table["anonymous"] = anonymous
    table.update(others)
    return table


EVERYONE = allow(*SIGNED_IN)
OFFICE = allow("office")
PARTICIPANTS = allow("member", "moderator", "other_moderator", "office")
READERS_OF_REPORTS = allow("office", "observer")
PUBLIC = {role: "ok" for role in ROLES}


@dataclass
class Route:
    rule: str
    expect: dict[str, Any]
    method: str = "GET"
    params: dict[str, str] = field(default_factory=dict)
    # form data for POST; a callable gets the world and returns the data
    data: dict[str, Any] | Callable[[dict], dict[str, Any]] = field(default_factory=dict)
    note: str = ""

    def path(self, world: dict) -> str:
        def fill(match: re.Match) -> str:
            name = match.group(1)
            value = world[self.params[name]] if name in self.params else world[name]
            return str(getattr(value, "id", value))
        return re.sub(r"<(?:\w+:)?(\w+)>", fill, self.rule)

    def form(self, world: dict) -> dict[str, Any]:
        return self.data(world) if callable(self.data) else dict(self.data)

    @property
    def id(self) -> str:
        return f"{self.method} {self.rule}{' ' + self.note if self.note else ''}"


def all_routes() -> list[Route]:
    from tests.routes import (
        actions,
        attendance,
        calendar,
        circulars,
        documents,
        funding,
        groups,
        home,
        jobs,
        materials,
        meetings,
        members,
        minutes,
        people,
        privacy,
        privacy_notice,
        report_lists,
        reports,
        search,
        surveys,
    )

    routes: list[Route] = []
    for module in (home, members, groups, meetings, attendance, minutes, actions, calendar, documents, reports,
                   jobs, privacy_notice, funding, privacy, search, circulars, surveys, materials,
                   report_lists, people):
        routes.extend(module.ROUTES)
    return routes
