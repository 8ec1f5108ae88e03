"""Route × role → status, for every route of the app, enumerated from its routes.

A route without a rule in ``web.access.RULES`` fails here. Each route is called once per
role (anonymous and the four roles) with a sample request: from ``SAMPLES`` when given
(exact statuses), else built from the route's path (``{id}`` → an unknown id), in which case
an allowed call must pass the access layer (not 401/403, no server error).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route
from starlette.testclient import TestClient
from web_helpers import ClientFor, token_of

from directory.accounts import ROLES
from web.access import RULES
from web.auth import Account, allows

ROLE_CASES: list[str | None] = [None, *ROLES]


@dataclass(frozen=True)
class Sample:
    method: str
    path: str
    ok: int | None = 200  # the status when allowed; None: anything but 401/403/5xx


SAMPLES: dict[str, Sample] = {
    "home": Sample("GET", "/"),
    "search": Sample("GET", "/zoeken?q=koffie&leefgebied=welzijn"),
    "handout": Sample("GET", "/meegeefkaart?id=act-0014"),
    "login": Sample("GET", "/inloggen"),
    "logout": Sample("POST", "/uitloggen", ok=303),
    "organisation": Sample("GET", "/organisaties/org-wijkbewegen"),
    "activity": Sample("GET", "/activiteiten/act-0014"),
    "area": Sample("GET", "/wijk/WK026807"),
    # wijk forms and the handover wizard: an empty form stops at validation (422)
    "area.checklist": Sample("POST", "/wijk/WK026807/checklist", ok=422),
    "area.partner.create": Sample("POST", "/wijk/WK026807/partner", ok=422),
    "area.person.create": Sample("POST", "/wijk/WK026807/contactpersoon", ok=422),
    "area.activity.create": Sample("POST", "/wijk/WK026807/activiteit", ok=422),
    "person": Sample("GET", "/personen/per-0023"),
    "handover": Sample("GET", "/overdracht?van=per-0004&naar=per-0001"),
    "handover.confirm": Sample("POST", "/overdracht/bevestigen", ok=422),
    "handover.document": Sample("GET", "/overdracht/document?persoon=per-0001"),
    "static": Sample("GET", "/static/wijkkaart.css"),
    "coverage": Sample("GET", "/dekking?gebied=GM0268"),
    "network": Sample("GET", "/netwerk?gebied=GM0268"),
    "network.data": Sample("GET", "/netwerk/data?team=team-tiel"),
    "network.file": Sample("GET", "/netwerk/bestand?gebied=WK026807"),
    # Beheer: forms are read with GET (posting is tested in tests/web/test_pages_beheer*.py)
    "beheer": Sample("GET", "/beheer"),
    "beheer.gebieden.list": Sample("GET", "/beheer/gebieden?q=dukenburg"),
    "beheer.gebieden.create": Sample("GET", "/beheer/gebieden/nieuw"),
    "beheer.gebieden.edit": Sample("GET", "/beheer/gebieden/WK026807"),
    "beheer.gebieden.end": Sample("GET", "/beheer/gebieden/WK026807/beeindigen"),
    **{f"beheer.{slug}.{action}": Sample("GET", path.format(id=node_id))
       for slug, node_id in (("organisaties", "org-wijkbewegen"), ("personen", "per-0023"),
                             ("activiteiten", "act-0014"), ("teams", "team-tiel"),
                             ("afspraken", "agr-002"))
       for action, path in (("list", f"/beheer/{slug}?q=a&pagina=1"),
                            ("create", f"/beheer/{slug}/nieuw"),
                            ("edit", f"/beheer/{slug}/{{id}}"),
                            ("end", f"/beheer/{slug}/{{id}}/beeindigen"))},
    "beheer.import": Sample("GET", "/beheer/import"),
    "beheer.import.confirm": Sample("POST", "/beheer/import/bevestigen", ok=404),
    "beheer.export": Sample("GET", "/beheer/export"),
    "beheer.export.download": Sample("GET", "/beheer/export/bestand?formaat=csv"),
    "beheer.audit": Sample("GET", "/beheer/logboek?node=per-0001"),
    "beheer.users": Sample("GET", "/beheer/gebruikers"),
    "beheer.users.role": Sample("POST", "/beheer/gebruikers/onbekend/rol", ok=404),
    "beheer.users.remove": Sample("POST", "/beheer/gebruikers/onbekend/verwijderen", ok=404),
    # JSON API: reads answer 200; writes get an empty body, so past the access layer they
    # stop at validation (422), a wrong content type (415) or an unknown id (404).
    "api.session": Sample("GET", "/api/session"),
    "api.openapi": Sample("GET", "/api/openapi.json"),
    "api.activities.list": Sample("GET", "/api/activities?q=koffie&domain=welzijn"),
    "api.activities.show": Sample("GET", "/api/activities/act-0014"),
    "api.organisations.list": Sample("GET", "/api/organisations?area=GM0268"),
    "api.organisations.show": Sample("GET", "/api/organisations/org-wijkbewegen"),
    "api.teams.list": Sample("GET", "/api/teams"),
    "api.teams.show": Sample("GET", "/api/teams/team-tiel"),
    "api.areas.list": Sample("GET", "/api/areas?team=team-tiel"),
    "api.areas.show": Sample("GET", "/api/areas/GM0268"),
    "api.people.list": Sample("GET", "/api/people"),
    "api.people.show": Sample("GET", "/api/people/per-0001"),
    "api.agreements.list": Sample("GET", "/api/agreements"),
    "api.agreements.show": Sample("GET", "/api/agreements/agr-002"),
    "api.areas.analysis": Sample("GET", "/api/areas/WK026807/analysis"),
    "api.coverage": Sample("GET", "/api/coverage?area=GM0268"),
    **{f"api.{c}.create": Sample("POST", f"/api/{c}", ok=422)
       for c in ("organisations", "people", "activities", "teams", "agreements")},
    **{f"api.{c}.update": Sample("PATCH", f"/api/{c}/{i}", ok=422)
       for c, i in (("organisations", "org-wijkbewegen"), ("people", "per-0001"),
                    ("activities", "act-0014"), ("teams", "team-tiel"),
                    ("agreements", "agr-002"))},
    **{f"api.{c}.end": Sample("DELETE", f"/api/{c}/{i}", ok=422)
       for c, i in (("organisations", "org-wijkbewegen"), ("people", "per-0001"),
                    ("activities", "act-0014"), ("teams", "team-tiel"),
                    ("agreements", "agr-002"))},
    "api.relations.create": Sample("POST", "/api/relations", ok=422),
    "api.relations.end": Sample("DELETE", "/api/relations/999999", ok=404),
    "api.import": Sample("POST", "/api/import", ok=415),
    "api.handover": Sample("POST", "/api/handover", ok=422),
    "api.hsds.services.list": Sample("GET", "/api/hsds/services?per_page=5"),
    "api.hsds.services.show": Sample("GET", "/api/hsds/services/act-0014"),
    "api.hsds.organizations.list": Sample("GET", "/api/hsds/organizations?search=wijk"),
    "api.hsds.organizations.show": Sample("GET", "/api/hsds/organizations/org-wijkbewegen"),
}
PATH_VALUES = {"code": "GM0268", "path": "wijkkaart.css"}


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    methods: tuple[str, ...]


def endpoints(routes: list[BaseRoute], prefix: str = "") -> Iterator[Endpoint]:
    """Every named leaf route (a Mount without routes, like static files, counts as one)."""
    for route in routes:
        if isinstance(route, Mount) and route.routes:
            yield from endpoints(route.routes, prefix + route.path)
        elif isinstance(route, Route | Mount):
            methods = tuple(sorted(getattr(route, "methods", None) or {"GET"}))
            yield Endpoint(str(route.name), prefix + route.path, methods)


def sample_for(endpoint: Endpoint) -> Sample:
    if endpoint.name in SAMPLES:
        return SAMPLES[endpoint.name]
    path = re.sub(r"\{(\w+)(:\w+)?\}",
                  lambda m: PATH_VALUES.get(m.group(1), "onbekend-id"), endpoint.path)
    method = next((m for m in endpoint.methods if m not in ("HEAD",)), "GET")
    return Sample(method, path, ok=None)


def expected_refusal(name: str, role: str | None, method: str) -> int | None:
    """The status the access layer answers with, or None when it lets the call through."""
    if allows(Account(role, role) if role else None, RULES[name]):
        return None
    if role is not None:
        return 403
    is_page = not name.startswith("api.")
    return 303 if is_page and method == "GET" else 401


def call(client: TestClient, sample: Sample, token: str) -> int:
    headers = {"X-CSRF-Token": token}
    body = {} if sample.method in ("POST", "PUT", "PATCH") else None
    response = client.request(sample.method, sample.path, headers=headers, json=body,
                              follow_redirects=False)
    return response.status_code


def test_every_route_has_a_rule(app: Starlette) -> None:
    names = [e.name for e in endpoints(app.routes)]
    assert len(names) == len(set(names)), "route names must be unique"
    assert [n for n in names if n not in RULES] == []
    assert sorted(set(RULES) - set(names)) == [], "rules for routes that do not exist"
    assert set(SAMPLES) <= set(names)


def test_route_by_role(demo_client_for: ClientFor, demo_app: Starlette) -> None:
    found = [e for e in endpoints(demo_app.routes) if e.name != "logout"]
    failures = []
    for role in ROLE_CASES:
        client = demo_client_for(role)
        token = token_of(client)
        for endpoint in found:
            sample = sample_for(endpoint)
            status = call(client, sample, token)
            refusal = expected_refusal(endpoint.name, role, sample.method)
            if refusal is not None:
                ok = status == refusal
            elif sample.ok is not None:
                ok = status == sample.ok
            else:
                ok = status not in (401, 403) and status < 500
            if not ok:
                failures.append(f"{role or 'anoniem'} {sample.method} {sample.path}: {status}")
    assert failures == []


def test_logout_for_every_role(client_for: ClientFor) -> None:
    for role in ROLE_CASES:
        client = client_for(role)
        response = client.post("/uitloggen", data={"csrf_token": token_of(client)},
                               follow_redirects=False)
        assert response.status_code == 303
        assert client.get("/wijk/GM0268", follow_redirects=False).status_code == 303


def test_pages_redirect_to_login_with_the_way_back(client: TestClient) -> None:
    response = client.get("/wijk/GM0268?x=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/inloggen?volgende=%2Fwijk%2FGM0268%3Fx%3D1"


def test_api_refusals_are_json(client: TestClient) -> None:
    protected = next(n for n, rule in RULES.items() if n.startswith("api.") and rule)
    endpoint = next(e for e in endpoints(client.app.routes) if e.name == protected)  # type: ignore[attr-defined]
    sample = sample_for(endpoint)
    response = client.request(sample.method, sample.path, follow_redirects=False)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
