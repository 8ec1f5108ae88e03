"""Area boundaries from GeoJSON (part of ``--format cbs``): real gemeente outlines are stored
compactly on the matching area; broken geometry is refused per feature with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from area_import import CBS, Import, area, opened
from area_import import rejections as rejected_features
from store_files import fingerprint

from directory.errors import ValidationError
from directory.geometry import MAX_GEOMETRY_CHARS, bbox, clean_geometry
from directory.importing import load_records
from directory.records import clean_props
from directory.service import Directory
from importers.geojson import parse_geojson
from importers.registry import read_records

BAD = CBS / "bad"


def test_gemeente_boundaries_attach_to_the_areas(run_import: Import, areas_db: Path) -> None:
    code, report, _ = run_import(CBS / "gemeente_2023_extract.geojson")
    assert code == 0 and report["format"] == "cbs" and report["rejected"] == []
    assert (report["created"], report["updated"]) == (0, 3)
    nijmegen = area(areas_db, "GM0268")
    shape = json.loads(nijmegen.props["geometry"])
    assert shape["type"] == "Polygon"
    min_lon, min_lat, max_lon, max_lat = bbox(nijmegen.props["geometry"])
    assert 5.7 < min_lon < max_lon < 6.0 and 51.7 < min_lat < max_lat < 51.9
    assert nijmegen.props["population"] == 187049  # the rest of the area is kept
    assert nijmegen.name == "Nijmegen"
    again = run_import(CBS / "gemeente_2023_extract.geojson")[1]
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)


def test_a_self_crossing_generalised_outline_is_repaired(run_import: Import,
                                                         areas_db: Path) -> None:
    """GM0293 Westervoort crosses itself in the generalised CBS map; it is made valid."""
    code, report, _ = run_import(CBS / "gemeente_2023_extract.geojson", "--format", "cbs")
    assert code == 0
    stored = area(areas_db, "GM0293").props["geometry"]
    assert json.loads(stored)["type"] in ("Polygon", "MultiPolygon")
    assert clean_geometry(stored) == stored  # valid as stored: cleaning it changes nothing


def test_boundaries_on_every_backend(directory: Directory) -> None:
    """An empty store: the features create their gemeenten, with name and geometry."""
    read = read_records(CBS / "gemeente_2023_extract.geojson", "cbs")
    report = load_records(directory, read.records, format="cbs")
    assert report.rejected == [] and report.created == 3
    beuningen = directory.store.get_node("GM0209")
    assert beuningen.name == "Beuningen" and beuningen.props["level"] == "gemeente"
    assert json.loads(beuningen.props["geometry"])["type"] == "Polygon"


def test_invalid_geometries_are_refused_per_feature(run_import: Import, areas_db: Path) -> None:
    before = fingerprint(areas_db)
    code, report, _ = run_import(BAD / "invalid_geometries.geojson", "--format", "cbs")
    assert code == 1 and not report["written"]
    features = rejected_features(report)
    assert set(features) == {2, 3, 4, 5, 6, 7}  # feature 1 is fine
    assert features[2] == [("geometry", "Polygon: ring is niet gesloten (eerste en laatste "
                                        "punt verschillen)")]
    assert "coördinaat is geen getal: '51,8'" in features[3][0][1]
    assert "ligt buiten WGS84" in features[4][0][1]
    assert "geometrietype 'Point' wordt niet ondersteund" in features[5][0][1]
    assert "geen oppervlakte" in features[6][0][1]
    assert features[7] == [("statcode", "CBS-code ontbreekt (verwacht statcode, buurtcode, "
                                        "wijkcode of gemeentecode)")]
    assert fingerprint(areas_db) == before


def test_skip_invalid_stores_the_good_feature_only(run_import: Import, areas_db: Path) -> None:
    code, report, _ = run_import(BAD / "invalid_geometries.geojson", "--skip-invalid")
    assert code == 0 and report["updated"] == 1
    assert "geometry" in area(areas_db, "GM0209").props
    with opened(areas_db) as d:
        others = d.store.get_nodes(["GM0268", "GM0216", "GM0225", "GM0263", "GM0274"])
    assert all("geometry" not in node.props for node in others.values())


def test_wijk_and_buurt_features_in_the_cbs_layout(directory: Directory) -> None:
    """The CBS wijk- en buurtkaart names codes ``wijkcode``/``buurtcode``; a buurt needs its
    wijk, which needs its gemeente (parents come first whatever the feature order)."""
    square = [[5.80, 51.80], [5.81, 51.80], [5.81, 51.81], [5.80, 51.81], [5.80, 51.80]]
    features = [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square]},
         "properties": {"buurtcode": "BU02680101", "buurtnaam": "Stadscentrum",
                        "wijkcode": "WK026801", "gemeentecode": "GM0268"}},
        {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": [[square]]},
         "properties": {"wijkcode": "WK026801", "wijknaam": "Centrum",
                        "gemeentecode": "GM0268"}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square]},
         "properties": {"gemeentecode": "GM0268", "gemeentenaam": "Nijmegen"}},
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features})
    records = parse_geojson(text)
    assert [(r.line, r.props["code"]) for r in records] == [
        (3, "GM0268"), (2, "WK026801"), (1, "BU02680101")]
    report = load_records(directory, records, format="cbs")
    assert report.rejected == [] and report.created == 3
    edges = directory.store.edges("BU02680101", types=["WITHIN"], direction="out")
    assert [e.dst for e in edges] == ["WK026801"]
    assert directory.store.get_node("BU02680101").name == "Stadscentrum"


def test_large_outlines_are_simplified_to_fit() -> None:
    import math
    ring = [[5.8 + 0.05 * math.cos(i / 500 * 2 * math.pi),
             51.8 + 0.03 * math.sin(i / 500 * 2 * math.pi)] for i in range(2000)]
    ring.append(ring[0])
    text = clean_geometry({"type": "Polygon", "coordinates": [ring]})
    assert len(text) <= MAX_GEOMETRY_CHARS
    lon0, lat0, lon1, lat1 = bbox(text)
    assert abs(lon0 - 5.75) < 0.002 and abs(lat1 - 51.83) < 0.002


def test_geometry_is_validated_as_an_area_field() -> None:
    with pytest.raises(ValidationError) as caught:
        clean_props("Area", {"code": "GM0268", "geometry": "{\"type\": \"Polygon\""}, 12)
    detail = caught.value.details[0]
    assert (detail.line, detail.field) == (12, "geometry")
    assert "geen geldige GeoJSON" in detail.message
