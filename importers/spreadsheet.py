"""csv/xlsx import: table rows (activities, organisations or people) → core records.

Reading the file and naming its columns is ``tabular``/``headers``' job; this
module decides what each row is and which cell becomes which property.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from directory.errors import Detail
from directory.importing import Record
from directory.model import ACTIVITY, ORGANISATION, PERSON
from directory.text import fold
from directory.validation import parse_bool, parse_time_range
from importers.headers import fold_header, map_headers
from importers.table_export import kind_sheets, label_sheet, unquote_cell
from importers.tabular import OLE_MAGIC, ZIP_MAGIC, Row, Table, read_table

if TYPE_CHECKING:
    from importers.registry import ReadOptions, ReadResult

__all__ = ["records_from_table", "read_spreadsheet", "read_csv", "read_xlsx", "sniff_csv",
           "sniff_xlsx", "SOURCE"]

SOURCE = "spreadsheet"
_AREA_CODE = re.compile(r"(GM|WK|BU)\d{4,8}", re.IGNORECASE)

_KIND_WORDS = {
    ACTIVITY: ("activiteit", "activiteiten", "activity", "aanbod", "wijkactiviteit", "service"),
    ORGANISATION: ("organisatie", "organisation", "organization", "ketenpartner", "partner"),
    PERSON: ("persoon", "contactpersoon", "person", "contact", "medewerker"),
}
# spreadsheet field → property, per kind
_PROPS = {
    ACTIVITY: {"name": "title", "description": "description", "life_domains": "life_domains",
               "target_groups": "target_groups", "days": "schedule", "start": "start_time",
               "end": "end_time", "cost": "cost", "referral_needed": "referral_needed",
               "address": "address", "postcode": "postcode", "city": "city",
               "languages": "languages", "accessibility": "accessibility", "website": "url",
               "status": "status", "last_verified_on": "last_verified_on", "lat": "lat",
               "lon": "lon"},
    ORGANISATION: {"name": "name", "description": "description", "partner_type": "partner_type",
                   "website": "website", "address": "address", "postcode": "postcode",
                   "city": "city", "kvk": "kvk", "org_role": "role", "lat": "lat",
                   "lon": "lon"},
    PERSON: {"name": "name", "job_title": "job_title", "phone": "phone", "email": "email",
             "last_verified_on": "last_verified_on"},
}
_ACTIVITY_HINTS = ("days", "time", "start", "life_domains", "cost", "referral_needed",
                   "no_referral", "target_groups")
# name headers that only an activity list uses (folded)
_ACTIVITY_NAMES = frozenset(("activiteit", "titel", "naamactiviteit", "naamaanbod", "aanbod",
                             "activity", "title"))


def _kind(cells: dict[str, str], column_of: dict[str, str]) -> str | None:
    """What a row is: its `soort` cell, else guessed from the sheet's columns.

    Without a `soort` column every row of the sheet is the same kind, so the columns
    decide, not the row's filled cells: an activity with an empty day is no person.
    """
    stated = fold(cells.get("kind", ""))
    if stated:
        for kind, words in _KIND_WORDS.items():
            if stated in words:
                return kind
        return None
    present = cells if "kind" in column_of else column_of
    name_header = fold_header(column_of.get("name", ""))
    if any(present.get(f) for f in _ACTIVITY_HINTS) or name_header in _ACTIVITY_NAMES:
        return ACTIVITY
    if present.get("organisation") and (present.get("job_title")
                                        or not present.get("partner_type")):
        return PERSON
    return ORGANISATION


def _phone(text: str) -> str:
    """Excel drops a leading zero of numbers typed as numbers: 612345678 → 0612345678."""
    digits = text.replace(" ", "")
    return "0" + digits if digits.isdigit() and len(digits) == 9 else text


def _activity_extras(cells: dict[str, str], props: dict[str, Any]) -> None:
    if cells.get("time") and not (cells.get("start") or cells.get("end")):
        try:
            props["start_time"], props["end_time"] = parse_time_range(cells["time"])
        except ValueError:
            props["start_time"] = cells["time"]  # reported by validation with its reason
    if cells.get("no_referral") and not cells.get("referral_needed"):
        free_access = parse_bool(cells["no_referral"])
        props["referral_needed"] = (not free_access) if free_access is not None \
            else cells["no_referral"]


def record_from_row(row: Row, columns: dict[str, str], source_name: str) -> Record:
    """One row as a core record (not yet validated: the loader does that)."""
    field_of = {column: field for column, field in columns.items()}
    cells = {field_of[c]: unquote_cell(v) for c, v in row.cells.items()
             if c in field_of and v.strip()}
    column_of = {field: column for column, field in columns.items()}
    kind = _kind(cells, column_of)
    if kind is None:
        problem = Detail(column_of.get("kind", "soort"),
                         f"onbekende soort '{cells['kind']}' (activiteit, organisatie of persoon)",
                         row.line)
        return Record(line=row.line, kind=ACTIVITY, props={}, problem=problem)
    props = {prop: cells[f] for f, prop in _PROPS[kind].items() if cells.get(f)}
    if kind != PERSON:
        contact = {"name": cells.get("contact"), "job_title": cells.get("job_title"),
                   "phone": _phone(cells["phone"]) if cells.get("phone") else None,
                   "email": cells.get("email")}
        if not cells.get("contact"):  # no contact person: phone and e-mail are the row's own
            props.update({k: str(contact[k]) for k in ("phone", "email") if contact[k]})
            contact = {}
    else:
        contact = {}
        if props.get("phone"):
            props["phone"] = _phone(props["phone"])
    if kind == ACTIVITY:
        _activity_extras(cells, props)
    area_fields = sorted(f for f in cells if f == "area" or f.startswith("area_"))
    areas = [(ref, _level_hint(column_of[f])) for f in area_fields for ref in _refs(cells[f])]
    fields = {prop: column_of[f] for f, prop in _PROPS[kind].items() if f in column_of}
    fields |= {k: column_of[k] for k in ("contact", "phone", "email", "kind") if k in column_of}
    if "area" in column_of:
        fields["area"] = column_of["area"]
    if kind == ACTIVITY:
        fields |= {"start_time": column_of.get("start", column_of.get("time", "tijd")),
                   "end_time": column_of.get("end", column_of.get("time", "tijd"))}
    source_id = cells.get("source_id")
    return Record(line=row.line, kind=kind, props=props,
                  source=f"{SOURCE}:{source_name}" if source_id else None, source_id=source_id,
                  organisation=cells.get("organisation") if kind != ORGANISATION else None,
                  contact=contact or None, areas=areas, fields=fields)


def _refs(cell: str) -> list[str]:
    """The areas of a cell: one name or code, or several CBS codes split by `,` or `;`."""
    parts = [part.strip() for part in re.split(r"[,;]", cell)]
    return parts if len(parts) > 1 and all(_AREA_CODE.fullmatch(p) for p in parts) else [cell]


def _level_hint(column: str) -> str | None:
    folded = fold_header(column)
    for level in ("buurt", "wijk", "gemeente"):
        if level in folded:
            return level
    return None


def records_from_table(table: Table, mapping: dict[str, str] | None = None,
                       source_name: str = "") -> tuple[list[Record], list[str]]:
    """Records for every row of a table, and the column headers that were not understood."""
    columns, unknown = map_headers(table.headers, mapping)
    if not any(f == "name" for f in columns.values()):
        raise ValueError("geen kolom met een naam of titel gevonden (bijv. 'naam', "
                         "'activiteit' of 'titel'); gebruik --mapping voor eigen kolomnamen")
    return [record_from_row(row, columns, source_name) for row in table.rows], unknown


def read_spreadsheet(path: str | Path, format: str | None = None,
                     mapping: dict[str, str] | None = None, max_bytes: int = 50_000_000,
                     ) -> tuple[Table, list[Record], list[str]]:
    """Read a csv/xlsx file into records; the table is returned for its format and size.

    ``mapping`` is a user's {header: field} (see ``headers.load_mapping``).
    """
    table = read_table(path, format=format, max_bytes=max_bytes)
    records, unknown = records_from_table(table, mapping, Path(path).stem)
    sheets = kind_sheets(path, table, max_bytes)  # an exported workbook: a sheet per kind
    if sheets:
        label_sheet(records, table.sheet)
    for sheet in sheets:
        more, more_unknown = records_from_table(sheet, mapping, Path(path).stem)
        records += label_sheet(more, sheet.sheet)
        unknown += [header for header in more_unknown if header not in unknown]
    return table, records, unknown


def _read(path: Path, options: ReadOptions, format: str) -> ReadResult:
    from importers.registry import ReadResult

    table, records, unknown = read_spreadsheet(path, format, options.mapping,
                                               options.max_bytes)
    return ReadResult(table.format, records, unknown)


def read_csv(path: Path, options: ReadOptions) -> ReadResult:
    """Registry reader for ``--format csv``."""
    return _read(path, options, "csv")


def read_xlsx(path: Path, options: ReadOptions) -> ReadResult:
    """Registry reader for ``--format xlsx``."""
    return _read(path, options, "xlsx")


def sniff_xlsx(head: bytes, path: Path) -> bool:
    """An Excel workbook (also an old .xls, so that its reader can explain what to do)."""
    if head.startswith(OLE_MAGIC) or path.suffix.lower() in {".xlsx", ".xlsm", ".xls"}:
        return True
    if not head.startswith(ZIP_MAGIC):
        return False
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return path.suffix.lower() in {".xlsx", ".xlsm"}
    return "xl/workbook.xml" in names or "[Content_Types].xml" in names


def sniff_csv(head: bytes, path: Path) -> bool:
    """The last resort: anything that is not JSON, XML or a zip is read as a table."""
    if path.is_dir() or head.startswith(ZIP_MAGIC):
        return False
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start not in (b"{", b"[", b"<")
