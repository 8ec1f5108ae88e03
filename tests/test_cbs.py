"""CBS kerncijfers import (``--format cbs``): real extracts, hierarchy, re-import, mergers,
bad rows and unreadable files; a round trip of the CBS CSV layout (hypothesis).

Data: ``tests/data/cbs`` (extracts of ``shared/data/cbs``, see its SOURCES.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from area_import import CBS, Import, area, opened, parents
from area_import import rejections as rejected_lines
from hypothesis import given, settings
from hypothesis import strategies as st
from store_files import fingerprint

from directory.areas import retired_gemeenten
from directory.importing import load_records
from directory.model import AREA
from directory.service import Directory
from importers.cbs import parse_kerncijfers_csv, parse_kerncijfers_json
from importers.registry import detect_format, read_records

BAD = CBS / "bad"


# --- real extracts ------------------------------------------------------------------------------


def test_kerncijfers_json_builds_the_hierarchy_in_an_empty_store(directory: Directory) -> None:
    """On every backend: gemeenten and wijken by code, WITHIN edges, population and year."""
    read = read_records(CBS / "kerncijfers_2024_extract.json", "cbs")
    report = load_records(directory, read.records, format="cbs")
    assert report.rejected == [] and report.written
    assert report.created == 18
    nijmegen = directory.store.get_node("GM0268")
    assert nijmegen.props == {"code": "GM0268", "name": "Nijmegen", "level": "gemeente",
                              "population": 187049, "year": 2024}
    centrum = directory.store.get_node("WK026801")
    assert (centrum.name, centrum.props["level"], centrum.props["population"]) == (
        "Nijmegen-Centrum", "wijk", 12705)
    assert parents(directory, "WK026801") == ["GM0268"]
    assert parents(directory, "WK0363AA") == ["GM0363"]  # Amsterdam's lettered wijk codes
    assert parents(directory, "GM0268") == []
    _, inside = directory.area_closure("GM0268")
    assert len(inside) == 1 + 9  # Nijmegen and its nine wijken
    again = load_records(directory, read_records(CBS / "kerncijfers_2024_extract.json",
                                                 "cbs").records, format="cbs")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 18)


def test_reimport_over_the_national_areas_changes_nothing(run_import: Import,
                                                           areas_db: Path) -> None:
    before = fingerprint(areas_db)
    code, report, _ = run_import(CBS / "kerncijfers_2024_extract.json", "--format", "cbs")
    assert code == 0 and report["format"] == "cbs"
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 18)
    assert fingerprint(areas_db)[:2] == before[:2]


def test_format_is_detected_from_content(tmp_path: Path) -> None:
    for name in ("kerncijfers_2024_extract.json", "kerncijfers_2024_cbs_layout.csv",
                 "wijknamen_regio_2024.csv", "gemeente_2023_extract.geojson"):
        renamed = tmp_path / f"{name}.txt"  # the extension gives no hint
        renamed.write_bytes((CBS / name).read_bytes())
        assert detect_format(renamed) == "cbs", name


def test_cli_without_format(run_import: Import, areas_db: Path) -> None:
    code, report, _ = run_import(CBS / "kerncijfers_2024_cbs_layout.csv")
    assert code == 0 and report["format"] == "cbs" and report["written"]


def test_cbs_csv_layout_adds_buurten_within_their_wijk(run_import: Import, areas_db: Path) -> None:
    code, report, _ = run_import(CBS / "kerncijfers_2024_cbs_layout.csv", "--format", "cbs")
    assert code == 0, report
    assert report["created"] == 2  # the two buurten; gemeenten and wijken exist
    assert report["rejected"] == []
    buurt = area(areas_db, "BU02680101")
    assert buurt.props == {"code": "BU02680101", "name": "Buurt 01 van Nijmegen-Centrum",
                           "level": "buurt", "population": 3205, "year": 2024}
    assert "population" not in area(areas_db, "BU02680102").props  # CBS "." = unknown
    with opened(areas_db) as d:
        assert parents(d, "BU02680101") == ["WK026801"]
        assert parents(d, "WK026801") == ["GM0268"]
        _, inside = d.area_closure("Nijmegen")
    assert {"BU02680101", "BU02680102", "WK026801"} <= inside
    assert not any(code.startswith("NL") for code in inside)  # the "Nederland" row is skipped


def test_a_new_year_updates_population_in_place(run_import: Import, areas_db: Path,
                                                tmp_path: Path) -> None:
    data = json.loads((CBS / "kerncijfers_2024_extract.json").read_text())
    data["GM0268"]["AantalInwoners_5"] = 190001
    newer = tmp_path / "kerncijfers_2025_gemeente_wijk.json"
    newer.write_text(json.dumps(data), encoding="utf-8")
    code, report, _ = run_import(newer)
    assert code == 0 and report["created"] == 0
    assert report["updated"] == 18  # the year moves for every area, the population for one
    nijmegen = area(areas_db, "GM0268")
    assert (nijmegen.props["population"], nijmegen.props["year"]) == (190001, 2025)
    assert nijmegen.name == "Nijmegen" and nijmegen.version == 2
    assert area(areas_db, "WK026801").props["population"] == 12705
    with opened(areas_db) as d:
        assert parents(d, "WK026801") == ["GM0268"]  # no second WITHIN edge


def test_names_from_a_wijk_list_replace_fallback_names(run_import: Import, areas_db: Path) -> None:
    code, report, _ = run_import(CBS / "wijknamen_regio_2024.csv", "--format", "cbs")
    assert code == 0 and report["rejected"] == []
    assert area(areas_db, "WK020902").name == "Ewijk"


# --- mergers and bad rows -----------------------------------------------------------------------


def test_retired_gemeente_codes_are_reported_per_line(run_import: Import, areas_db: Path) -> None:
    before = fingerprint(areas_db)
    code, report, _ = run_import(BAD / "retired_gemeenten.csv", "--format", "cbs")
    assert code == 1 and not report["written"]
    lines = rejected_lines(report)
    assert set(lines) == {2}
    messages = " ".join(message for _, message in lines[2])
    assert "opgeheven gemeente GM0236 (Geldermalsen)" in messages
    assert "opgegaan in GM1960 (West Betuwe)" in messages
    assert {field for field, _ in lines[2]} <= {"wijkcode", "gemeentecode"}
    assert fingerprint(areas_db) == before


def test_skip_invalid_keeps_retired_codes_out(run_import: Import, areas_db: Path) -> None:
    code, report, _ = run_import(BAD / "retired_gemeenten.csv", "--skip-invalid")
    assert code == 0 and report["written"]
    with opened(areas_db) as d:
        assert d.store.get_nodes(["WK023601", "GM0236"]) == {}
        assert d.store.get_node("WK196001").kind == AREA


def test_bad_rows_name_line_field_and_reason(run_import: Import, areas_db: Path) -> None:
    before = fingerprint(areas_db)
    code, report, _ = run_import(BAD / "bad_rows.csv", "--format", "cbs")
    assert code == 1 and not report["written"]
    lines = rejected_lines(report)
    assert lines[2] == [("AantalInwoners_5", "inwonertal kan niet negatief zijn: -12")]
    assert lines[3][0][0] == "Codering_3" and "ongeldige CBS-code: 'WK99X'" in lines[3][0][1]
    assert lines[4][0][0] == "Codering_3" and "onbekende gemeente GM9999" in lines[4][0][1]
    assert lines[5][0][0] == "SoortRegio_2" and "past niet bij code WK026802" in lines[5][0][1]
    assert 6 not in lines
    assert fingerprint(areas_db) == before


def test_dry_run_writes_nothing(run_import: Import, areas_db: Path) -> None:
    before = fingerprint(areas_db)
    code, report, _ = run_import(CBS / "kerncijfers_2024_cbs_layout.csv", "--dry-run")
    assert code == 0 and report["created"] == 2 and not report["written"]
    assert fingerprint(areas_db) == before


@pytest.mark.parametrize("name, fragment", [
    ("truncated.json", "geen geldige JSON"),
    ("empty.json", "bestand is leeg"),
    ("binary.json", "binaire inhoud"),
    ("contacts.vcf", "geen CBS-bestand"),
])
def test_unreadable_files_exit_1_with_one_line(run_import: Import, areas_db: Path, name: str,
                                               fragment: str) -> None:
    before = fingerprint(areas_db)
    code, report, err = run_import(BAD / name, "--format", "cbs")
    assert code == 1 and report == {}
    assert err.count("\n") == 1 and err.startswith("fout: ") and fragment in err, err
    assert "Traceback" not in err
    assert fingerprint(areas_db) == before


# --- parse → write → parse ----------------------------------------------------------------------

_HEADER = ("ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3",
           "AantalInwoners_5")
_KINDS = {"GM": "Gemeente", "WK": "Wijk", "BU": "Buurt"}
_RETIRED = retired_gemeenten()  # merged-away codes are refused (tested above)
_names = st.text(st.characters(categories=("L", "N"), include_characters=" -'éë"),
                 min_size=1, max_size=30).map(str.strip).filter(
    lambda name: bool(name) and name[:2].upper() not in ("GM", "WK", "BU"))


@st.composite
def _areas(draw: st.DrawFn) -> list[tuple[str, str, int | None]]:
    """A gemeente with wijken and buurten: (code, name, population or None)."""
    gm = draw(st.integers(1, 9999).filter(lambda n: f"GM{n:04d}" not in _RETIRED))
    found = [(f"GM{gm:04d}", draw(_names), draw(st.none() | st.integers(0, 10**6)))]
    for wk in draw(st.sets(st.integers(0, 99), max_size=4)):
        found.append((f"WK{gm:04d}{wk:02d}", draw(_names), draw(st.integers(0, 10**5))))
        for bu in draw(st.sets(st.integers(0, 99), max_size=3)):
            found.append((f"BU{gm:04d}{wk:02d}{bu:02d}", draw(_names),
                          draw(st.none() | st.integers(0, 10**4))))
    return found


def _cbs_csv(areas: list[tuple[str, str, int | None]]) -> str:
    """The CBS open-data layout: quoted cells, codes and names padded, "." for unknown."""
    gemeente = areas[0][1]
    lines = [";".join(f'"{h}"' for h in _HEADER)]
    for number, (code, name, population) in enumerate(areas):
        cells = (str(number), name, gemeente.ljust(40), _KINDS[code[:2]].ljust(10),
                 code.ljust(10), "." if population is None else str(population))
        lines.append(";".join(f'"{c}"' for c in cells))
    return "\r\n".join(lines) + "\r\n"


@settings(max_examples=60, deadline=None)
@given(_areas(), st.integers(2000, 2030))
def test_cbs_csv_round_trip(areas: list[tuple[str, str, int | None]], year: int) -> None:
    records = parse_kerncijfers_csv(_cbs_csv(areas), year)
    assert all(r.problem is None for r in records)
    parsed = [(r.props["code"], r.props["name"], r.props.get("population")) for r in records]
    assert sorted(parsed) == sorted((c, n, None if p is None else str(p))
                                    for c, n, p in areas)
    assert all(r.props["year"] == year for r in records)
    again = parse_kerncijfers_csv(_cbs_csv([(r.props["code"], r.props["name"],
                                             r.props.get("population")) for r in records]),
                                  year)
    assert [r.props for r in again] == [r.props for r in records]


def test_json_keyed_by_code_and_list_of_rows_agree() -> None:
    keyed = parse_kerncijfers_json(json.dumps({"GM0268": {"AantalInwoners_5": 5},
                                               "WK026801": {"AantalInwoners_5": 3}}), 2024)
    rows = parse_kerncijfers_json(json.dumps({"value": [
        {"WijkenEnBuurten": "WK026801  ", "SoortRegio_2": "Wijk      ", "AantalInwoners_5": 3},
        {"WijkenEnBuurten": "GM0268    ", "SoortRegio_2": "Gemeente  ", "AantalInwoners_5": 5},
    ]}), 2024)
    assert [(r.props, r.areas) for r in keyed] == [(r.props, r.areas) for r in rows]
    assert [r.props["code"] for r in rows] == ["GM0268", "WK026801"]  # parents first
