"""Action endpoints: handover of a leaving member's relations, and file import.

* ``POST /api/handover`` — JSON ``{"from", "to", "dry_run"}`` (``dry_run`` default false,
  as on the command line) → the shape of ``wijkkaart handover --json``;
* ``POST /api/import`` — a multipart upload: field ``file``, optional ``format``,
  ``dry_run`` (default **true**: say what would happen, write nothing) and
  ``skip_invalid`` → the shape of ``wijkkaart import --json``. Uploads above
  ``web.security.MAX_UPLOAD_BYTES`` are refused with 413.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from directory.errors import ValidationError
from directory.handover import handover
from directory.service import Directory
from importers.pipeline import load_read
from web.api.common import Query, acting_directory, guard, json_body, known, run, yes_no
from web.auth import allows
from web.pages.beheer_uploads import safe_name
from web.security import MAX_UPLOAD_BYTES

__all__ = ["routes", "IMPORT_FIELDS"]

IMPORT_FIELDS = ("file", "format", "dry_run", "skip_invalid")


async def post_handover(request: Request) -> Response:
    """Move a leaving team member's relations to a colleague (or plan it)."""
    account = known(await guard(request))
    Query(request, ())
    body = await json_body(request)
    refs = {}
    for name in ("from", "to"):
        value = body.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ValidationError.field(name, "is verplicht: id of naam van een persoon")
        refs[name] = value
    dry_run = yes_no(body.get("dry_run", False), "dry_run")
    result = await run(handover, acting_directory(request, account), refs["from"], refs["to"],
                       dry_run=dry_run)
    return JSONResponse(result)


async def post_import(request: Request) -> Response:
    """Import an uploaded file; a dry run unless ``dry_run`` is false."""
    account = known(await guard(request))
    Query(request, ())
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_UPLOAD_BYTES:
        raise HTTPException(413, _too_large())
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(415, "stuur het bestand als multipart/form-data in het veld 'file'")
    async with request.form(max_files=1, max_fields=len(IMPORT_FIELDS)) as form:
        unknown = sorted(set(form.keys()) - set(IMPORT_FIELDS))
        if unknown:
            raise ValidationError.field(unknown[0], "onbekend veld; bekend zijn: "
                                        + ", ".join(IMPORT_FIELDS))
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationError.field("file", "is verplicht: het bestand om te importeren")
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise HTTPException(413, _too_large())
        options = {name: form.get(name) for name in ("format", "dry_run", "skip_invalid")}
        content = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(content) > MAX_UPLOAD_BYTES:
            raise HTTPException(413, _too_large())
        filename = safe_name(upload.filename)
    dry_run = yes_no(options["dry_run"], "dry_run") if options["dry_run"] else True
    skip = yes_no(options["skip_invalid"], "skip_invalid") if options["skip_invalid"] else False
    fmt = options["format"] if isinstance(options["format"], str) and options["format"] else None
    report = await run(_import, acting_directory(request, account), content, filename, fmt,
                       dry_run, skip, allows(account, "beheerder"))
    return JSONResponse(report)


def _too_large() -> str:
    return f"het bestand is te groot (maximaal {MAX_UPLOAD_BYTES // (1024 * 1024)} MB)"


def _import(directory: Directory, content: bytes, filename: str, fmt: str | None,
            dry_run: bool, skip_invalid: bool, may_restore: bool) -> dict[str, Any]:
    """Read the upload from a private temporary file, then load it as the CLI does."""
    from importers.registry import read_records

    with tempfile.TemporaryDirectory(prefix="wijkkaart-upload-") as folder:
        path = Path(folder) / filename
        path.write_bytes(content)
        read = read_records(path, fmt, max_bytes=MAX_UPLOAD_BYTES)
    return load_read(directory, read, dry_run=dry_run, skip_invalid=skip_invalid,
                     may_restore=may_restore)


def routes() -> list[BaseRoute]:
    return [Route("/handover", post_handover, methods=["POST"], name="api.handover"),
            Route("/import", post_import, methods=["POST"], name="api.import")]
