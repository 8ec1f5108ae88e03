"""Report endpoints: the wijkanalyse of one area and the coverage matrix with its risks.

Shapes are those of ``wijkkaart analyse --json`` and ``coverage --json``. Coverage of the
whole country has thousands of rows and tens of thousands of risks, so both lists are
paged: ``limit``/``offset`` page the area rows, ``risk_limit``/``risk_offset`` the risks
(each default 200, at most 1000); ``total_areas`` and ``total_risks`` count them all.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from directory.analysis import analyse
from directory.coverage import coverage
from directory.errors import NotFound
from directory.model import AREA
from directory.service import Directory
from web.api.common import Query, base_directory, guard, run
from web.api.reads import check_refs

__all__ = ["routes", "COVERAGE_PARAMETERS", "COVERAGE_LIMIT", "COVERAGE_MAX"]

COVERAGE_PARAMETERS = ("area", "limit", "offset", "risk_limit", "risk_offset")
COVERAGE_LIMIT = 200
COVERAGE_MAX = 1000


async def area_analysis(request: Request) -> Response:
    """``GET /api/areas/{code}/analysis``: the wijkanalyse."""
    await guard(request)
    Query(request, ())
    return JSONResponse(await run(_analyse, base_directory(request),
                                  request.path_params["code"]))


def _analyse(directory: Directory, code: str) -> dict[str, Any]:
    try:
        node = directory.resolve(code, AREA)
    except NotFound:
        raise NotFound(f"geen gebied met code '{code}'") from None
    return analyse(directory, node.id)


async def area_coverage(request: Request) -> Response:
    """``GET /api/coverage``: the coverage matrix and the risks, each paged."""
    await guard(request)
    q = Query(request, COVERAGE_PARAMETERS)
    area = q.text("area")
    limit = q.integer("limit", COVERAGE_LIMIT, 1, COVERAGE_MAX)
    offset = q.integer("offset", 0, 0, 10**9)
    risk_limit = q.integer("risk_limit", COVERAGE_LIMIT, 1, COVERAGE_MAX)
    risk_offset = q.integer("risk_offset", 0, 0, 10**9)
    await run(check_refs, base_directory(request), area=area)
    found = await run(coverage, base_directory(request), area)
    rows, risks = found["areas"], found["risks"]
    return JSONResponse({
        "areas": rows[offset:offset + limit], "risks": risks[risk_offset:risk_offset + risk_limit],
        "total_areas": len(rows), "total_risks": len(risks), "limit": limit, "offset": offset,
        "risk_limit": risk_limit, "risk_offset": risk_offset})


def routes() -> list[BaseRoute]:
    return [Route("/areas/{code}/analysis", area_analysis, methods=["GET"],
                  name="api.areas.analysis"),
            Route("/coverage", area_coverage, methods=["GET"], name="api.coverage")]
