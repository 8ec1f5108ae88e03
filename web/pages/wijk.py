"""De wijkpagina: the wijkanalyse of a gemeente, wijk or buurt, with the gaps highlighted."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.analysis import analyse
from directory.errors import NotFound
from directory.model import AREA
from directory.service import Directory
from directory.validation import normalise_area_code
from web.pages.base import render
from web.pages.wijk_team import wijk_extras

__all__ = ["routes"]


def wijk_view(directory: Directory, code: str, new: str | None = None) -> dict[str, Any]:
    try:
        code = normalise_area_code(code)
    except ValueError as exc:
        raise NotFound(f"onbekende gebiedscode: {code}") from exc
    area = directory.store.get_node(code)
    if area.kind != AREA:
        raise NotFound(f"niet gevonden: {code}")
    analysis = analyse(directory, code)
    inner = [e.src for e in directory.store.edges_between(["WITHIN"], [code], "in")
             if e.current]
    parts = sorted((n for n in directory.store.get_nodes(inner).values() if n.kind == AREA),
                   key=lambda n: n.name.lower())
    outer = [e.dst for e in directory.store.edges_between(["WITHIN"], [code], "out")
             if e.current]
    parents = list(directory.store.get_nodes(outer).values())
    return {"analysis": analysis, "parts": parts, "parents": parents,
            "gap_domains": {g["key"] for g in analysis["gaps"]
                            if g["kind"] == "leefgebied_zonder_aanbod"},
            **wijk_extras(directory, analysis, new)}


async def wijk(request: Request) -> Response:
    directory: Directory = request.app.state.directory
    view = await run_in_threadpool(wijk_view, directory, request.path_params["code"],
                                   request.query_params.get("nieuw"))
    return render(request, "wijk.html", view)


def routes() -> list[Route]:
    return [Route("/wijk/{code}", wijk, name="area")]
