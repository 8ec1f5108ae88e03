"""``GET /api/session``: who is logged in, and the CSRF token API clients send as
``X-CSRF-Token`` with every unsafe request of a cookie session."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from web.api.common import Query, guard
from web.auth import csrf_token

__all__ = ["routes"]


async def session(request: Request) -> Response:
    account = await guard(request)
    Query(request, ())
    if account is None:
        return JSONResponse({"user": None, "csrf_token": None})
    return JSONResponse({"user": {"name": account.name, "role": account.role},
                         "csrf_token": csrf_token(request)})


def routes() -> list[BaseRoute]:
    return [Route("/session", session, methods=["GET"], name="api.session")]
