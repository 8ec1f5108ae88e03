"""The export page: download the directory in any format of
``importers.registry.EXPORTERS``, for everything or one area, organisation or team.

Who may take what out (the web equivalent of ``wijkkaart export``):

* every logged-in role: the exports without contact persons' phone and e-mail;
* coordinator and beheerder: also with contact details (``--include-contacts``: a bulk
  copy of personal data is more than looking someone up);
* beheerder only: ``json``, the full dump (every node, relation and the audit log).
"""

from __future__ import annotations

import io
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.errors import Conflict, NotFound, ValidationError
from directory.model import ORGANISATION, TEAM
from directory.service import Directory
from importers.registry import EXPORTERS, ExportScope, export_to
from web.auth import Account, allows
from web.pages.base import render, user_of

__all__ = ["routes", "CONTACTS_ROLE", "DUMP_ROLE", "FILES"]

CONTACTS_ROLE = "coordinator"
DUMP_ROLE = "beheerder"
# format → (label, file extension, media type)
FILES: dict[str, tuple[str, str, str]] = {
    "csv": ("CSV (Excel, ;-gescheiden)", "csv", "text/csv; charset=utf-8"),
    "xlsx": ("Excel (.xlsx), een blad per soort", "xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "hsds": ("Open Referral HSDS 3.0 (JSON)", "json", "application/json"),
    "vcard": ("vCard (contactpersonen)", "vcf", "text/vcard; charset=utf-8"),
    "ical": ("iCalendar (activiteiten)", "ics", "text/calendar; charset=utf-8"),
    "graphml": ("GraphML (netwerk)", "graphml", "application/xml"),
    "gexf": ("GEXF (netwerk, Gephi)", "gexf", "application/xml"),
    "json": ("Volledige dump met contactgegevens (JSON, alleen beheerder)", "json",
             "application/json"),
}


def _formats(user: Account | None) -> list[tuple[str, str]]:
    return [(name, FILES.get(name, (name, "", ""))[0]) for name in EXPORTERS
            if name != "json" or allows(user, DUMP_ROLE)]


def _choices(directory: Directory) -> dict[str, list[tuple[str, str]]]:
    return {"organisations": [(n.id, n.name) for n in directory.store.find_nodes(ORGANISATION)],
            "teams": [(n.id, n.name) for n in directory.store.find_nodes(TEAM)]}


async def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    user = user_of(request)
    choices = await run_in_threadpool(_choices, request.app.state.directory)
    defaults: dict[str, Any] = {"formats": _formats(user), "error": None, "chosen": {},
                "may_contacts": allows(user, CONTACTS_ROLE)}
    return render(request, "beheer_export.html", defaults | choices | context, status=status)


async def export_page(request: Request) -> Response:
    return await _page(request, {})


def _scope(request: Request, user: Account | None) -> tuple[str, ExportScope]:
    params = request.query_params
    fmt = params.get("formaat", "")
    if fmt not in EXPORTERS:
        raise ValidationError.field("formaat", "kies een formaat")
    if fmt == "json" and not allows(user, DUMP_ROLE):
        raise HTTPException(403, "de volledige dump mag alleen een beheerder downloaden")
    contacts = params.get("contacten") == "1" or fmt == "json"  # a dump is always complete
    if contacts and not allows(user, CONTACTS_ROLE):
        raise HTTPException(403, "contactgegevens exporteren mag alleen een coördinator of "
                                 "beheerder")
    scope = ExportScope(area=params.get("gebied", "").strip() or None,
                        organisation=params.get("organisatie", "").strip() or None,
                        team=params.get("team", "").strip() or None, include_contacts=contacts)
    return fmt, scope


def _export(directory: Directory, fmt: str, scope: ExportScope) -> bytes:
    out = io.BytesIO()
    export_to(directory, fmt, out, scope)
    return out.getvalue()


async def download(request: Request) -> Response:
    user = user_of(request)
    chosen = dict(request.query_params)
    try:
        fmt, scope = _scope(request, user)
        content = await run_in_threadpool(_export, request.app.state.directory, fmt, scope)
    except (ValidationError, NotFound, Conflict) as exc:
        status = 422 if isinstance(exc, ValidationError) else 404
        return await _page(request, {"error": f"Exporteren lukte niet: {exc}",
                                     "chosen": chosen}, status)
    _, extension, media_type = FILES.get(fmt, (fmt, fmt, "application/octet-stream"))
    name = f"wijkkaart-{fmt}.{extension}"
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def routes() -> list[Route]:
    return [Route("/beheer/export", export_page, name="beheer.export"),
            Route("/beheer/export/bestand", download, name="beheer.export.download")]
