"""De meegeefkaart: a clean, printable page of the chosen activities for a resident.

Only the activities and their organisations' public contact data; never anything about the
resident, and the choice is not stored.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.facets import schedule_days
from directory.model import ACTIVITY, ORGANISATION
from directory.service import Directory
from web.pages.base import render

__all__ = ["routes", "handout_items", "MAX_ITEMS"]

MAX_ITEMS = 20


def handout_items(directory: Directory, ids: list[str]) -> list[dict[str, Any]]:
    """The chosen activities in the order chosen, each with its organisation."""
    wanted = list(dict.fromkeys(i for i in ids if i))[:MAX_ITEMS]
    store = directory.store
    nodes = {k: n for k, n in store.get_nodes(wanted).items() if n.kind == ACTIVITY}
    offered = [e for e in store.edges_between(["OFFERED_BY"], list(nodes), "out") if e.current]
    orgs = {k: n for k, n in store.get_nodes({e.dst for e in offered}).items()
            if n.kind == ORGANISATION}
    org_of = {e.src: orgs[e.dst] for e in offered if e.dst in orgs}
    items = []
    for node_id in wanted:
        node = nodes.get(node_id)
        if node is None:
            continue
        org = org_of.get(node_id)
        p = node.props
        items.append({
            "id": node.id, "title": node.name, "description": p.get("description", ""),
            "days": schedule_days(p.get("schedule")), "start": p.get("start_time"),
            "end": p.get("end_time"), "address": p.get("address"),
            "postcode": p.get("postcode"), "city": p.get("city"), "cost": p.get("cost"),
            "referral_needed": bool(p.get("referral_needed")), "url": p.get("url"),
            "organisation": None if org is None else {
                "name": org.name, "phone": org.props.get("phone"),
                "website": org.props.get("website"), "email": org.props.get("email")},
        })
    return items


async def handout(request: Request) -> Response:
    directory: Directory = request.app.state.directory
    ids = request.query_params.getlist("id")
    items = await run_in_threadpool(handout_items, directory, ids)
    return render(request, "meegeefkaart.html", {"items": items, "asked": bool(ids)})


def routes() -> list[Route]:
    return [Route("/meegeefkaart", handout, name="handout")]
