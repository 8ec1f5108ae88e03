"""Read endpoints of the collections: activity search, lists and single nodes.

Shapes are those of the CLI's ``search --json``, ``list --json`` and ``show --json``
(the same core functions), plus ``limit`` and ``offset`` on every list. People's
phone and e-mail are left out for anonymous callers, in search contacts too.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from directory.errors import NotFound, ValidationError
from directory.listing import list_nodes, show_node
from directory.model import AREA, COLLECTIONS, KIND_LABELS, TEAM, Node
from directory.search import SearchQuery, search
from directory.service import Directory
from web.api.common import Query, base_directory, guard, page, run

__all__ = ["routes", "SEARCH_PARAMETERS", "LIST_PARAMETERS", "READ_COLLECTIONS"]

SEARCH_PARAMETERS = ("q", "area", "domain", "day", "free", "no_referral", "target", "near",
                     "km", "limit", "offset")
LIST_PARAMETERS = ("area", "team", "limit", "offset")
# Collections with a plain list endpoint; activities are listed through search.
READ_COLLECTIONS = ("organisations", "people", "teams", "areas", "agreements")


async def search_activities(request: Request) -> Response:
    """``GET /api/activities``: the search of ``wijkkaart search``."""
    account = await guard(request)
    q = Query(request, SEARCH_PARAMETERS)
    limit, offset = q.paging()
    query = SearchQuery(text=q.text("q") or "", area=q.text("area"), domains=q.texts("domain"),
                        days=q.texts("day"), free=q.flag("free"),
                        no_referral=q.flag("no_referral"), targets=q.texts("target"),
                        near=q.text("near"), km=q.number("km", 5.0), limit=limit,
                        offset=offset)
    await run(check_refs, base_directory(request), area=query.area)
    found = await run(search, base_directory(request), query,
                      show_contact_details=account is not None)
    return page(found["items"], found["total"], limit, offset)


def check_refs(directory: Directory, *, area: str | None = None, team: str | None = None
               ) -> None:
    """An unknown area or team in a parameter is bad input (422), not a missing resource."""
    for name, ref, kind in (("area", area, AREA), ("team", team, TEAM)):
        if ref is None:
            continue
        try:
            directory.resolve(ref, kind)
        except NotFound as exc:
            raise ValidationError.field(name, str(exc)) from exc


def list_endpoint(collection: str) -> Route:
    """``GET /api/{collection}``: the listing of ``wijkkaart list``, paged."""
    async def endpoint(request: Request) -> Response:
        account = await guard(request)
        q = Query(request, LIST_PARAMETERS)
        limit, offset = q.paging()
        area, team = q.text("area"), q.text("team")
        await run(check_refs, base_directory(request), area=area, team=team)
        found = await run(list_nodes, base_directory(request), collection, area=area,
                          team=team, limit=limit, offset=offset,
                          show_private=account is not None)
        return page(found["items"], found["total"], limit, offset)

    return Route(f"/{collection}", endpoint, methods=["GET"], name=f"api.{collection}.list")


def show_endpoint(collection: str) -> Route:
    """``GET /api/{collection}/{id}``: one node as ``wijkkaart show``."""
    kind = COLLECTIONS[collection]

    async def endpoint(request: Request) -> Response:
        account = await guard(request)
        Query(request, ())
        ref = request.path_params["id"]
        found = await run(_show, base_directory(request), ref, kind, account is not None)
        return JSONResponse(found)

    return Route(f"/{collection}/{{id}}", endpoint, methods=["GET"],
                 name=f"api.{collection}.show")


def _show(directory: Directory, ref: str, kind: str, show_private: bool) -> dict[str, object]:
    node: Node | None
    try:
        node = directory.store.get_node(ref)
    except NotFound:
        node = directory.resolve(ref, kind) if kind == AREA else None
    if node is None or node.kind != kind:
        raise NotFound(f"geen {KIND_LABELS[kind]} met id '{ref}'")
    return show_node(directory, node.id, show_private)


def routes() -> list[BaseRoute]:
    found: list[BaseRoute] = [
        Route("/activities", search_activities, methods=["GET"], name="api.activities.list"),
        show_endpoint("activities")]
    for collection in READ_COLLECTIONS:
        found += [list_endpoint(collection), show_endpoint(collection)]
    return found
