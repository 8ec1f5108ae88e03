"""Which reader handles which format; the one place the CLI and web ask for records."""

from __future__ import annotations

from pathlib import Path

from directory.errors import ValidationError
from directory.importing import Record
from importers.tabular import TableError

__all__ = ["read_records", "FORMATS"]

FORMATS = ("csv", "xlsx")


def read_records(path: str | Path, format: str | None = None,
                 mapping_path: str | Path | None = None) -> tuple[str, list[Record], list[str]]:
    """(format found, records, columns not understood) for a file; ValidationError if unreadable."""
    from importers.spreadsheet import read_spreadsheet

    if format is not None and format not in FORMATS:
        raise ValidationError.field("--format", f"onbekend formaat '{format}'")
    try:
        table, records, unknown = read_spreadsheet(path, format, mapping_path)
    except TableError as exc:
        raise ValidationError.field(exc.field or "bestand", exc.message, exc.line) from exc
    except ValueError as exc:
        raise ValidationError.field("bestand", str(exc)) from exc
    return table.format, records, unknown
