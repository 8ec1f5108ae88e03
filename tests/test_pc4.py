"""Postcode tables (``--format pc4``): which PC4s lie in which gemeente and wijk, stored on
the areas; retired gemeente codes in GeoNames go to today's gemeente and are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from area_import import PC4, Import, area
from area_import import rejections as rejected_lines
from store_files import fingerprint

from directory.errors import NotFound
from directory.importing import load_records
from directory.service import Directory
from importers.pc4 import parse_pc4
from importers.registry import detect_format

BAD = PC4 / "bad"


def test_geonames_extract_sets_postcodes_per_gemeente(run_import: Import, areas_db: Path) -> None:
    code, report, _ = run_import(PC4 / "geonames_NL_pc4_extract.tsv")
    assert code == 0 and report["format"] == "pc4" and report["rejected"] == []
    assert report["updated"] == 4  # Beuningen, Nijmegen, and where Geldermalsen went
    nijmegen = area(areas_db, "GM0268").props
    assert nijmegen["postcodes"][:3] == ["6511", "6512", "6515"] and len(
        nijmegen["postcodes"]) == 24
    assert nijmegen["population"] == 187049  # the rest of the area is kept
    assert area(areas_db, "GM0209").props["postcodes"] == ["6551", "6641", "6642", "6644", "6645"]
    again = run_import(PC4 / "geonames_NL_pc4_extract.tsv")[1]
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 4)


def test_retired_gemeente_codes_go_to_todays_gemeente_and_are_reported(
        run_import: Import, areas_db: Path) -> None:
    """Geldermalsen (GM0236) merged into West Betuwe (GM1960); one of its PC4s (4197) lies
    in Buren (GM0214) today. Nothing is stored under the retired code."""
    code, report, _ = run_import(PC4 / "geonames_NL_pc4_extract.tsv", "--format", "pc4")
    assert code == 0
    assert report["notes"][0].startswith("GM0236 is een opgeheven gemeentecode: 11 "
                                         "postcode(s) (regels 6–16)")
    assert "GM0214, GM1960" in report["notes"][0]
    assert "4152" in area(areas_db, "GM1960").props["postcodes"]
    assert area(areas_db, "GM0214").props["postcodes"] == ["4197"]
    with pytest.raises(NotFound, match="GM0236"):
        area(areas_db, "GM0236")


def test_simple_table_with_wijken(run_import: Import, areas_db: Path) -> None:
    code, report, _ = run_import(PC4 / "postcodes_wijken.csv")
    assert code == 0 and report["format"] == "pc4" and report["rejected"] == []
    assert area(areas_db, "WK026801").props["postcodes"] == ["6511", "6512"]
    assert area(areas_db, "WK026802").props["postcodes"] == ["6522"]
    assert area(areas_db, "GM0268").props["postcodes"] == ["6511", "6512", "6522"]
    assert area(areas_db, "GM0209").props["postcodes"] == ["6641"]  # "0209" is GM0209


def test_bad_rows_are_refused_with_line_and_reason(run_import: Import, areas_db: Path) -> None:
    before = fingerprint(areas_db)
    code, report, _ = run_import(BAD / "bad_postcodes.csv", "--format", "pc4")
    assert code == 1 and not report["written"]
    lines = rejected_lines(report)
    assert set(lines) == {3, 4, 5}
    assert lines[3] == [("postcode", "ongeldige postcode: '65A1' (verwacht 6525 of 6525 AB)")]
    assert lines[4] == [("lat", "breedtegraad 151.84 ligt niet in Nederland (50.6–53.7)")]
    assert lines[5][0][0] == "gemeente" and "onbekende gemeente 'Nergenshuizen'" in lines[5][0][1]
    assert fingerprint(areas_db) == before


def test_postcodes_never_create_an_area(directory: Directory) -> None:
    """On every backend: without the areas (no ``init``) a postcode list is refused."""
    records, _ = parse_pc4("postcode;gemeente\n6511;GM0268\n")
    report = load_records(directory, records, format="pc4")
    assert not report.written and report.created == 0
    assert report.rejected[0].line == 2 and "onbekend gebied GM0268" in report.rejected[0].message
    assert directory.store.get_nodes(["GM0268"]) == {}


def test_detection_and_wrong_files(run_import: Import, tmp_path: Path) -> None:
    for name in ("geonames_NL_pc4_extract.tsv", "postcodes_wijken.csv"):
        renamed = tmp_path / f"{name}.dat"
        renamed.write_bytes((PC4 / name).read_bytes())
        assert detect_format(renamed) == "pc4", name
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Activiteit;Dag\nKoffie;ma\n", encoding="utf-8")
    code, report, err = run_import(wrong, "--format", "pc4")
    assert code == 1 and report == {} and "geen postcodetabel" in err
    empty = tmp_path / "leeg.tsv"
    empty.write_bytes(b"")
    assert "bestand is leeg" in run_import(empty, "--format", "pc4")[2]
    binary = tmp_path / "plaatje.tsv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binaire inhoud" in run_import(binary, "--format", "pc4")[2]


def test_notes_name_postcodes_placed_differently_than_the_national_table(
        run_import: Import, tmp_path: Path) -> None:
    moved = tmp_path / "verschoven.csv"
    moved.write_text("postcode;gemeente\n6511;GM0209\n", encoding="utf-8")
    code, report, _ = run_import(moved)
    assert code == 0
    assert report["notes"] == ["1 postcode(s) liggen volgens dit bestand in een andere "
                               "gemeente dan volgens de landelijke tabel: 6511 (GM0209, "
                               "landelijk GM0268)"]
    assert json.dumps(report).count("6511") == 1
