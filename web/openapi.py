"""The OpenAPI 3.1 document of the JSON API, served at ``GET /api/openapi.json``.

Its paths are exactly the routes mounted under ``/api`` (``tests/web/test_openapi.py``
compares both ways); the schemas are in ``web.api.schemas``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from web.api import schemas
from web.api.common import guard
from web.api.reads import READ_COLLECTIONS
from web.api.schemas import INPUT_NAMES, ref
from web.api.writes import WRITE_COLLECTIONS

__all__ = ["openapi_document", "routes"]

Op = dict[str, Any]
ERRORS = {"400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound",
          "409": "Conflict", "413": "TooLarge", "422": "Unprocessable",
          "500": "ServerError", "503": "Unavailable"}
ERROR_TEXT = {"400": "Het verzoek is niet goed opgebouwd", "401": "Niet ingelogd",
              "403": "Rol te laag, of CSRF-token ontbreekt", "404": "Niet gevonden",
              "409": "Conflict: iemand anders heeft dit net gewijzigd (versie verouderd), "
                     "of de handeling kan niet in deze toestand",
              "413": "Te groot", "422": "Ongeldige invoer; details noemen veld en reden",
              "500": "Onverwachte fout (zonder technische details)",
              "503": "Opslag niet bereikbaar"}


def _param(name: str, description: str, schema: dict[str, Any], *, where: str = "query",
           required: bool = False, many: bool = False) -> dict[str, Any]:
    if many:
        schema = {"type": "array", "items": schema}
    found = {"name": name, "in": where, "description": description, "schema": schema,
             "required": required or where == "path"}
    if many:
        found |= {"style": "form", "explode": True}
    return found


STR, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
ID = _param("id", "id van de knoop", STR, where="path")
PAGING = [_param("limit", "hoeveel items (1–200, standaard 20)",
                 {"type": "integer", "minimum": 1, "maximum": 200, "default": 20}),
          _param("offset", "hoeveel items overslaan", {"type": "integer", "minimum": 0})]
SEARCH = [
    _param("q", "vrije tekst", STR), _param("area", "gemeente, wijk of buurt", STR),
    _param("domain", "leefgebied (herhaalbaar)", STR, many=True),
    _param("day", "dag, bijv. di of 'ma t/m vr' (herhaalbaar)", STR, many=True),
    _param("free", "alleen gratis", BOOL), _param("no_referral", "alleen zonder verwijzing", BOOL),
    _param("target", "doelgroep (herhaalbaar)", STR, many=True),
    _param("near", "postcode (PC4 of volledig)", STR),
    _param("km", "straal bij near (standaard 5)", {"type": "number"}), *PAGING]


def _op(op_id: str, summary: str, tag: str, ok: str, schema: dict[str, Any] | None, *,
        errors: tuple[str, ...] = (), params: list[dict[str, Any]] | None = None,
        body: dict[str, Any] | None = None, login: bool = False) -> Op:
    responses: dict[str, Any] = {ok: {"description": "gelukt"}}
    if schema is not None:
        responses[ok]["content"] = {"application/json": {"schema": schema}}
    shown = {*errors, "500", "503"} | ({"401", "403"} if login else set())
    responses |= {code: {"$ref": f"#/components/responses/{ERRORS[code]}"}
                  for code in sorted(shown)}
    op: Op = {"operationId": op_id, "summary": summary, "tags": [tag],
              "parameters": params or [], "responses": responses}
    if body is not None:
        op["requestBody"] = {"required": True, "content": body}
    if login:
        op["security"] = [{"sessie": []}]
    return op


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _collection_paths() -> dict[str, dict[str, Op]]:
    paths: dict[str, dict[str, Op]] = {
        "/api/activities": {"get": _op("searchActivities", "Activiteiten zoeken", "activities",
                                       "200", ref("SearchPage"), errors=("422",),
                                       params=SEARCH)},
        "/api/activities/{id}": {"get": _op("showActivity", "Eén activiteit", "activities",
                                            "200", ref("NodeShown"), errors=("404",),
                                            params=[ID])}}
    private = ("people", "agreements")
    for name in READ_COLLECTIONS:
        login = name in private
        scope = [_param("area", "alleen binnen dit gebied", STR),
                 _param("team", "alleen van dit team", STR)]
        paths[f"/api/{name}"] = {"get": _op(
            f"list_{name}", f"Lijst {name}", name, "200", ref("NodePage"), errors=("422",),
            params=scope + PAGING, login=login)}
        paths[f"/api/{name}/{{id}}"] = {"get": _op(
            f"show_{name}", f"Eén item uit {name}", name, "200", ref("NodeShown"),
            errors=("404",), params=[ID], login=login)}
    for name in WRITE_COLLECTIONS:
        kind_input = INPUT_NAMES[name]
        update = kind_input.replace("Input", "Update")
        paths.setdefault(f"/api/{name}", {})["post"] = _op(
            f"create_{name}", f"Nieuw item in {name}", name, "201", ref("Node"),
            errors=("400", "409", "422"), body=_json(ref(kind_input)), login=True)
        item = paths.setdefault(f"/api/{name}/{{id}}", {})
        for method in ("put", "patch"):
            item[method] = _op(f"{method}_{name}", f"Item wijzigen ({method.upper()}; met "
                               "version)", name, "200", ref("Node"),
                               errors=("400", "404", "409", "422"), params=[ID],
                               body=_json(ref(update)), login=True)
        item["delete"] = _op(
            f"end_{name}", "Beëindigen (relaties krijgen een einddatum; activiteit stopt)",
            name, "200", ref("Ended"), errors=("404", "409", "422"), login=True,
            params=[ID, _param("version", "de versie die je las", INT, required=True)])
    return paths


def _other_paths() -> dict[str, dict[str, Op]]:
    multipart = {"multipart/form-data": {"schema": ref("ImportUpload")}}
    return {
        "/api/session": {"get": _op("session", "Wie is ingelogd, en het CSRF-token",
                                    "session", "200", ref("Session"))},
        "/api/openapi.json": {"get": _op("openapi", "Dit document", "meta", "200",
                                         {"type": "object"})},
        "/api/areas/{code}/analysis": {"get": _op(
            "analyseArea", "Wijkanalyse", "areas", "200", ref("Analysis"), errors=("404",),
            params=[_param("code", "CBS-code", STR, where="path")], login=True)},
        "/api/coverage": {"get": _op(
            "coverage", "Dekking per wijk en risico's (beide gepagineerd)", "coverage", "200",
            ref("Coverage"), errors=("422",), login=True, params=[
                _param("area", "alleen binnen dit gebied", STR),
                _param("limit", "wijken per pagina (1–1000, standaard 200)", INT),
                _param("offset", "wijken overslaan", INT),
                _param("risk_limit", "risico's per pagina (1–1000, standaard 200)", INT),
                _param("risk_offset", "risico's overslaan", INT)])},
        "/api/handover": {"post": _op(
            "handover", "Overdracht van relaties", "actions", "200", ref("Handover"),
            errors=("400", "404", "409", "422"), body=_json(ref("HandoverInput")),
            login=True)},
        "/api/import": {"post": _op(
            "import", "Bestand importeren (standaard proefdraai)", "actions", "200",
            ref("ImportReport"), errors=("400", "413", "422"), body=multipart, login=True)},
        "/api/relations": {"post": _op(
            "createRelation", "Relatie beginnen", "relations", "201", ref("Edge"),
            errors=("400", "404", "409", "422"), body=_json(ref("EdgeInput")), login=True)},
        "/api/relations/{id}": {"delete": _op(
            "endRelation", "Relatie beëindigen", "relations", "200", ref("Edge"),
            errors=("404", "409", "422"), login=True,
            params=[_param("id", "id van de relatie", STR, where="path"),
                    _param("until", "einddatum (standaard vandaag)", STR)])},
    }


def _hsds_paths() -> dict[str, dict[str, Op]]:
    paging = [_param("page", "paginanummer (vanaf 1)", {"type": "integer", "minimum": 1}),
              _param("per_page", "items per pagina (1–200, standaard 50)",
                     {"type": "integer", "minimum": 1, "maximum": 200}),
              _param("search", "vrije tekst", STR),
              _param("full", "altijd volledig; genegeerd", BOOL)]
    hsds_id = _param("id", "HSDS-id of Wijkkaart-id", STR, where="path")
    return {
        "/api/hsds/services": {"get": _op(
            "hsdsServices", "HSDS 3.0 services (activiteiten)", "hsds", "200",
            ref("HsdsServicePage"), errors=("422",),
            params=[*paging, _param("organization_id", "alleen van deze organisatie", STR)])},
        "/api/hsds/services/{id}": {"get": _op(
            "hsdsService", "Eén HSDS 3.0 service", "hsds", "200", ref("HsdsService"),
            errors=("404",), params=[hsds_id, paging[3]])},
        "/api/hsds/organizations": {"get": _op(
            "hsdsOrganizations", "HSDS 3.0 organizations", "hsds", "200",
            ref("HsdsOrganizationPage"), errors=("422",), params=paging)},
        "/api/hsds/organizations/{id}": {"get": _op(
            "hsdsOrganization", "Eén HSDS 3.0 organization", "hsds", "200",
            ref("HsdsOrganization"), errors=("404",),
            params=[hsds_id, paging[3], _param("full_service", "genegeerd", BOOL)])},
    }


@cache
def openapi_document() -> dict[str, Any]:
    """The whole document (built once)."""
    responses = {name: {"description": ERROR_TEXT[code],
                        "content": _json(ref("Error"))} for code, name in ERRORS.items()}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Wijkkaart API", "version": "1",
                 "description": "Sociale kaart en partnernetwerk voor WijkGGZ-teams. "
                                "Schrijven vraagt een sessie (inloggen) en bij een "
                                "cookiesessie de kop X-CSRF-Token (zie /api/session). "
                                "Fouten: {\"error\": {\"code\", \"message\", \"details\"}}."},
        "paths": {**_collection_paths(), **_other_paths(), **_hsds_paths()},
        "components": {
            "schemas": schemas.components(), "responses": responses,
            "securitySchemes": {"sessie": {"type": "apiKey", "in": "cookie",
                                           "name": "wijkkaart_sessie"}}},
    }


async def openapi_json(request: Request) -> Response:
    await guard(request)
    return JSONResponse(openapi_document())


def routes() -> list[BaseRoute]:
    return [Route("/openapi.json", openapi_json, methods=["GET"], name="api.openapi")]
