"""The import page: upload a file (any format of ``importers.registry.READERS``), see a dry
run (counts, rejected rows with where/field/reason, notes, possible duplicates), then
confirm to import for real. Between the two steps the file waits server-side
(``web.pages.beheer_uploads``). Restoring a whole-store dump needs the beheerder role."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.errors import Conflict, ValidationError
from directory.service import Directory
from importers.pipeline import load_read
from importers.registry import READERS, read_records
from web.auth import Account, allows
from web.pages.base import render, user_of
from web.pages.beheer_uploads import Upload, owner_of, stash_of
from web.security import MAX_UPLOAD_BYTES, check_upload_size

__all__ = ["routes"]

FORMAT_LABELS = {
    "csv": "CSV (Excel, ;-gescheiden)", "xlsx": "Excel (.xlsx)",
    "hsds": "Open Referral HSDS 3.0", "vcard": "vCard (contactpersonen)",
    "ical": "iCalendar (activiteiten)", "cbs": "CBS kerncijfers of wijk/buurt-GeoJSON",
    "pc4": "Postcodes (pc4)", "json": "Volledige Wijkkaart-dump (alleen beheerder)",
}
DUMP_ROLE = "beheerder"


def _formats() -> list[tuple[str, str]]:
    return [(name, FORMAT_LABELS.get(name, name)) for name in sorted(READERS)]


def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    defaults = {"formats": _formats(), "error": None, "report": None, "token": None,
                "result": None, "filename": "", "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    return render(request, "beheer_import.html", defaults | context, status=status)


def _acting(request: Request, user: Account | None) -> Directory:
    directory: Directory = request.app.state.directory
    return Directory(directory.store, actor=user.name if user else "onbekend")


def _run(directory: Directory, upload: Upload, user: Account | None,
         dry_run: bool) -> dict[str, Any]:
    read = read_records(upload.path, upload.format, max_bytes=MAX_UPLOAD_BYTES)
    return load_read(directory, read, dry_run=dry_run, skip_invalid=upload.skip_invalid,
                     may_restore=allows(user, DUMP_ROLE))


def _status(error: Exception) -> int:
    return 409 if isinstance(error, Conflict) else 422


async def import_page(request: Request) -> Response:
    if request.method == "GET":
        return _page(request, {})
    user = user_of(request)
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("bestand")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _page(request, {"error": "Kies een bestand om te importeren."}, 422)
        check_upload_size(upload)
        content = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(content) > MAX_UPLOAD_BYTES:
            raise HTTPException(413, f"het bestand is groter dan "
                                     f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        filename = upload.filename
        fmt = str(form.get("formaat") or "") or None
        skip = bool(form.get("overslaan"))
    if fmt is not None and fmt not in READERS:
        return _page(request, {"error": f"Onbekend formaat '{fmt}'."}, 422)
    stash = stash_of(request)
    stored = await run_in_threadpool(stash.put, owner_of(request), filename, content, fmt, skip)
    try:
        report = await run_in_threadpool(_run, _acting(request, user), stored, user, True)
    except (ValidationError, Conflict) as exc:
        stash.discard(stored.token)
        what = "kan niet gelezen worden" if isinstance(exc, ValidationError) else (
            "kan niet geïmporteerd worden")
        return _page(request, {"error": f"Dit bestand {what}: {exc}", "filename": filename},
                     _status(exc))
    return _page(request, {"report": report, "token": stored.token, "filename": filename,
                           "skip": skip})


async def confirm(request: Request) -> Response:
    user = user_of(request)
    form = await request.form()
    token = str(form.get("token") or "")
    stash = stash_of(request)
    upload = stash.get(token, owner_of(request)) if token else None
    if upload is None:
        return _page(request, {"error": "Deze upload bestaat niet (meer): hij is al "
                                        "geïmporteerd, verlopen of van een andere sessie. "
                                        "Upload het bestand opnieuw."}, 404)
    try:
        report = await run_in_threadpool(_run, _acting(request, user), upload, user, False)
    except (ValidationError, Conflict) as exc:
        return _page(request, {"error": f"Importeren lukte niet: {exc}"}, _status(exc))
    finally:
        stash.discard(upload.token)
    return _page(request, {"result": report, "filename": upload.path.name})


def routes() -> list[Route]:
    return [Route("/beheer/import", import_page, methods=["GET", "POST"], name="beheer.import"),
            Route("/beheer/import/bevestigen", confirm, methods=["POST"],
                  name="beheer.import.confirm")]
