"""CBS "Kerncijfers wijken en buurten" import (JSON or the CBS CSV layout) → area records.

Understood layouts:

* JSON keyed by CBS code, ``{"GM0268": {"AantalInwoners_5": 179073, ...}, ...}``;
  also a list of row objects or an OData ``{"value": [...]}`` with the CSV's columns;
* the CBS open-data CSV (``;``): ``WijkenEnBuurten``, ``Gemeentenaam_1``,
  ``SoortRegio_2``, ``Codering_3``, ``AantalInwoners_5`` (CBS pads codes and names with
  spaces and writes ``.`` for an unknown number);
* simple code/name lists such as ``wijkcode,wijknaam,gemeentecode,gemeentenaam``.

Areas are keyed by CBS code only; the year comes from a ``Perioden``/``jaar`` column or
from the file name (``kerncijfers_2024_...``). A GeoJSON FeatureCollection given as
``--format cbs`` goes to :mod:`importers.geojson`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from directory.errors import Detail
from directory.importing import Record
from directory.model import AREA
from directory.text import fold
from directory.validation import area_level, normalise_area_code
from importers.areacodes import SOURCE, area_record, sort_areas, year_in
from importers.tabular import Row, decode_bytes, parse_csv

if TYPE_CHECKING:
    from importers.registry import ReadOptions, ReadResult

__all__ = ["parse_kerncijfers_json", "parse_kerncijfers_csv", "parse_rows", "read_cbs",
           "sniff_cbs", "json_error"]

# folded column name (CBS "_N" suffix dropped) → role
_CODE_COLUMNS = ("codering", "regiocode", "statcode", "code", "buurtcode", "wijkcode",
                 "gemeentecode", "wijkenenbuurten")
_NAME_COLUMNS = {"gemeente": ("gemeentenaam",), "wijk": ("wijknaam",), "buurt": ("buurtnaam",)}
_GENERIC_NAMES = ("statnaam", "naam", "regionaam", "name", "wijkenenbuurten")
_POPULATION = ("aantalinwoners", "inwoners", "bevolking", "population")
_YEAR = ("perioden", "jaar", "peiljaar", "year")
_KIND = "soortregio"
_SNIFF_WORDS = ("wijkenenbuurten", "codering", "soortregio", "aantalinwoners", "wijkcode",
                "buurtcode", "gemeentecode")
_KIND_WORDS = {"gemeente": "gemeente", "wijk": "wijk", "buurt": "buurt", "land": "land"}
_CODE_KEY = re.compile(r'^\s*"((?:GM|WK|BU)\d{4}[0-9A-Z]{0,4})"\s*:', re.MULTILINE)
_UNKNOWN = {"", ".", "-", "x", "?"}


def _column_key(header: str) -> str:
    """``AantalInwoners_5`` → ``aantalinwoners``; ``Gemeentenaam_1`` → ``gemeentenaam``."""
    return re.sub(r"[^0-9a-z]", "", fold(re.sub(r"_\d+$", "", header.strip())))


def _looks_like_code(value: str) -> bool:
    try:
        normalise_area_code(value)
    except ValueError:
        return False
    return True


def _pick_code(cells: dict[str, str]) -> tuple[str, str] | None:
    """(column, code) of the row's own area: the most specific code column present."""
    found = [(col, cells[col]) for col in _CODE_COLUMNS if cells.get(col, "").strip()]
    codes = [(col, value) for col, value in found if _looks_like_code(value)]
    if codes:
        return max(codes, key=lambda item: len(item[1].strip()))
    return found[0] if found else None


def _name(cells: dict[str, str], level: str | None) -> tuple[str, str] | None:
    columns = (*_NAME_COLUMNS.get(level or "", ()), *_GENERIC_NAMES)
    for column in columns:
        value = cells.get(column, "").strip()
        if value and not _looks_like_code(value):
            return column, value
    return None


def _row_records(line: int, cells: dict[str, str], headers: dict[str, str],
                 year: int | None) -> list[Record]:
    """The area of one row, plus its gemeente when the row names that too."""
    picked = _pick_code(cells)
    if picked is None:
        return [Record(line, AREA, {}, source=SOURCE, problem=Detail(
            headers.get("codering", "code"), "CBS-code ontbreekt", line))]
    column, raw = picked
    stated = _KIND_WORDS.get(fold(cells.get(_KIND, "").strip()))
    if stated == "land":
        return []  # the "Nederland" total row
    level = area_level(raw) if _looks_like_code(raw) else None
    props: dict[str, Any] = {}
    fields = {"code": headers.get(column, column)}
    named = _name(cells, level)
    if named:
        props["name"] = named[1]
        fields["name"] = headers.get(named[0], named[0])
    for col in _POPULATION:
        if col in cells:
            value = cells[col].strip()
            props["population"] = None if value in _UNKNOWN else value
            fields["population"] = headers.get(col, col)
            break
    row_year = next((year_in(cells[c]) for c in _YEAR if cells.get(c, "").strip()), None)
    if row_year or year:
        props["year"] = row_year or year
    record = area_record(line, raw, props, fields)
    if stated and level and stated != level and record.problem is None:
        record.problem = Detail(headers.get(_KIND, _KIND), f"soort regio '{stated}' past "
                                f"niet bij code {raw.strip()} ({level})", line)
    return [*_gemeente_of(line, cells, headers, level), record]


