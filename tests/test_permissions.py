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


def _roles(route: Route) -> tuple[str, ...]:
    """Every role, and the world's people with a part in one meeting where a row names them."""
    return (*ROLES, *(role for role in route.expect if role not in ROLES))


@pytest.mark.parametrize("route,role", [(route, role) for route in ROUTES for role in _roles(route)],
                         ids=[f"{route.id}-{role}" for route in ROUTES for role in _roles(route)])
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
