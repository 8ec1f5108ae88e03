"""Relation endpoints: start a relation between two nodes, or end one (it stays as history).

* ``POST /api/relations`` — ``{"type", "src", "dst", "props", "since"}`` → 201 with the
  relation; the type must fit the kinds of both ends (DESIGN §1);
* ``DELETE /api/relations/{id}`` (optional ``until``, default today) ends it.

Relations of a team (``MEMBER_OF``, ``SERVES``, ``AGREED``) need the coordinator role;
the others the redacteur role.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from directory.errors import NotFound, ValidationError
from directory.model import Edge
from directory.service import Directory
from web.api.common import Query, acting_directory, guard, json_body, known, run

__all__ = ["routes", "TEAM_RELATIONS", "relation_json"]

TEAM_RELATIONS = ("MEMBER_OF", "SERVES", "AGREED")


def relation_json(edge: Edge) -> dict[str, Any]:
    return {"id": edge.id, "type": edge.type, "src": edge.src, "dst": edge.dst,
            "props": edge.props, "since": edge.since, "until": edge.until,
            "current": edge.current}


async def create_relation(request: Request) -> Response:
    account = known(await guard(request))
    Query(request, ())
    body = await json_body(request)
    fields = {}
    for name in ("type", "src", "dst"):
        value = body.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ValidationError.field(name, "is verplicht")
        fields[name] = value.strip()
    props, since = body.get("props") or {}, body.get("since")
    if not isinstance(props, dict):
        raise ValidationError.field("props", "moet een JSON-object zijn")
    if since is not None and not isinstance(since, str):
        raise ValidationError.field("since", "moet een datum zijn (JJJJ-MM-DD)")
    if fields["type"] in TEAM_RELATIONS:
        await guard(request, "coordinator")
    directory = acting_directory(request, account)
    edge = await run(directory.relate, fields["type"], fields["src"], fields["dst"], props,
                     since)
    return JSONResponse(relation_json(edge), status_code=201)


async def end_relation(request: Request) -> Response:
    account = known(await guard(request))
    q = Query(request, ("until",))
    raw = request.path_params["id"]
    if not raw.isdigit():
        raise NotFound(f"geen relatie met id '{raw}'")
    directory = acting_directory(request, account)
    edge = await run(_get_edge, directory, int(raw))
    if edge.type in TEAM_RELATIONS:
        await guard(request, "coordinator")
    ended = await run(directory.end_relation, int(raw), q.text("until"))
    return JSONResponse(relation_json(ended))


def _get_edge(directory: Directory, edge_id: int) -> Edge:
    try:
        return directory.store.get_edge(edge_id)
    except NotFound:
        raise NotFound(f"geen relatie met id {edge_id}") from None


def routes() -> list[BaseRoute]:
    return [Route("/relations", create_relation, methods=["POST"], name="api.relations.create"),
            Route("/relations/{id}", end_relation, methods=["DELETE"], name="api.relations.end")]
