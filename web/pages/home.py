"""The home page: a quick search and the way to each journey."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web.pages.base import render, user_of
from web.pages.search import cached_area_options

__all__ = ["routes"]


async def home(request: Request) -> Response:
    gemeenten: list[dict[str, str]] = []
    if user_of(request) is not None:
        options = await cached_area_options(request)
        gemeenten = [o for o in options if o["level"] == "gemeente"]
    return render(request, "home.html", {"gemeenten": gemeenten})


def routes() -> list[Route]:
    return [Route("/", home, name="home")]
