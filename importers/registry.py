"""Which reader and writer handles which format; the one place the CLI and web ask.

Every format is a pure ``parse_*`` (text/bytes → records) in its own module plus a
thin reader ``read(path, options) -> ReadResult`` registered in ``READERS``, a
``sniff(head, path) -> bool`` in ``SNIFFERS`` (content first, extension last) and,
where it can be written, an ``export(directory, out, scope) -> int`` in
``EXPORTERS``. Entries are "module:function" strings, imported only when used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from directory.errors import ValidationError
from directory.importing import Record
from directory.service import Directory
from importers.headers import load_mapping
from importers.tabular import TableError

__all__ = ["ReadOptions", "ReadResult", "ExportScope", "READERS", "EXPORTERS", "SNIFFERS",
           "MAX_BYTES", "read_records", "detect_format",
           "export_to", "read_head"]

MAX_BYTES = 50_000_000  # a larger file is refused with a clear message
HEAD_BYTES = 65_536     # what format detection looks at

# format → "module:function" reading a path into a ReadResult
READERS: dict[str, str] = {
    "csv": "importers.spreadsheet:read_csv",
    "xlsx": "importers.spreadsheet:read_xlsx",
    "json": "importers.json_dump:read_json",
    "cbs": "importers.cbs:read_cbs",
    "pc4": "importers.pc4:read_pc4",
    "vcard": "importers.vcard:read_vcard",
    "ical": "importers.ical:read_ical",
    "hsds": "importers.hsds:read_hsds",
}
# (format, "module:function(head, path) -> bool"), asked in this order; spreadsheets last
SNIFFERS: list[tuple[str, str]] = [
    ("hsds", "importers.hsds:sniff_hsds"),
    ("json", "importers.json_dump:sniff_json"),
    ("vcard", "importers.vcard:sniff_vcard"),
    ("ical", "importers.ical:sniff_ical"),
    ("cbs", "importers.cbs:sniff_cbs"),
    ("pc4", "importers.pc4:sniff_pc4"),
    ("xlsx", "importers.spreadsheet:sniff_xlsx"),
    ("csv", "importers.spreadsheet:sniff_csv"),
]
# format → "module:function(directory, out, scope) -> number of items written"
EXPORTERS: dict[str, str] = {
    "csv": "importers.table_export:export_csv",
    "xlsx": "importers.table_export:export_xlsx",
    "graphml": "importers.graph_export:export_graphml",
    "gexf": "importers.graph_export:export_gexf",
    "json": "importers.json_dump:export_json",
    "vcard": "importers.vcard_export:export_vcard",
    "ical": "importers.ical_export:export_ical",
    "hsds": "importers.hsds_export:export_hsds",
}


@dataclass(frozen=True)
class ReadOptions:
    """What the user asked for besides the file: a header mapping, a size limit."""

    mapping: dict[str, str] | None = None
    max_bytes: int = MAX_BYTES


@dataclass
class ReadResult:
    """Records read from a file plus what the reader could not place."""

    format: str
    records: list[Record]
    unknown: list[str] = field(default_factory=list)  # columns or terms not understood
    notes: list[str] = field(default_factory=list)    # warnings for the user (Dutch)
    extra: dict[str, Any] = field(default_factory=dict)  # format-specific data for the loader
    unit: str = "regel"  # what Record.line counts: regel, kaart, event, feature


@dataclass(frozen=True)
class ExportScope:
    """Which part of the directory an export covers; everything when all are None."""

    area: str | None = None
    organisation: str | None = None
    team: str | None = None
    include_contacts: bool = False


def _load(target: str) -> Callable[..., Any]:
    module, _, name = target.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


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


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first bytes of a file (or of a folder's datapackage.json); b"" for a folder."""
    if path.is_dir():
        return b""
    with path.open("rb") as handle:
        return handle.read(size)


def _check_file(path: Path, max_bytes: int) -> None:
    name = path.name or str(path)
    if not path.exists():
        raise ValidationError.field(name, f"bestand niet gevonden: {path}")
    if path.is_file():
        size = path.stat().st_size
        if size == 0:
            raise ValidationError.field(name, "bestand is leeg")
        if size > max_bytes:
            raise ValidationError.field(
                name, f"bestand is te groot ({size / 1e6:.1f} MB; maximaal "
                      f"{max_bytes / 1e6:.1f} MB)")


def detect_format(path: str | Path) -> str:
    """The format of a file or folder, from its content (extension only as a last hint)."""
    path = Path(path)
    head = read_head(path)
    for name, target in SNIFFERS:
        if _load(target)(head, path):
            return name
    if path.is_dir():
        raise ValidationError.field(str(path), "deze map kan niet gelezen worden als import "
                                               "(verwacht een HSDS-datapakket met "
                                               "datapackage.json)")
    raise ValidationError.field(
        path.name, "formaat niet herkend; kies er een met --format ("
                   + ", ".join(sorted(READERS)) + ")")


def read_records(path: str | Path, format: str | None = None,
                 mapping_path: str | Path | None = None,
                 max_bytes: int = MAX_BYTES) -> ReadResult:
    """Read a file in any supported format; ValidationError (field, line, reason) if not."""
    path = Path(path)
    if format is not None and format not in READERS:
        raise ValidationError.field("--format", f"onbekend formaat '{format}' (kies uit "
                                                + ", ".join(sorted(READERS)) + ")")
    mapping = _mapping(mapping_path) if mapping_path else None
    _check_file(path, max_bytes)
    try:
        chosen = format or detect_format(path)
        result: ReadResult = _load(READERS[chosen])(path, ReadOptions(mapping, max_bytes))
    except TableError as exc:
        raise ValidationError.field(exc.field or path.name, exc.message, exc.line) from exc
    except UnicodeDecodeError as exc:
        raise ValidationError.field(path.name, "bestand is geen leesbare tekst (UTF-8)") from exc
    except ValueError as exc:
        raise ValidationError.field(path.name, str(exc)) from exc
    return result


def export_to(directory: Directory, format: str, out: BinaryIO,
              scope: ExportScope | None = None) -> int:
    """Write the directory (or the scope's part) to ``out``; the number of items written."""
    if format not in EXPORTERS:
        raise ValidationError.field("--format", f"onbekend exportformaat '{format}' (kies uit "
                                                + ", ".join(sorted(EXPORTERS)) + ")")
    count: int = _load(EXPORTERS[format])(directory, out, scope or ExportScope())
    return count
