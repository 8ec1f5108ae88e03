"""CBS area codes in import files: one area record per code, with its parent and the
mergers check, shared by the kerncijfers (JSON/CSV) and GeoJSON readers.

A code of a gemeente that was merged away (``GM0236`` Geldermalsen, in
``directory/data/retired_gemeenten.csv``) is never mixed into today's areas: the record
is rejected with the gemeente it merged into, so the user can re-import current data.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from importlib.resources import files
from typing import Any

from directory import areas
from directory.errors import Detail
from directory.importing import Record
from directory.model import AREA
from directory.validation import area_level, normalise_area_code, parent_code

__all__ = ["SOURCE", "LEVEL_ORDER", "area_record", "retired_reason", "year_in", "sort_areas"]

SOURCE = "cbs"
LEVEL_ORDER = {"gemeente": 0, "wijk": 1, "buurt": 2}
_PARENT_LEVEL = {"wijk": "gemeente", "buurt": "wijk"}


@lru_cache(maxsize=1)
def _retired_names() -> dict[str, tuple[str, str, str]]:
    """old code → (old name, new code, new name)."""
    text = files("directory").joinpath("data", "retired_gemeenten.csv").read_text("utf-8")
    return {row["old_code"]: (row["old_name"], row["new_code"], row["new_name"])
            for row in csv.DictReader(io.StringIO(text))}


def retired_reason(code: str) -> str | None:
    """Why a code (GM/WK/BU) belongs to a merged-away gemeente, or None when it does not."""
    gemeente = "GM" + code[2:6]
    if areas.current_gemeente_code(gemeente) == gemeente:
        return None
    old_name, new_code, new_name = _retired_names().get(
        gemeente, ("", areas.current_gemeente_code(gemeente), ""))
    old = f"{gemeente} ({old_name})" if old_name else gemeente
    new = f"{new_code} ({new_name})" if new_name else new_code
    return (f"{code} hoort bij de opgeheven gemeente {old}, opgegaan in {new}; "
            "gebruik de gebiedsindeling van na de fusie")


def year_in(text: str) -> int | None:
    """A year (1990–2099) named in a file name or a CBS period such as ``2024JJ00``."""
    match = re.search(r"(?<!\d)(199\d|20\d\d)(?!\d)", text) or re.match(r"(199\d|20\d\d)", text)
    return int(match[1]) if match else None


def area_record(line: int, raw_code: str, props: dict[str, Any],
                fields: dict[str, str]) -> Record:
    """The record of one area: its code checked, its parent (by code) named.

    ``fields`` maps property → the file's own field name for messages; ``props`` holds
    the other properties (name, population, year, geometry) as the file gave them.
    """
    column = fields.get("code", "code")
    try:
        code = normalise_area_code(raw_code)
    except ValueError as exc:
        return Record(line, AREA, {"code": raw_code, **props}, source=SOURCE,
                      problem=Detail(column, str(exc), line))
    record = Record(line, AREA, {"code": code, **props}, source=SOURCE, source_id=code,
                    fields=dict(fields))
    reason = retired_reason(code)
    if reason:
        record.problem = Detail(column, reason, line)
    parent = parent_code(code)
    if parent:
        record.areas = [(parent, _PARENT_LEVEL[area_level(code)])]
    return record


def sort_areas(records: list[Record]) -> list[Record]:
    """Gemeenten first, then wijken, then buurten (file order within a level), so that
    every parent is planned before the areas within it."""
    def key(record: Record) -> int:
        code = str(record.props.get("code", ""))
        try:
            return LEVEL_ORDER[area_level(code)]
        except ValueError:
            return 0
    return sorted(records, key=key)
