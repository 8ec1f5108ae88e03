"""Zoeken: the worker's search page (works without JavaScript; ``zoeken.js`` only swaps the
results in place). Nothing of the query is stored or logged."""

from __future__ import annotations

import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.errors import Conflict, NotFound, ValidationError
from directory.model import AREA
from directory.search import search
from directory.service import Directory
from web.pages import handout
from web.pages.base import render, user_of
from web.pages.search_form import FIELD_OF, PAGE_SIZE, SearchForm
from web.security import CSP
from web.tiles import csp_with_tiles, tiles_from_env

__all__ = ["routes", "area_options", "cached_area_options"]

AREA_OPTIONS_SECONDS = 300.0


def area_options(directory: Directory) -> list[dict[str, str]]:
    """Gemeenten that have activities, and their wijken: suggestions for the area field."""
    store = directory.store
    codes = {v["gemeente"] for v in store.node_values("Activity", ["gemeente"]).values()
             if v.get("gemeente")}
    wijken = {e.src for e in store.edges_between(["WITHIN"], codes, "in") if e.current}
    nodes = store.get_nodes(codes | wijken)
    options = [{"code": n.id, "name": n.name, "level": str(n.props.get("level", ""))}
               for n in nodes.values() if n.kind == AREA]
    return sorted(options, key=lambda o: (o["level"] != "gemeente", o["name"].lower()))


async def cached_area_options(request: Request) -> list[dict[str, str]]:
    """``area_options``, worked out at most once every few minutes."""
    state = request.app.state
    cached: tuple[float, list[dict[str, str]]] | None = getattr(state, "area_options", None)
    now = time.monotonic()
    if cached is not None and now - cached[0] < AREA_OPTIONS_SECONDS:
        return cached[1]
    options = await run_in_threadpool(area_options, state.directory)
    state.area_options = (now, options)
    return options


def _results(directory: Directory, form: SearchForm, logged_in: bool) -> dict[str, Any]:
    """The page's results, or the errors to show next to the fields."""
    try:
        found = search(directory, form.query(), show_contact_details=logged_in)
    except ValidationError as exc:
        errors = {FIELD_OF.get(d.field, d.field): d.message for d in exc.details}
        return {"items": [], "total": 0, "errors": errors or {"q": str(exc)}}
    except (NotFound, Conflict) as exc:
        return {"items": [], "total": 0, "errors": {"gebied": str(exc)}}
    _add_points(directory, found["items"])
    return {**found, "errors": {}}


def _add_points(directory: Directory, items: list[dict[str, Any]]) -> None:
    """Each result's ``lat``/``lon`` (None when unknown), for the results map."""
    nodes = directory.store.get_nodes([item["id"] for item in items])
    for item in items:
        props = nodes[item["id"]].props if item["id"] in nodes else {}
        lat, lon = props.get("lat"), props.get("lon")
        if isinstance(lat, int | float) and isinstance(lon, int | float):
            item["lat"], item["lon"] = float(lat), float(lon)
        else:
            item["lat"], item["lon"] = None, None


async def search_page(request: Request) -> Response:
    directory: Directory = request.app.state.directory
    form = SearchForm.from_params(request.query_params)
    logged_in = user_of(request) is not None
    found = await run_in_threadpool(_results, directory, form, logged_in)
    options = await cached_area_options(request)
    pages = max(1, -(-found["total"] // PAGE_SIZE))
    tiles = tiles_from_env()
    context = {"form": form, "found": found, "errors": found["errors"], "areas": options,
               "pages": pages, "logged_in": logged_in, "tiles": tiles}
    response = render(request, "zoeken.html", context, status=422 if found["errors"] else 200)
    if tiles is not None:  # the browser may then fetch map tiles from that server
        response.headers["content-security-policy"] = csp_with_tiles(CSP, tiles)
    return response


def routes() -> list[Route]:
    return [Route("/zoeken", search_page, name="search"), *handout.routes()]
