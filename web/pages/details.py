"""Detail pages of an organisation and an activity. People's phone and e-mail appear only
for logged-in users."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.errors import NotFound
from directory.facets import schedule_days
from directory.model import ACTIVITY, AREA, ORGANISATION, PERSON, Node
from directory.people import contact_card
from directory.service import Directory
from directory.store import Direction
from web.pages.base import render, user_of
from web.pages.timeline import timeline

__all__ = ["routes"]


def _node(directory: Directory, node_id: str, kind: str) -> Node:
    node = directory.store.get_node(node_id)
    if node.kind != kind:
        raise NotFound(f"niet gevonden: {node_id}")
    return node


def _ends(directory: Directory, node_id: str, types: list[str], direction: Direction,
          kind: str) -> list[tuple[Node, dict[str, Any]]]:
    """Current neighbours of one kind over some relation types, with the relation's props."""
    edges = directory.store.edges(node_id, types=types, direction=direction, current=True)
    others = directory.store.get_nodes(e.dst if e.src == node_id else e.src for e in edges)
    found = []
    for e in edges:
        other = others.get(e.dst if e.src == node_id else e.src)
        if other is not None and other.kind == kind:
            found.append((other, e.props))
    return sorted(found, key=lambda pair: pair[0].name.lower())


def organisation_view(directory: Directory, org_id: str, details: bool) -> dict[str, Any]:
    org = _node(directory, org_id, ORGANISATION)
    contacts = [contact_card(directory, person, details) | {"job_title": props.get(
                    "job_title") or person.props.get("job_title")}
                for person, props in _ends(directory, org.id, ["WORKS_AT"], "in", PERSON)]
    liaisons = [p for p, _ in _ends(directory, org.id, ["LIAISON_FOR"], "in", PERSON)]
    return {
        "org": org, "contacts": contacts, "liaisons": liaisons,
        "activities": [a for a, _ in _ends(directory, org.id, ["OFFERED_BY"], "in", ACTIVITY)],
        "areas": [a for a, _ in _ends(directory, org.id, ["ACTIVE_IN"], "out", AREA)],
        "parents": [o for o, _ in _ends(directory, org.id, ["PART_OF"], "out", ORGANISATION)],
        "timeline": timeline(directory, org.id),
    }


def activity_view(directory: Directory, activity_id: str, details: bool) -> dict[str, Any]:
    activity = _node(directory, activity_id, ACTIVITY)
    contacts = [contact_card(directory, person, details)
                for person, _ in _ends(directory, activity.id, ["CONTACT"], "out", PERSON)]
    return {
        "activity": activity, "days": schedule_days(activity.props.get("schedule")),
        "contacts": contacts,
        "organisations": [o for o, _ in _ends(directory, activity.id, ["OFFERED_BY"], "out",
                                              ORGANISATION)],
        "areas": [a for a, _ in _ends(directory, activity.id, ["IN_AREA"], "out", AREA)],
    }


async def organisation(request: Request) -> Response:
    directory: Directory = request.app.state.directory
    view = await run_in_threadpool(organisation_view, directory, request.path_params["id"],
                                   user_of(request) is not None)
    return render(request, "organisatie.html", view)


async def activity(request: Request) -> Response:
    directory: Directory = request.app.state.directory
    view = await run_in_threadpool(activity_view, directory, request.path_params["id"],
                                   user_of(request) is not None)
    return render(request, "activiteit.html", view)


def routes() -> list[Route]:
    return [
        Route("/organisaties/{id}", organisation, name="organisation"),
        Route("/activiteiten/{id}", activity, name="activity"),
    ]
