"""Write endpoints of the collections: create, change (with optimistic locking) and end.

* ``POST /api/{collection}`` — body: the node's properties → 201 with the node;
* ``PUT /api/{collection}/{id}`` replaces all properties, ``PATCH`` changes the ones given
  (``null`` removes one); both need the ``version`` the caller read → a stale one is 409;
* ``DELETE /api/{collection}/{id}?version=N`` ends the node (see ``web.api.ending``).

A body may be what ``GET`` returned: ``id``, ``kind``, ``version`` and the other
bookkeeping fields are not properties and are left out; an agreement's own kind is
``agreement_kind``. Areas are CBS data and have no write endpoints.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from directory.errors import NotFound, ValidationError
from directory.listing import node_summary
from directory.model import AGREEMENT, COLLECTIONS, KIND_LABELS, NAME_PROPERTY, Node
from directory.service import Directory
from web.api.common import Query, acting_directory, guard, json_body, known, run
from web.api.ending import check_version, end_node

__all__ = ["routes", "WRITE_COLLECTIONS", "BOOKKEEPING"]

WRITE_COLLECTIONS = ("organisations", "people", "activities", "teams", "agreements")
BOOKKEEPING = ("id", "kind", "version", "created_at", "updated_at", "source", "source_id",
               "relations", "gemeente")


def properties(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """The node properties in a request body (bookkeeping fields left out)."""
    skip = set(BOOKKEEPING)
    if NAME_PROPERTY.get(kind, "name") != "name":
        skip.add("name")  # an activity's name is its title, shown twice by GET
    props = {k: v for k, v in body.items() if k not in skip}
    if kind == AGREEMENT and "agreement_kind" in props:
        props["kind"] = props.pop("agreement_kind")
    return props


def version_of(body: dict[str, Any]) -> int:
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError.field("version", "is verplicht: de versie die je las "
                                               "(een geheel getal)")
    return version


def _node(directory: Directory, node_id: str, kind: str) -> Node:
    try:
        node = directory.get(node_id)
    except NotFound:
        node = None
    if node is None or node.kind != kind:
        raise NotFound(f"geen {KIND_LABELS[kind]} met id '{node_id}'")
    return node


def create_endpoint(collection: str) -> Route:
    kind = COLLECTIONS[collection]

    async def endpoint(request: Request) -> Response:
        account = known(await guard(request))
        Query(request, ())
        body = await json_body(request)
        node = await run(acting_directory(request, account).create, kind,
                         properties(kind, body))
        return JSONResponse(node_summary(node), status_code=201,
                            headers={"Location": f"/api/{collection}/{node.id}"})

    return Route(f"/{collection}", endpoint, methods=["POST"], name=f"api.{collection}.create")


def update_endpoint(collection: str) -> Route:
    kind = COLLECTIONS[collection]

    async def endpoint(request: Request) -> Response:
        account = known(await guard(request))
        Query(request, ())
        body = await json_body(request)
        version = version_of(body)
        directory = acting_directory(request, account)
        node = await run(_update, directory, request.path_params["id"], kind,
                         properties(kind, body), version, request.method == "PUT")
        return JSONResponse(node_summary(node))

    return Route(f"/{collection}/{{id}}", endpoint, methods=["PUT", "PATCH"],
                 name=f"api.{collection}.update")


def _update(directory: Directory, node_id: str, kind: str, props: dict[str, Any],
            version: int, replace: bool) -> Node:
    node = _node(directory, node_id, kind)
    check_version(node, version)
    changes = dict(props)
    if replace:
        changes.update({k: None for k in node.props if k not in props})
    return directory.update(node.id, changes, version=version)


def end_endpoint(collection: str) -> Route:
    kind = COLLECTIONS[collection]

    async def endpoint(request: Request) -> Response:
        account = known(await guard(request))
        q = Query(request, ("version",))
        if q.text("version") is None:
            raise ValidationError.field("version", "is verplicht: de versie die je las")
        version = q.integer("version", 0, 0, 10**9)
        directory = acting_directory(request, account)
        node = await run(_node, directory, request.path_params["id"], kind)
        return JSONResponse(await run(end_node, directory, node, version))

    return Route(f"/{collection}/{{id}}", endpoint, methods=["DELETE"],
                 name=f"api.{collection}.end")


def routes() -> list[BaseRoute]:
    found: list[BaseRoute] = []
    for collection in WRITE_COLLECTIONS:
        found += [create_endpoint(collection), update_endpoint(collection),
                  end_endpoint(collection)]
    return found
