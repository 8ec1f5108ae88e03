"""``/api/openapi.json``: a valid OpenAPI 3.1 document whose paths are exactly the mounted API
routes, and whose schemas the real responses satisfy."""

from __future__ import annotations

from typing import Any

import pytest
from api_clients import anonymous, logged_in, make_app
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route

from directory.service import Directory
from web.openapi import openapi_document


@pytest.fixture
def app(demo: Directory) -> Starlette:
    return make_app(demo)


def _api_operations(routes: list[BaseRoute], prefix: str = "") -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for route in routes:
        if isinstance(route, Mount) and prefix + route.path == "/api":
            found |= _api_operations(route.routes, "/api")
        elif isinstance(route, Route) and prefix == "/api":
            methods = (route.methods or set()) - {"HEAD"}
            found |= {(prefix + route.path, method.lower()) for method in methods}
    return found


def test_the_document_is_valid_openapi_3_1() -> None:
    document = openapi_document()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_paths_match_the_mounted_routes_both_ways(app: Starlette) -> None:
    mounted = _api_operations(app.routes)
    documented = {(path, method) for path, item in openapi_document()["paths"].items()
                  for method in item}
    assert mounted, "no API routes found under /api"
    assert mounted - documented == set(), "routes missing from the document"
    assert documented - mounted == set(), "documented operations that are not routes"


def test_served_document_is_the_same(app: Starlette) -> None:
    got = anonymous(app).get("/api/openapi.json")
    assert got.status_code == 200 and got.json() == openapi_document()


def _check(response: Any, path: str, method: str = "get", status: int = 200) -> None:
    """The response has the expected status and its body satisfies the documented schema
    of that status."""
    assert response.status_code == status, (path, response.status_code, response.text[:200])
    document = openapi_document()
    responses = document["paths"][path][method]["responses"]
    entry = responses[str(response.status_code)]
    if "$ref" in entry:
        entry = document["components"]["responses"][entry["$ref"].rsplit("/", 1)[1]]
    schema = entry["content"]["application/json"]["schema"] | {
        "components": document["components"]}
    errors = list(Draft202012Validator(schema).iter_errors(response.json()))
    assert errors == [], [e.message for e in errors[:3]]


def test_responses_match_their_schemas(app: Starlette) -> None:
    open_client, lezer = anonymous(app), logged_in(app, "lezer")
    _check(open_client.get("/api/activities?q=koffie"), "/api/activities")
    _check(lezer.get("/api/activities?near=6535&km=3"), "/api/activities")
    _check(open_client.get("/api/activities?limit=0"), "/api/activities", status=422)
    _check(open_client.get("/api/activities/act-0001"), "/api/activities/{id}")
    _check(open_client.get("/api/activities/nope"), "/api/activities/{id}", status=404)
    _check(open_client.get("/api/organisations"), "/api/organisations")
    _check(lezer.get("/api/people/per-0001"), "/api/people/{id}")
    _check(open_client.get("/api/people"), "/api/people", status=401)
    _check(lezer.get("/api/areas/WK026807/analysis"), "/api/areas/{code}/analysis")
    _check(lezer.get("/api/coverage?area=GM0281"), "/api/coverage")
    _check(lezer.get("/api/session"), "/api/session")


def test_write_responses_match_their_schemas(app: Starlette) -> None:
    coordinator = logged_in(app, "coordinator")
    made = coordinator.post("/api/organisations", json={"name": "Schema BV"})
    _check(made, "/api/organisations", "post", 201)
    path = "/api/organisations/{id}"
    _check(coordinator.patch(f"/api/organisations/{made.json()['id']}",
                             json={"version": 7}), path, "patch", 409)
    _check(coordinator.delete(f"/api/organisations/{made.json()['id']}",
                              params={"version": 1}), path, "delete")
    _check(coordinator.post("/api/handover", json={"from": "per-0004", "to": "per-0001",
                                                   "dry_run": True}), "/api/handover", "post")
    upload = coordinator.post("/api/import", files={"file": ("a.csv", b"Naam\nSoep\n",
                                                             "text/csv")})
    _check(upload, "/api/import", "post")
