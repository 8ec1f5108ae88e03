"""The JSON API under ``/api`` (DESIGN §3): one module per group of resources.

Every route has a ``name`` with a rule in ``web.access.RULES``; errors come out in the
shape of ``web.errors``; the OpenAPI document (``web.openapi``) lists exactly these routes.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

__all__ = ["api_routes"]


def api_routes() -> list[BaseRoute]:
    """Every API route, relative to the ``/api`` mount."""
    from web.api import actions, hsds, reads, relations, reports, session, writes
    from web.openapi import routes as openapi_routes

    return [*session.routes(), *reads.routes(), *writes.routes(), *reports.routes(),
            *actions.routes(), *relations.routes(), *hsds.routes(),
            *openapi_routes()]
