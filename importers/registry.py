"""Which reader handles which format; the one place the CLI and web ask for records."""

from __future__ import annotations

from pathlib import Path

from directory.errors import ValidationError
from directory.importing import Record
from importers.headers import load_mapping
from importers.tabular import TableError

__all__ = ["read_records", "FORMATS"]

FORMATS = ("csv", "xlsx")


def _mapping(mapping_path: str | Path) -> dict[str, str]:
    """The user's header mapping; errors name the mapping file, not the data file."""
    name = Path(mapping_path).name
    try:
        return load_mapping(mapping_path)
    except FileNotFoundError as exc:
        raise ValidationError.field("--mapping", f"koppelbestand niet gevonden: {mapping_path}"
                                    ) from exc
    except OSError as exc:
        raise ValidationError.field("--mapping", f"koppelbestand kan niet gelezen worden: "
                                                 f"{mapping_path} ({exc.strerror})") from exc
    except ValueError as exc:
        raise ValidationError.field(name, str(exc)) from exc


def read_records(path: str | Path, format: str | None = None,
                 mapping_path: str | Path | None = None) -> tuple[str, list[Record], list[str]]:
    """(format found, records, columns not understood) for a file; ValidationError if unreadable."""
    from importers.spreadsheet import read_spreadsheet

    if format is not None and format not in FORMATS:
        raise ValidationError.field("--format", f"onbekend formaat '{format}'")
    mapping = _mapping(mapping_path) if mapping_path else None
    name = Path(path).name
    try:
        table, records, unknown = read_spreadsheet(path, format, mapping)
    except TableError as exc:
        raise ValidationError.field(exc.field or name, exc.message, exc.line) from exc
    except ValueError as exc:
        raise ValidationError.field(name, str(exc)) from exc
    return table.format, records, unknown
