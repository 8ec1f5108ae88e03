"""csv and xlsx exports: organisations, people and activities as the spreadsheet importer
reads them back.

Every column header is one ``importers/headers.py`` knows, so an export re-imports
unchanged. The xlsx has one sheet per kind (Organisaties, Personen, Activiteiten); a CSV
holds one table, so it has every kind in one, told apart by the ``Soort`` column. Cells
that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) get a leading ``'``, which the importer takes off again
(``unquote_cell``). Contact persons' phone and e-mail are written only with
``--include-contacts``. Teams, memberships, agreements and other relations are not in
these tables: the ``json`` and ``graphml`` exports carry them.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from directory.importing import Record
from directory.model import ACTIVITY, ORGANISATION, PERSON, Node
from directory.service import Directory
from directory.validation import days_to_rrule, rrule_days
from importers.graph_export import public_props, scoped_nodes
from importers.headers import lookup_header
from importers.tabular import Table, TableError, read_table

if TYPE_CHECKING:
    from importers.registry import ExportScope

__all__ = ["neutralise_cell", "unquote_cell", "table_rows", "export_csv", "export_xlsx",
           "HEADERS", "SHEETS", "kind_sheets", "label_sheet"]

_RISKY_START = ("=", "+", "-", "@")
# field (``headers.FIELD_HEADERS``) → the Dutch column header written
HEADERS = {
    "kind": "Soort", "source_id": "Id", "name": "Naam", "org_role": "Rol organisatie",
    "partner_type": "Soort organisatie", "organisation": "Organisatie",
    "description": "Omschrijving", "life_domains": "Leefgebied", "target_groups": "Doelgroep",
    "days": "Dag", "start": "Van", "end": "Tot", "cost": "Kosten",
    "referral_needed": "Verwijzing nodig", "languages": "Talen",
    "accessibility": "Toegankelijkheid", "status": "Status", "website": "Website",
    "address": "Adres", "postcode": "Postcode", "city": "Plaats", "lat": "Breedtegraad",
    "lon": "Lengtegraad", "kvk": "KvK", "area": "Gebied",
    "contact": "Contactpersoon", "job_title": "Functie", "phone": "Telefoon", "email": "E-mail",
    "last_verified_on": "Gecontroleerd op",
}
# the columns of each kind's sheet, in order
COLUMNS = {
    ORGANISATION: ("kind", "source_id", "name", "org_role", "partner_type", "description",
                   "website", "phone", "email", "address", "postcode", "city", "lat", "lon", "kvk",
                   "area"),
    PERSON: ("kind", "source_id", "name", "job_title", "organisation", "phone", "email",
             "last_verified_on"),
    ACTIVITY: ("kind", "source_id", "name", "organisation", "description", "life_domains",
               "target_groups", "days", "start", "end", "cost", "referral_needed", "languages",
               "accessibility", "status", "website", "address", "postcode", "city", "lat", "lon",
               "area",
               "contact", "job_title", "phone", "email", "last_verified_on"),
}
SHEETS = ((ORGANISATION, "Organisaties"), (PERSON, "Personen"), (ACTIVITY, "Activiteiten"))
_KIND_WORDS = {ORGANISATION: "organisatie", PERSON: "persoon", ACTIVITY: "activiteit"}
# node property → field, where they differ
_FIELD_OF = {"role": "org_role", "start_time": "start", "end_time": "end", "url": "website",
             "schedule": "days"}


def _risky(text: str) -> bool:
    return text[:1] in ("\t", "\r") or text.lstrip(" \t\r\n")[:1] in _RISKY_START


def neutralise_cell(text: str) -> str:
    """A cell no spreadsheet runs as a formula: ``'`` before a risky start (and before a
    ``'`` that precedes one, so ``unquote_cell`` gives every text back as it was)."""
    return "'" + text if _risky(text.lstrip("'")) else text


def unquote_cell(text: str) -> str:
    """The text ``neutralise_cell`` was given (other text is returned as it is)."""
    return text[1:] if text.startswith("'") and _risky(text[1:].lstrip("'")) else text


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def _days(rule: str) -> str:
    """Weekdays as a user types them (``ma, do``), or the RRULE when days cannot say it."""
    try:
        days = rrule_days(rule)
        return ", ".join(days) if days and days_to_rrule(days) == rule else rule
    except ValueError:
        return rule


class _Links:
    """Names of the organisations, areas and contacts the exported nodes are linked to."""

    def __init__(self, directory: Directory, ids: list[str]) -> None:
        store = directory.store
        types = ["OFFERED_BY", "WORKS_AT", "CONTACT", "ACTIVE_IN", "IN_AREA"]
        edges = [e for e in store.edges_between(types, ids) if e.current]
        others = store.get_nodes({e.dst for e in edges})
        self.by_type: dict[tuple[str, str], list[Node]] = defaultdict(list)
        for edge in edges:
            if edge.dst in others:
                self.by_type[(edge.src, edge.type)].append(others[edge.dst])

    def names(self, node_id: str, type_: str) -> list[Node]:
        return sorted(self.by_type.get((node_id, type_), []), key=lambda n: (n.name, n.id))

    def areas(self, node_id: str) -> str:
        codes = [n.id for t in ("ACTIVE_IN", "IN_AREA") for n in self.names(node_id, t)]
        return ", ".join(sorted(codes))