def _gemeente_of(line: int, cells: dict[str, str], headers: dict[str, str],
                 level: str | None) -> list[Record]:
    """A gemeente named on a wijk/buurt row (``gemeentecode``+``gemeentenaam``)."""
    code, name = cells.get("gemeentecode", "").strip(), cells.get("gemeentenaam", "").strip()
    if level in (None, "gemeente") or not code or not name:
        return []
    return [area_record(line, code, {"name": name}, {"code": headers["gemeentecode"],
                                                     "name": headers["gemeentenaam"]})]


def parse_rows(rows: list[Row], headers: list[str], year: int | None = None) -> list[Record]:
    """Area records from table rows (parents first); pure."""
    by_key = {_column_key(h): h for h in headers}
    if not any(col in by_key for col in _CODE_COLUMNS):
        raise ValueError("geen CBS-bestand: geen kolom met een CBS-code (verwacht bijvoorbeeld "
                         "WijkenEnBuurten, Codering_3, wijkcode of statcode)")
    records: list[Record] = []
    seen: set[str] = set()
    for row in rows:
        cells = {_column_key(h): v for h, v in row.cells.items()}
        for record in _row_records(row.line, cells, by_key, year):
            key = str(record.props.get("code")) if record.problem is None else ""
            if key and key in seen and set(record.props) <= {"code", "name"}:
                continue  # the same gemeente named on each of its wijk rows
            seen.add(key)
            records.append(record)
    return sort_areas(records)


def parse_kerncijfers_csv(text: str, year: int | None = None) -> list[Record]:
    """Area records from the CBS CSV layout (``;`` or ``,``); pure."""
    table = parse_csv(text)
    return parse_rows(table.rows, table.headers, year)


def json_error(exc: json.JSONDecodeError) -> ValueError:
    return ValueError(f"geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}: {exc.msg}; "
                      "is het bestand afgebroken?)")


def _json_rows(items: list[Any]) -> tuple[list[Row], list[str]]:
    headers: dict[str, None] = {}
    rows: list[Row] = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise ValueError(f"item {number} is geen object met kolommen")
        cells = {str(k): "" if v is None else str(v) for k, v in item.items()}
        headers.update(dict.fromkeys(cells))
        rows.append(Row(number, cells))
    return rows, list(headers)


def parse_kerncijfers_json(text: str, year: int | None = None) -> list[Record]:
    """Area records from kerncijfers JSON (keyed by code, or a list of rows); pure."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise json_error(exc) from None
    if isinstance(data, dict) and isinstance(data.get("value"), list):
        data = data["value"]
    if isinstance(data, list):
        return parse_rows(*_json_rows(data), year=year)
    if not isinstance(data, dict) or not data:
        raise ValueError("geen CBS-kerncijfers: verwacht een object met CBS-codes als sleutels")
    lines = {m[1]: text.count("\n", 0, m.start()) + 1 for m in _CODE_KEY.finditer(text)}
    rows = []
    for number, (code, stats) in enumerate(data.items(), 1):
        if not isinstance(stats, dict):
            raise ValueError(f"'{code}': verwacht een object met kerncijfers")
        cells = {"Codering": code, **{str(k): "" if v is None else str(v)
                                      for k, v in stats.items()}}
        rows.append(Row(lines.get(code, number), cells))
    headers = list(dict.fromkeys(h for row in rows for h in row.cells))
    return parse_rows(rows, headers, year)


def _is_geojson(text: str) -> bool:
    return bool(re.match(r'\s*\{[^{}]*"type"\s*:\s*"FeatureCollection"', text)
                or '"FeatureCollection"' in text[:4096])


def read_cbs(path: Path, options: ReadOptions) -> ReadResult:
    """Read kerncijfers JSON/CSV or a wijk/buurt/gemeente GeoJSON into area records."""
    from importers.registry import ReadResult

    text, _ = decode_bytes(path.read_bytes())
    text = text.removeprefix("\ufeff")
    year = year_in(path.name)
    if text.lstrip().startswith(("{", "[")):
        if _is_geojson(text):
            from importers.geojson import parse_geojson
            return ReadResult("cbs", parse_geojson(text), unit="feature")
        return ReadResult("cbs", parse_kerncijfers_json(text, year))
    return ReadResult("cbs", parse_kerncijfers_csv(text, year))


def sniff_cbs(head: bytes, path: Path) -> bool:
    """Kerncijfers JSON keyed by CBS codes, a CBS CSV header, or a GeoJSON of areas."""
    if path.is_dir():
        return False
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        if '"FeatureCollection"' in text[:4096]:
            return bool(re.search(r'"(statcode|gemeentecode|wijkcode|buurtcode)"', text))
        return bool(re.match(r'\{\s*"(GM|WK|BU)\d{4}', text)) or "WijkenEnBuurten" in text
    first = text.split("\n", 1)[0]
    keys = {_column_key(cell.strip('" ')) for cell in re.split(r"[;,\t]", first)}
    return any(word in keys for word in _SNIFF_WORDS)
