"""What to do with a file once read: load its records (or restore a whole-store dump)
through the core's loader; the CLI and the web app both call this."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from directory.errors import ValidationError
from directory.importing import load_records
from directory.service import Directory
from importers.registry import ReadResult

__all__ = ["load_read"]


def load_read(directory: Directory, read: ReadResult, *, dry_run: bool = False,
              skip_invalid: bool = False, progress: Callable[[int], None] | None = None,
              may_restore: bool = True) -> dict[str, Any]:
    """The import report (``wijkkaart import --json``'s shape) of a file's records.

    A whole-store dump (with its own audit log) is restored only when ``may_restore``: the
    web app allows that to a beheerder alone, whichever route the file came in by."""
    if "dump" in read.extra:  # a whole-store dump is restored, not merged record by record
        from importers.json_dump import restore_dump

        if not may_restore:
            raise ValidationError.field("bestand", "een volledige dump terugzetten mag alleen "
                                                   "een beheerder")

        report = restore_dump(directory, read.extra["dump"], dry_run=dry_run)
    else:
        report = load_records(directory, read.records, format=read.format, dry_run=dry_run,
                              skip_invalid=skip_invalid, progress=progress)
    return report.as_dict() | {"unknown_columns": read.unknown, "notes": read.notes,
                               "unit": read.unit}
