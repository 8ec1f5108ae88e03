"""Open Referral HSDS 3.0 read endpoints: activities as ``service``, organisations as
``organization``, mapped by ``importers.hsds_export`` (the same objects as the HSDS export).

Lists are paged as in the HSDS API: ``page`` (from 1) and ``per_page`` (1–200, default 50),
answered as ``{"total_items", "total_pages", "page_number", "size", "first_page",
"last_page", "empty", "contents"}``; ``search`` filters by text, services also by
``organization_id``. Objects are always full (``full`` is accepted and changes nothing).
An id is the HSDS id (a UUID, or the id a record was imported with) or the Wijkkaart id.
Contact persons are included only for logged-in callers.
"""

from __future__ import annotations

import math
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from directory.errors import NotFound, ValidationError
from directory.model import ACTIVITY, KIND_LABELS, ORGANISATION, Node
from directory.search import SearchQuery, search
from directory.service import Directory
from directory.text import fold
from importers.hsds_export import find_by_hsds_id, hsds_organization, hsds_service
from importers.registry import ExportScope
from web.api.common import Query, base_directory, guard, run

__all__ = ["routes", "PER_PAGE", "MAX_PER_PAGE"]

PER_PAGE = 50
MAX_PER_PAGE = 200
SERVICE_PARAMETERS = ("page", "per_page", "search", "organization_id", "full")
ORGANIZATION_PARAMETERS = ("page", "per_page", "search", "full")


def _paging(q: Query) -> tuple[int, int]:
    q.flag("full")
    return q.integer("page", 1, 1, 10**6), q.integer("per_page", PER_PAGE, 1, MAX_PER_PAGE)


def hsds_page(contents: list[dict[str, Any]], total: int, page: int, per_page: int
              ) -> dict[str, Any]:
    pages = math.ceil(total / per_page)
    return {"total_items": total, "total_pages": pages, "page_number": page,
            "size": len(contents), "first_page": page == 1, "last_page": page >= pages,
            "empty": not contents, "contents": contents}


def _node(directory: Directory, kind: str, ref: str) -> Node:
    try:
        node: Node | None = directory.store.get_node(ref)
    except NotFound:
        node = None
    if node is None or node.kind != kind:
        node = find_by_hsds_id(directory, kind, ref)
    if node is None:
        raise NotFound(f"geen {KIND_LABELS[kind]} met id '{ref}'")
    return node


def _services(directory: Directory, page: int, per_page: int, text: str | None,
              organisation: str | None, contacts: bool) -> dict[str, Any]:
    from importers.hsds_export import selected_activities

    start = (page - 1) * per_page
    if organisation is not None:
        try:
            organisation = _node(directory, ORGANISATION, organisation).id
        except NotFound as exc:
            raise ValidationError.field("organization_id", str(exc)) from exc
    if text:
        found = search(directory, SearchQuery(text=text, limit=0))["items"]
        ids = [item["id"] for item in found]
        if organisation is not None:
            offered = {n.id for n in selected_activities(
                directory, ExportScope(organisation=organisation))}
            ids = [i for i in ids if i in offered]
        by_id = directory.store.get_nodes(ids[start:start + per_page])
        total, nodes = len(ids), [by_id[i] for i in ids[start:start + per_page] if i in by_id]
    else:
        every = selected_activities(directory, ExportScope(organisation=organisation))
        total, nodes = len(every), every[start:start + per_page]
    return hsds_page([hsds_service(directory, n, contacts) for n in nodes], total, page,
                     per_page)


def _organizations(directory: Directory, page: int, per_page: int, text: str | None,
                   contacts: bool) -> dict[str, Any]:
    start = (page - 1) * per_page
    if text:
        wanted = fold(text)
        every = [n for n in directory.store.find_nodes(ORGANISATION) if wanted in fold(n.name)]
        total, nodes = len(every), every[start:start + per_page]
    else:
        total = directory.store.count_nodes(ORGANISATION)
        nodes = directory.store.find_nodes(ORGANISATION, limit=per_page, offset=start)
    return hsds_page([hsds_organization(directory, n, contacts) for n in nodes], total, page,
                     per_page)


async def list_services(request: Request) -> Response:
    account = await guard(request)
    q = Query(request, SERVICE_PARAMETERS)
    page, per_page = _paging(q)
    return JSONResponse(await run(_services, base_directory(request), page, per_page,
                                  q.text("search"), q.text("organization_id"),
                                  account is not None))


async def list_organizations(request: Request) -> Response:
    account = await guard(request)
    q = Query(request, ORGANIZATION_PARAMETERS)
    page, per_page = _paging(q)
    return JSONResponse(await run(_organizations, base_directory(request), page, per_page,
                                  q.text("search"), account is not None))


async def show_service(request: Request) -> Response:
    account = await guard(request)
    Query(request, ("full",)).flag("full")
    directory = base_directory(request)
    node = await run(_node, directory, ACTIVITY, request.path_params["id"])
    return JSONResponse(await run(hsds_service, directory, node, account is not None))


async def show_organization(request: Request) -> Response:
    account = await guard(request)
    Query(request, ("full", "full_service")).flag("full")
    directory = base_directory(request)
    node = await run(_node, directory, ORGANISATION, request.path_params["id"])
    return JSONResponse(await run(hsds_organization, directory, node, account is not None))


def routes() -> list[BaseRoute]:
    return [
        Route("/hsds/services", list_services, methods=["GET"], name="api.hsds.services.list"),
        Route("/hsds/services/{id}", show_service, methods=["GET"],
              name="api.hsds.services.show"),
        Route("/hsds/organizations", list_organizations, methods=["GET"],
              name="api.hsds.organizations.list"),
        Route("/hsds/organizations/{id}", show_organization, methods=["GET"],
              name="api.hsds.organizations.show"),
    ]
