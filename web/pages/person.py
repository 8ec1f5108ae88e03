"""The person page (logged-in users only): who someone is, how to reach them, their teams
and organisations, and the timeline of their relations."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.errors import NotFound
from directory.model import PERSON
from directory.people import known_by
from directory.service import Directory
from directory.validation import display_phone
from web.pages.base import render, user_of
from web.pages.timeline import timeline

__all__ = ["routes", "person_view"]


def person_view(directory: Directory, person_id: str, details: bool) -> dict[str, Any]:
    """The person, with phone and e-mail only when ``details``, and their timeline."""
    person = directory.store.get_node(person_id)
    if person.kind != PERSON:
        raise NotFound(f"niet gevonden: {person_id}")
    p = person.props
    entries = timeline(directory, person.id)
    return {
        "person": person, "job_title": p.get("job_title"),
        "phone": display_phone(p["phone"]) if details and p.get("phone") else None,
        "email": p.get("email") if details else None,
        "current": [e for e in entries if e["current"] and e["type"] in (
            "MEMBER_OF", "WORKS_AT", "EMPLOYED_BY")],
        "known_by": known_by(directory, person.id),
        "timeline": entries,
    }


async def person_page(request: Request) -> Response:
    directory: Directory = request.app.state.directory
    view = await run_in_threadpool(person_view, directory, request.path_params["id"],
                                   user_of(request) is not None)
    return render(request, "persoon.html", view)


def routes() -> list[Route]:
    return [Route("/personen/{id}", person_page, name="person")]
