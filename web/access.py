"""Who may call what: one table of route name → the least role needed (None: anyone).

``AccessMiddleware`` finds the route a request is for (through Mounts, as the router will),
looks up its rule and refuses with 401 (not logged in; pages redirect to the login page) or
403 (role too low) before the endpoint runs. A route without a rule is refused (fail closed),
and ``tests/web/test_access.py`` fails for it.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from web.auth import allows, current_user
from web.errors import API_PREFIX, error_response

__all__ = ["RULES", "AccessMiddleware", "route_for", "LOGIN_PATH"]

LOGIN_PATH = "/inloggen"

RULES: dict[str, str | None] = {
    # pages
    "home": None,
    "search": None,
    "handout": None,
    "login": None,
    "logout": None,
    "organisation": None,
    "activity": None,
    "area": "lezer",
    "area.checklist": "redacteur",
    "area.partner.create": "redacteur",
    "area.person.create": "redacteur",
    "area.activity.create": "redacteur",
    "person": "lezer",
    "handover": "coordinator",
    "handover.confirm": "coordinator",
    "handover.document": "coordinator",
    # Dekking and the network picture show team members and who a relation hangs on
    "coverage": "lezer",
    "network": "lezer",
    "network.data": "lezer",
    "network.file": "lezer",
    "static": None,
    # Beheer (web/pages/beheer*.py): lezer sees the lists and exports (contacts and the
    # full dump are checked in the endpoint: coordinator / beheerder); redacteur writes
    # organisations, people, activities, agreements and imports; coordinator also teams
    # and reads the audit log; beheerder manages users and corrects or adds areas (CBS
    # data; the end page of an area only explains why it is not ended).
    "beheer": "lezer",
    "beheer.gebieden.list": "lezer",
    **{f"beheer.gebieden.{action}": "beheerder" for action in ("create", "edit", "end")},
    **{f"beheer.{slug}.list": "lezer"
       for slug in ("organisaties", "personen", "activiteiten", "teams", "afspraken")},
    **{f"beheer.{slug}.{action}": "redacteur"
       for slug in ("organisaties", "personen", "activiteiten", "afspraken")
       for action in ("create", "edit", "end")},
    **{f"beheer.teams.{action}": "coordinator" for action in ("create", "edit", "end")},
    "beheer.import": "redacteur",
    "beheer.import.confirm": "redacteur",
    "beheer.export": "lezer",
    "beheer.export.download": "lezer",
    "beheer.audit": "coordinator",
    "beheer.users": "beheerder",
    "beheer.users.role": "beheerder",
    "beheer.users.remove": "beheerder",
    # JSON API (web/api). Anonymous: search activities, organisations, teams, areas (never
    # people's phone/e-mail). lezer: people, agreements, wijkanalyse, coverage. redacteur:
    # writes to organisations, people, activities, agreements, relations; import.
    # coordinator: team writes, team relations (checked in the endpoint), handover.
    "api.session": None,
    "api.openapi": None,
    "api.activities.list": None,
    "api.activities.show": None,
    "api.organisations.list": None,
    "api.organisations.show": None,
    "api.teams.list": None,
    "api.teams.show": None,
    "api.areas.list": None,
    "api.areas.show": None,
    "api.people.list": "lezer",
    "api.people.show": "lezer",
    "api.agreements.list": "lezer",
    "api.agreements.show": "lezer",
    "api.areas.analysis": "lezer",
    "api.coverage": "lezer",
    **{f"api.{collection}.{action}": "redacteur"
       for collection in ("organisations", "people", "activities", "agreements")
       for action in ("create", "update", "end")},
    **{f"api.teams.{action}": "coordinator" for action in ("create", "update", "end")},
    "api.relations.create": "redacteur",
    "api.relations.end": "redacteur",
    "api.import": "redacteur",
    "api.handover": "coordinator",
    "api.hsds.services.list": None,
    "api.hsds.services.show": None,
    "api.hsds.organizations.list": None,
    "api.hsds.organizations.show": None,
}


def route_for(routes: list[BaseRoute], scope: Scope) -> BaseRoute | None:
    """The innermost route that will handle the request (full match, else partial)."""
    partial: tuple[BaseRoute, Scope] | None = None
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.FULL:
            return _inner(route, {**scope, **child})
        if match is Match.PARTIAL and partial is None:
            partial = (route, {**scope, **child})
    return _inner(*partial) if partial else None


def _inner(route: BaseRoute, scope: Scope) -> BaseRoute | None:
    if isinstance(route, Mount) and route.routes:
        return route_for(route.routes, scope)
    return route


class AccessMiddleware:
    """Applies ``RULES`` to every HTTP request; sets ``request.state.user``."""

    def __init__(self, app: ASGIApp, routes: list[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        route = route_for(self.routes, scope)
        name = str(getattr(route, "name", "") or "")
        if isinstance(route, Mount) and name in RULES and RULES[name] is None:
            await self.app(scope, receive, send)  # static files: no need to know the user
            return
        user = await run_in_threadpool(current_user, request)
        if route is None:  # the router answers 404
            await self.app(scope, receive, send)
            return
        if name not in RULES:
            await error_response(request, 403, "voor deze pagina is geen toegangsregel")(
                scope, receive, send)
            return
        needed = RULES[name]
        if allows(user, needed):
            await self.app(scope, receive, send)
            return
        if user is not None:
            await error_response(request, 403)(scope, receive, send)
        elif _is_api(scope) or scope["method"] != "GET":
            await error_response(request, 401)(scope, receive, send)
        else:
            target = scope["path"] + ("?" + scope["query_string"].decode("latin-1")
                                      if scope.get("query_string") else "")
            await RedirectResponse(f"{LOGIN_PATH}?volgende={quote(target, safe='')}",
                                   status_code=303)(scope, receive, send)


def _is_api(scope: Scope) -> bool:
    path: str = scope["path"]
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")
