"""Open Referral HSDS 3.0 (``--format hsds``): parsing, the registry reader and the sniffer.

Reads every shape HSDS data comes in: one service, organization or service_at_location
(``*_full.json``), paginated lists (``contents``), plain lists, ``tabular.json`` and the
tabular CSV data package (a folder or a zip with ``datapackage.json``). Each object is checked
against the official schemas (:mod:`importers.hsds_schema`) and mapped to organisations,
activities and contact persons (:mod:`importers.hsds_records`), keyed by
``source="hsds:<dataset>"`` and the HSDS id so a re-import changes nothing. The export lives
in :mod:`importers.hsds_export`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from importers.hsds_bundle import Bundle, bundle_from_json
from importers.hsds_package import DATAPACKAGE, is_package, read_package
from importers.hsds_records import bundle_records
from importers.hsds_tables import Rows, bundle_from_tables
from importers.registry import ReadOptions, ReadResult, read_head

__all__ = ["parse_hsds_json", "parse_hsds_tables", "read_hsds", "sniff_hsds"]

FORMAT = "hsds"
_MARKERS = re.compile(
    rb'"(service_at_locations|organization_id|service_areas|cost_options|location_type|'
    rb"taxonomy_detail|organization_identifiers|openapi_url|address_1|services\.csv|"
    rb'organizations\.csv|taxonomy_term|term_uri|alternate_name|total_items)"\s*:')
_LEADING = b"\xef\xbb\xbf \t\r\n"


def _result(bundle: Bundle, dataset: str) -> ReadResult:
    if not bundle.services and not bundle.organizations and (
            not bundle.ignored or set(bundle.ignored) == {"unknown"}):
        raise ValueError("geen HSDS-gegevens herkend (verwacht diensten, organisaties, "
                         "locaties of een taxonomie volgens Open Referral HSDS 3.0)")
    records, notes = bundle_records(bundle, f"hsds:{dataset}")
    return ReadResult(FORMAT, records, notes=notes)


def _tabular_json(data: Any) -> Rows | None:
    """The tables of ``tabular.json`` ({"services.csv": [rows]}), or None for other JSON."""
    if not isinstance(data, dict) or not data or not all(
            key.endswith(".csv") and isinstance(value, list) for key, value in data.items()):
        return None
    return {key: [(number, row) for number, row in enumerate(rows, start=1)
                  if isinstance(row, dict)] for key, rows in data.items()}


def parse_hsds_json(content: str | bytes, label: str = "hsds.json",
                    dataset: str = "hsds") -> ReadResult:
    """Records from an HSDS JSON document; ValueError (Dutch, one line) if it is not one."""
    if isinstance(content, bytes):
        if b"\x00" in content[:4096]:
            raise ValueError("bestand is binair, geen HSDS-JSON")
        content = content.decode("utf-8-sig")
    try:
        data = json.loads(content)
        tables = _tabular_json(data)
        if tables is not None:
            return parse_hsds_tables(tables, label, dataset, csv_lines=False)
        return _result(bundle_from_json(data, label), dataset)
    except json.JSONDecodeError as exc:
        raise ValueError(f"geen geldige JSON (afgebroken of beschadigd?): regel {exc.lineno}, "
                         f"kolom {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ValueError("JSON is te diep genest") from None


def parse_hsds_tables(rows: Rows, label: str = "datapakket", dataset: str = "hsds",
                      *, csv_lines: bool = True) -> ReadResult:
    """Records from the rows of HSDS tables keyed by CSV file name (numbered by CSV line, or
    by item for ``tabular.json``)."""
    return _result(bundle_from_tables(rows, label, csv_lines=csv_lines), dataset)


def read_hsds(path: Path, options: ReadOptions) -> ReadResult:
    """Registry reader for ``--format hsds``: a JSON file, or a package folder or zip."""
    if path.is_dir() or path.name == DATAPACKAGE or read_head(path, 4) == b"PK\x03\x04":
        dataset, rows = read_package(path, options.max_bytes)
        return parse_hsds_tables(rows, path.name, dataset)
    return parse_hsds_json(path.read_bytes(), path.name, path.stem)


def sniff_hsds(head: bytes, path: Path) -> bool:
    """HSDS JSON (HSDS keys in the first bytes), or a folder/zip with datapackage.json."""
    if path.is_dir() or path.name == DATAPACKAGE or head.startswith(b"PK"):
        return is_package(path)
    start = head.lstrip(_LEADING)[:1]
    return start in (b"{", b"[") and _MARKERS.search(head) is not None
