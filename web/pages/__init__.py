"""Server-rendered pages, one module per page group; ``page_routes`` lists them all."""

from __future__ import annotations

from starlette.routing import BaseRoute

__all__ = ["page_routes"]


def page_routes() -> list[BaseRoute]:
    from web.pages import details, home, login, overdracht, person, search, wijk, wijk_forms

    return [*home.routes(), *search.routes(), *login.routes(), *details.routes(),
            *wijk.routes(), *wijk_forms.routes(), *overdracht.routes(), *person.routes(),
            *_coverage_routes(),
            *_beheer_routes()]


def _coverage_routes() -> list[BaseRoute]:
    from web.pages import dekking, netwerk

    return [*dekking.routes(), *netwerk.routes()]


def _beheer_routes() -> list[BaseRoute]:
    from web.pages import beheer

    return beheer.routes()
