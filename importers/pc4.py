"""Postcode (PC4) tables → which four-digit postcodes lie in which gemeente (and wijk).

Understood layouts:

* the GeoNames NL postal-code dump (tab-separated, no header: ``NL``, PC4, place,
  province, province code, gemeente name, gemeente digits, -, -, lat, lon[, accuracy]);
* a simple table with a header, ``postcode;plaats;gemeente;lat;lon`` (``;`` or ``,``),
  optionally with a ``wijk`` column (CBS code) when the user knows the wijk of a PC4.

What it updates: the ``postcodes`` property (sorted PC4 list) of each gemeente and wijk
named, matched by CBS code. That is what a kwartiermaker asks ("which postcodes are my
wijk?") and what stays true in the store. The PC4 centroids used by ``search --near`` and
the postcode → gemeente derivation remain the national package table
(``directory/data/postcodes_pc4.csv``, built from this same GeoNames source); a PC4 whose
gemeente here differs from that table is reported in the notes. A retired gemeente code
(merger) is never stored: the PC4 goes to the gemeente it lies in today (package table,
else the merger successor) and every retired code is reported with where its PC4s went.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from directory import areas
from directory.errors import Detail
from directory.importing import Record
from directory.model import AREA
from directory.text import fold
from directory.validation import normalise_area_code, parse_float, postcode_pc4
from importers.areacodes import SOURCE, retired_reason
from importers.tabular import Row, decode_bytes, parse_csv

if TYPE_CHECKING:
    from importers.registry import ReadOptions, ReadResult

__all__ = ["parse_pc4", "parse_geonames", "parse_pc4_table", "read_pc4", "sniff_pc4"]

_HEADERS = {"postcode": "postcode", "pc4": "postcode", "pc": "postcode", "plaats": "place",
            "woonplaats": "place", "place": "place", "gemeente": "gemeente",
            "gemeentecode": "gemeente", "wijk": "wijk", "wijkcode": "wijk", "lat": "lat",
            "latitude": "lat", "breedte": "lat", "lon": "lon", "lng": "lon",
            "longitude": "lon", "lengte": "lon"}
_GEONAMES_LINE = re.compile(r"^NL\t\d{4}\t")
# a generous box around the Netherlands (WGS84)
_LAT, _LON = (50.6, 53.7), (3.2, 7.3)


class _Collector:
    """PC4s per area code, the first line of each area, and what to tell the user."""

    def __init__(self) -> None:
        self.codes: dict[str, set[str]] = defaultdict(set)
        self.first: dict[str, int] = {}
        self.problems: list[Record] = []
        self.retired: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        self.differs: list[str] = []

    def reject(self, line: int, field: str, message: str) -> None:
        self.problems.append(Record(line, AREA, {}, source=SOURCE,
                                    problem=Detail(field, message, line)))

    def add(self, line: int, code: str, pc4: str) -> None:
        self.codes[code].add(pc4)
        self.first.setdefault(code, line)

    def records(self) -> list[Record]:
        found = [Record(self.first[code], AREA, {"code": code, "postcodes": sorted(pc4s)},
                        source=SOURCE, source_id=code, fields={"postcodes": "postcode"})
                 for code, pc4s in self.codes.items()]
        return sorted(self.problems + found, key=lambda r: r.line)

    def notes(self) -> list[str]:
        notes = []
        for old, moved in sorted(self.retired.items()):
            targets = sorted({new for _, _, new in moved})
            lines = f"regels {moved[0][0]}–{moved[-1][0]}" if len(moved) > 1 else \
                f"regel {moved[0][0]}"
            notes.append(f"{old} is een opgeheven gemeentecode: {len(moved)} postcode(s) "
                         f"({lines}) zijn toegewezen aan de huidige gemeente "
                         f"{', '.join(targets)}")
        if self.differs:
            shown = ", ".join(self.differs[:10]) + (" …" if len(self.differs) > 10 else "")
            notes.append(f"{len(self.differs)} postcode(s) liggen volgens dit bestand in een "
                         f"andere gemeente dan volgens de landelijke tabel: {shown}")
        return notes


def _gemeente_code(text: str) -> str | None:
    value = text.strip().upper()
    if value.isdigit() and len(value) <= 4:
        return "GM" + value.zfill(4)
    try:
        code = normalise_area_code(value)
    except ValueError:
        matches = [a.code for a in areas.national_areas()
                   if a.level == "gemeente" and fold(a.name) == fold(text)]
        return matches[0] if len(matches) == 1 else None
    return code if code.startswith("GM") else None


def _coordinate(value: str, bounds: tuple[float, float], what: str) -> str | None:
    """None when fine (or empty), else why not."""
    if not value.strip():
        return None
    try:
        number = parse_float(value)
    except ValueError as exc:
        return str(exc)
    if not bounds[0] <= number <= bounds[1]:
        return f"{what} {number} ligt niet in Nederland ({bounds[0]}–{bounds[1]})"
    return None


def _add_row(into: _Collector, line: int, cells: dict[str, str], columns: dict[str, str]) -> None:
    try:
        pc4 = postcode_pc4(cells.get("postcode", ""))
    except ValueError as exc:
        return into.reject(line, columns.get("postcode", "postcode"), str(exc))
    for key, bounds, what in (("lat", _LAT, "breedtegraad"), ("lon", _LON, "lengtegraad")):
        reason = _coordinate(cells.get(key, ""), bounds, what)
        if reason:
            return into.reject(line, columns.get(key, key), reason)
    raw = cells.get("gemeente", "")
    code = _gemeente_code(raw)
    if code is None:
        return into.reject(line, columns.get("gemeente", "gemeente"),
                           f"onbekende gemeente '{raw}' (verwacht een CBS-code zoals GM0268)")
    if retired_reason(code):
        info = areas.postcode_info(pc4)
        current = info.gemeente if info else areas.current_gemeente_code(code)
        into.retired[code].append((line, pc4, current))
        code = current
    elif (info := areas.postcode_info(pc4)) is not None and info.gemeente != code:
        into.differs.append(f"{pc4} ({code}, landelijk {info.gemeente})")
    into.add(line, code, pc4)
    if cells.get("wijk", "").strip():
        _add_wijk(into, line, pc4, cells["wijk"], columns.get("wijk", "wijk"))
    return None


def _add_wijk(into: _Collector, line: int, pc4: str, raw: str, column: str) -> None:
    try:
        wijk = normalise_area_code(raw)
    except ValueError as exc:
        return into.reject(line, column, str(exc))
    if not wijk.startswith("WK"):
        return into.reject(line, column, f"'{raw}' is geen wijkcode (verwacht WK026801)")
    reason = retired_reason(wijk)
    if reason:
        return into.reject(line, column, reason)
    into.add(line, wijk, pc4)
    return None


def parse_geonames(text: str) -> tuple[list[Record], list[str]]:
    """Records and notes from the GeoNames NL dump; pure."""
    into = _Collector()
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        parts = raw.split("\t")
        if len(parts) < 11 or parts[0] != "NL":
            into.reject(line, "regel", f"verwacht 11 kolommen gescheiden door tabs (NL, "
                                       f"postcode, plaats, …), niet {len(parts)}")
            continue
        cells = {"postcode": parts[1], "place": parts[2], "gemeente": parts[6],
                 "lat": parts[9], "lon": parts[10]}
        _add_row(into, line, cells, {"postcode": "postcode (kolom 2)",
                                     "gemeente": "gemeentecode (kolom 7)",
                                     "lat": "lat (kolom 10)", "lon": "lon (kolom 11)"})
    return into.records(), into.notes()


def parse_pc4_table(rows: list[Row], headers: list[str]) -> tuple[list[Record], list[str]]:
    """Records and notes from a table with ``postcode`` and ``gemeente`` columns; pure."""
    columns = {_HEADERS[fold(h).replace(" ", "")]: h for h in headers
               if fold(h).replace(" ", "") in _HEADERS}
    missing = [name for name in ("postcode", "gemeente") if name not in columns]
    if missing:
        raise ValueError(f"geen postcodetabel: kolom {' en '.join(missing)} ontbreekt "
                         "(verwacht postcode;plaats;gemeente;lat;lon)")
    into = _Collector()
    for row in rows:
        cells = {key: row.cells.get(header, "") for key, header in columns.items()}
        _add_row(into, row.line, cells, columns)
    return into.records(), into.notes()


def parse_pc4(text: str) -> tuple[list[Record], list[str]]:
    """Records and notes from either layout, chosen by content; pure."""
    text = text.removeprefix("\ufeff")
    if _GEONAMES_LINE.match(text):
        return parse_geonames(text)
    table = parse_csv(text)
    return parse_pc4_table(table.rows, table.headers)


def read_pc4(path: Path, options: ReadOptions) -> ReadResult:
    """Read a PC4 table into area records (``postcodes`` per gemeente/wijk)."""
    from importers.registry import ReadResult

    text, _ = decode_bytes(path.read_bytes())
    records, notes = parse_pc4(text)
    return ReadResult("pc4", records, notes=notes)


def sniff_pc4(head: bytes, path: Path) -> bool:
    """The GeoNames NL dump, or a table whose header has postcode and gemeente columns."""
    if path.is_dir():
        return False
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if _GEONAMES_LINE.match(text):
        return True
    first = fold(text.split("\n", 1)[0])
    cells = {re.sub(r"[^a-z0-9]", "", cell) for cell in re.split(r"[;,\t]", first)}
    return bool(cells & {"postcode", "pc4"}) and bool(cells & {"gemeente", "gemeentecode"}) \
        and not cells & {"activiteit", "organisatie", "naam", "titel", "name", "title"}
