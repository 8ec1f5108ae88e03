"""Netwerk: the interactive network picture of an area or team. The page carries a text
version (who holds which partner relation) and a container that ``netwerk.js`` fills from
``/netwerk/data`` with the vendored vis-network; ``/netwerk/bestand`` downloads the same
picture as one HTML file that works offline."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from directory.model import TEAM, Node
from directory.service import Directory
from graph.picture import Picture, build_picture, kinds_of
from graph.picture_html import picture_html, vis_data
from web.pages.base import render
from web.pages.dekking import CoverageForm
from web.pages.search import cached_area_options

__all__ = ["routes", "network_text"]

PARTNER_GROUPS = ("partner_geen", "partner_een", "partner")


def _picture(directory: Directory, form: CoverageForm) -> Picture:
    return build_picture(directory, area=form.area or None, team=form.team or None)


def network_text(picture: Picture) -> dict[str, Any]:
    """The picture as lists: each team with its members, each partner with the people
    who hold its relation (riskiest partners first)."""
    names = {n["id"]: n["name"] for n in picture.nodes}
    members: dict[str, list[str]] = defaultdict(list)
    holders: dict[str, list[str]] = defaultdict(list)
    for edge in picture.edges:
        if edge["type"] == "MEMBER_OF":
            members[edge["dst"]].append(names[edge["src"]])
        elif edge["type"] == "LIAISON_FOR":
            holders[edge["dst"]].append(names[edge["src"]])
    teams = [{"id": n["id"], "name": n["name"], "members": sorted(members[n["id"]])}
             for n in picture.nodes if n["group"] == "team"]
    rank = {g: i for i, g in enumerate(PARTNER_GROUPS)}
    partners = sorted(({"id": n["id"], "name": n["name"], "group": n["group"],
                        "holders": sorted(holders[n["id"]])}
                       for n in picture.nodes if n["group"] in rank),
                      key=lambda p: (rank[p["group"]], p["name"].lower()))
    return {"network_teams": teams, "partners": partners, "counts": kinds_of(picture.nodes)}


def _teams(directory: Directory) -> list[Node]:
    return sorted(directory.store.find_nodes(TEAM), key=lambda n: n.name.lower())


async def network_page(request: Request) -> Response:
    directory: Directory = request.app.state.directory
    form = CoverageForm.from_query(request.query_params)
    picture = await run_in_threadpool(_picture, directory, form)
    data = vis_data(picture)
    return render(request, "netwerk.html", {
        "form": form, "picture": picture, "legend": data["legend"],
        "teams": await run_in_threadpool(_teams, directory),
        "areas": await cached_area_options(request),
        "query": form.query(pagina="", soort=""), **network_text(picture)})


async def network_data(request: Request) -> Response:
    directory: Directory = request.app.state.directory
    form = CoverageForm.from_query(request.query_params)
    picture = await run_in_threadpool(_picture, directory, form)
    return JSONResponse(vis_data(picture))


async def network_file(request: Request) -> Response:
    directory: Directory = request.app.state.directory
    form = CoverageForm.from_query(request.query_params)
    picture = await run_in_threadpool(_picture, directory, form)
    html = await run_in_threadpool(picture_html, picture)
    slug = re.sub(r"[^a-z0-9]+", "-", picture.title.lower()).strip("-") or "netwerk"
    return Response(html, media_type="text/html; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{slug}.html"'})


def routes() -> list[Route]:
    return [Route("/netwerk", network_page, name="network"),
            Route("/netwerk/data", network_data, name="network.data"),
            Route("/netwerk/bestand", network_file, name="network.file")]
