"""Every route, walked with every role, answers as the route × role table says."""
from __future__ import annotations

import pytest

from tests.routes import ROLES, Route, all_routes
from tests.routes.world import build_world

ROUTES = all_routes()


@pytest.fixture
def world(make):
    return build_world(make)


def _request(client, route: Route, world: dict):
    path = route.path(world)
    if route.method == "GET":
        return client.get(path)
    return client.open(path, method=route.method, data=route.form(world))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_route_answers_role_as_the_table_says(route, role, client, world, login_as):
    if role != "anonymous":
        login_as(world[role])
    response = _request(client, route, world)
    expected = route.expect[role]
    if expected == "ok":
        assert response.status_code < 400, f"{role}: {response.status_code}"
    elif expected == "login":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == expected, f"{role}: {response.status_code}"


def test_table_covers_every_route(app):
    covered = {(r.rule, r.method) for r in ROUTES}
    registered = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert registered - covered == set(), "routes missing from tests/routes/"
    assert covered - registered == set(), "table names routes that do not exist"