def _own_cells(node: Node, include_contacts: bool) -> dict[str, str]:
    props = public_props(node, include_contacts)
    cells = {_FIELD_OF.get(k, k): _text(v) for k, v in props.items()}
    if node.kind == ACTIVITY:
        cells["name"] = _text(props.get("title"))
        cells["days"] = _days(str(props["schedule"])) if props.get("schedule") else ""
    return {**cells, "kind": _KIND_WORDS[node.kind], "source_id": node.id}


def _rows_of(node: Node, links: _Links, include_contacts: bool) -> list[dict[str, str]]:
    """One row per node; an activity gets a row per contact person (same Id)."""
    cells = _own_cells(node, include_contacts)
    if node.kind == ORGANISATION:
        return [cells | {"area": links.areas(node.id)}]
    if node.kind == PERSON:
        employers = links.names(node.id, "WORKS_AT")
        return [cells | {"organisation": employers[0].name if employers else ""}]
    offered_by = links.names(node.id, "OFFERED_BY")
    cells |= {"organisation": offered_by[0].name if offered_by else "",
              "area": links.areas(node.id)}
    contacts = links.names(node.id, "CONTACT")
    if not contacts:
        return [cells]
    rows = []
    for person in contacts:  # the phone and e-mail columns are the contact's then
        shown = public_props(person, include_contacts)
        rows.append(cells | {"contact": person.name, "job_title": _text(shown.get("job_title")),
                             "phone": _text(shown.get("phone")),
                             "email": _text(shown.get("email"))})
    return rows


def table_rows(directory: Directory, scope: ExportScope) -> dict[str, list[dict[str, str]]]:
    """The rows of each kind ({field: text}), in a stable order."""
    wanted = (ORGANISATION, PERSON, ACTIVITY)
    nodes = [n for n in scoped_nodes(directory, scope).values() if n.kind in wanted]
    links = _Links(directory, [n.id for n in nodes])
    rows: dict[str, list[dict[str, str]]] = {kind: [] for kind in wanted}
    for node in nodes:
        rows[node.kind] += _rows_of(node, links, scope.include_contacts)
    for kind, found in rows.items():
        columns = COLUMNS[kind]
        found.sort(key=lambda r: ([r.get(c, "") for c in columns if c != "source_id"],
                                  r["source_id"]))
    return rows


def _line(row: dict[str, str], columns: tuple[str, ...]) -> list[str]:
    return [neutralise_cell(row.get(column, "")) for column in columns]


def export_csv(directory: Directory, out: BinaryIO, scope: ExportScope) -> int:
    """Registry exporter for ``--format csv``: one ``;`` table, UTF-8 with a byte order mark
    (what Dutch Excel opens); the number of rows."""
    rows = table_rows(directory, scope)
    columns = tuple(dict.fromkeys(c for kind, _ in SHEETS for c in COLUMNS[kind]))
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS[c] for c in columns)
    count = 0
    for kind, _ in SHEETS:
        for row in rows[kind]:
            writer.writerow(_line(row, columns))
            count += 1
    out.write(text.getvalue().encode("utf-8-sig"))
    return count


def export_xlsx(directory: Directory, out: BinaryIO, scope: ExportScope) -> int:
    """Registry exporter for ``--format xlsx``: a sheet per kind; the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    rows = table_rows(directory, scope)
    workbook = Workbook(write_only=True)
    count = 0
    for kind, title in SHEETS:
        sheet = workbook.create_sheet(title)
        columns = COLUMNS[kind]
        names = {**HEADERS, "name": "Activiteit" if kind == ACTIVITY else "Naam"}
        sheet.append([names[c] for c in columns])
        for row in rows[kind]:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in _line(row, columns)])
            count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    out.write(buffer.getvalue())
    return count


# --- reading an exported workbook back (used by ``importers.spreadsheet``) ----------------


def _has_kind_column(table: Table) -> bool:
    return any(lookup_header(header) == "kind" for header in table.headers)


def kind_sheets(path: str | Path, first: Table, max_bytes: int) -> list[Table]:
    """The other sheets of a workbook that has a sheet per kind (each with a ``Soort``
    column, as ``export_xlsx`` writes it); [] for a CSV or an ordinary workbook."""
    if first.format != "xlsx" or not _has_kind_column(first):
        return []
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    names = [name for name in workbook.sheetnames if name != first.sheet]
    workbook.close()
    tables = []
    for name in names:
        try:
            table = read_table(path, "xlsx", name, max_bytes)
        except TableError:  # an empty or unreadable extra sheet is no sheet of kinds
            continue
        if _has_kind_column(table):
            tables.append(table)
    return tables


def label_sheet(records: list[Record], sheet: str | None) -> list[Record]:
    """Records whose column names say their sheet, so a rejected row is found."""
    for record in records:
        record.fields = {k: f"{sheet}: {v}" for k, v in record.fields.items()}
    return records
