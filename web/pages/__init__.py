"""Server-rendered pages, one module per page group; ``page_routes`` lists them all."""

from __future__ import annotations

from starlette.routing import BaseRoute

__all__ = ["page_routes"]


def page_routes() -> list[BaseRoute]:
    from web.pages import details, home, login, search, wijk

    return [*home.routes(), *search.routes(), *login.routes(), *details.routes(),
            *wijk.routes()]
