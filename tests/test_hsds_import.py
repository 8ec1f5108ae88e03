"""Open Referral HSDS 3.0 import: every official example, the tabular package (folder and zip),
schema-invalid records, malformed files, idempotent re-import and format detection.

The official examples (``tests/data/hsds/examples``, CC BY-SA 4.0 Open Referral) nest one
location with latitude 100; it is rejected with its reason and ``--skip-invalid`` imports
the rest.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from directory.cli import main
from directory.errors import ValidationError
from directory.importing import ImportReport, load_records
from directory.model import ACTIVITY, AREA, ORGANISATION, PERSON, Node
from directory.service import Directory
from importers.hsds import parse_hsds_json
from importers.registry import detect_format, read_records

DATA = Path(__file__).parent / "data" / "hsds"
EXAMPLES = DATA / "examples"
BAD = DATA / "bad"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
CONTACT_ID = "1e7efce3-639b-4880-940c-b95cd30cdb50"

# example → (organisations, activities, people, rejected locations)
EXPECTED = {
    "base.json": (0, 0, 0, 0),
    "location.json": (0, 0, 0, 0),
    "taxonomy.json": (0, 0, 0, 0),
    "taxonomy_list.json": (0, 0, 0, 0),
    "taxonomy_term.json": (0, 0, 0, 0),
    "taxonomy_term_list.json": (0, 0, 0, 0),
    "organization_list.json": (1, 0, 0, 0),
    "service_list.json": (1, 1, 0, 0),
    "service_full.json": (1, 1, 1, 1),
    "organization_full.json": (1, 1, 1, 1),
    "service_at_location_full.json": (1, 1, 1, 1),
    "service_at_location_list.json": (1, 1, 0, 1),
    "tabular.json": (1, 1, 1, 1),
    "csv": (1, 1, 1, 1),
}


def _import(directory: Directory, path: Path, **options: Any) -> tuple[ImportReport, list[str]]:
    read = read_records(path, "hsds")
    report = load_records(directory, read.records, format=read.format, **options)
    return report, read.notes


def _counts(directory: Directory) -> tuple[int, int, int]:
    store = directory.store
    return (len(store.find_nodes(ORGANISATION)), len(store.find_nodes(ACTIVITY)),
            len(store.find_nodes(PERSON)))


def _only(directory: Directory, kind: str) -> Node:
    nodes = directory.store.find_nodes(kind)
    assert len(nodes) == 1, nodes
    return nodes[0]


def _cli(args: list[str], store: Path, capsys: pytest.CaptureFixture[str]
         ) -> tuple[int, dict[str, Any], str]:
    code = main(["--store", str(store), *args])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else {}, captured.err


def test_the_example_set_is_complete() -> None:
    names = {p.name for p in EXAMPLES.iterdir()}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_official_example_imports(directory: Directory, name: str) -> None:
    orgs, activities, people, bad_locations = EXPECTED[name]
    report, notes = _import(directory, EXAMPLES / name, skip_invalid=True)
    assert report.written
    assert _counts(directory) == (orgs, activities, people)
    assert len(report.rejected) == bad_locations
    for detail in report.rejected:
        assert "MyCity Civic Center" in detail.message and "100" in detail.message
    if orgs == 0:
        assert any("niets ingelezen" in note for note in notes)
    if activities:
        activity = _only(directory, ACTIVITY)
        assert activity.props["title"] == "Community Counselling"
        assert activity.source_id == SERVICE_ID
        assert "lat" not in activity.props  # the location with latitude 100 is not used
        offered = directory.current(activity.id, ["OFFERED_BY"])
        assert [e.dst for e in offered] == [_only(directory, ORGANISATION).id]


def test_service_full_maps_every_shared_field(directory: Directory) -> None:
    report, notes = _import(directory, EXAMPLES / "service_full.json", skip_invalid=True)
    activity = _only(directory, ACTIVITY)
    p = activity.props
    assert activity.source == "hsds:service_full"
    assert p["schedule"] == "FREQ=WEEKLY;BYDAY=TH,FR"
    assert (p["start_time"], p["end_time"]) == ("10:00", "18:00")
    assert p["cost"] == "Under 18s and Over 60s: £ 35 per 1 hour session"
    assert p["languages"] == ["Urdu"]
    assert p["url"] == "http://example.com/counselling"
    assert p["email"] == "email@example.com"
    assert p["phone"] == "+441234234567"
    assert p["status"] == "actief"
    assert p["last_verified_on"] == "2005-01-01"
    org = _only(directory, ORGANISATION)
    assert org.source_id == ORG_ID and org.props["website"] == "http://example.com"
    person = _only(directory, PERSON)
    assert person.source_id == CONTACT_ID
    assert (person.props["name"], person.props["job_title"]) == ("Ann Persona",
                                                                  "Reception Manager")
    assert [e.dst for e in directory.current(activity.id, ["CONTACT"])] == [person.id]
    assert [e.dst for e in directory.current(person.id, ["WORKS_AT"])] == [org.id]
    # the example's taxonomy term "name" and its service area are reported, not dropped
    assert any("taxonomietermen" in n and "name (code)" in n for n in notes)
    assert any("werkgebieden" in n and "MyCity" in n for n in notes)


def test_latitude_100_in_locations_csv_is_rejected_with_reason(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "s.db"
    code, data, err = _cli(["import", str(EXAMPLES / "csv"), "--format", "hsds", "--json"],
                           store, capsys)
    assert code == 1 and not data["written"]
    assert data["rejected"] == [{
        "line": 2, "field": "locations.csv: latitude",
        "message": "locatie 'MyCity Civic Center' (3a19ff88-4620-4d17-9830-ac1d859eb5d5) "
                   "afgewezen: breedtegraad (latitude) 100 ligt buiten -90 t/m 90; dienst "
                   "'Community Counselling' (ac148810-d857-441c-9679-408f346de14b) wordt "
                   "zonder deze locatie ingelezen"}]
    assert "niets geschreven" in err
    code, data, _ = _cli(["list", "activities", "--json"], store, capsys)
    assert data["total"] == 0
    code, data, _ = _cli(["import", str(EXAMPLES / "csv"), "--format", "hsds", "--json",
                          "--skip-invalid"], store, capsys)
    assert code == 0 and data["written"] and data["created"] == 3
    assert len(data["rejected"]) == 1


def test_zipped_package_reads_like_the_folder(directory: Directory, tmp_path: Path) -> None:
    archive = tmp_path / "sociale_kaart.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in (EXAMPLES / "csv").iterdir():
            zipped.write(path, f"export/{path.name}")
    assert detect_format(archive) == "hsds"
    report, _ = _import(directory, archive, skip_invalid=True)
    assert report.created == 3 and len(report.rejected) == 1
    activity = _only(directory, ACTIVITY)
    assert activity.source == "hsds:sociale_kaart"
    assert activity.props["schedule"] == "FREQ=WEEKLY;BYDAY=TH,FR"


def test_corrected_package_imports_whole(directory: Directory, tmp_path: Path) -> None:
    package = tmp_path / "pakket"
    shutil.copytree(EXAMPLES / "csv", package)
    locations = package / "locations.csv"
    text = locations.read_text(encoding="utf-8").replace(",100,101,", ",51.8126,5.8372,")
    locations.write_text(text, encoding="utf-8")
    report, _ = _import(directory, package)
    assert report.written and not report.rejected
    activity = _only(directory, ACTIVITY)
    assert (activity.props["lat"], activity.props["lon"]) == (51.8126, 5.8372)
    assert activity.props["address"] == "1-30 Main Street, MyVillage, ABC 1234"
    assert activity.props["city"] == "MyCity"
    assert "induction loops" in activity.props["accessibility"]


@pytest.mark.parametrize("name, reason", [
    ("truncated.json", "geen geldige JSON"),
    ("not_hsds.json", "geen HSDS-gegevens herkend"),
    ("empty.json", "bestand is leeg"),
    ("binary.json", "binair"),
    ("table.json", "geen geldige JSON"),
    ("bad_zip.zip", "geen leesbaar zip-bestand"),
    ("no_datapackage.zip", "zip bevat geen datapackage.json"),
    ("extra_cells", "services.csv regel 2: meer cellen dan kolommen"),
    ("empty_package", "geen services.csv of organizations.csv"),
])
def test_malformed_files_give_one_line_and_write_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_records(BAD / name, "hsds")
    assert reason in str(caught.value)
    store = tmp_path / "s.db"
    code, _, err = _cli(["import", str(BAD / name), "--format", "hsds"], store, capsys)
    assert code == 1
    assert reason in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    _, listed, _ = _cli(["list", "organisations", "--json"], store, capsys)
    assert listed["total"] == 0


def _service(**changes: Any) -> dict[str, Any]:
    service: dict[str, Any] = {
        "id": "11111111-1111-4111-8111-111111111111", "name": "Inloop Dukenburg",
        "status": "active",
        "organization": {"id": "22222222-2222-4222-8222-222222222222", "name": "Kwintes",
                         "description": "Begeleid wonen"}}
    service.update(changes)
    return service


def test_schema_invalid_service_is_rejected_naming_field(directory: Directory) -> None:
    read = parse_hsds_json(json.dumps({"contents": [
        _service(status="open"),
        _service(id="33333333-3333-4333-8333-333333333333", name="Koffie", minimum_age="12"),
    ]}), "lijst.json", "lijst")
    report = load_records(directory, read.records, format="hsds", skip_invalid=True)
    assert [(d.line, d.field) for d in report.rejected] == [(1, "lijst.json: status"),
                                                           (2, "lijst.json: minimum_age")]
    assert "'open' is geen toegestane waarde" in report.rejected[0].message
    assert '"12" is geen getal' in report.rejected[1].message
    assert _counts(directory) == (1, 0, 0)


def test_service_of_a_rejected_organization_is_rejected(directory: Directory) -> None:
    org = {"id": "22222222-2222-4222-8222-222222222222", "name": "Kwintes"}  # no description
    read = parse_hsds_json(json.dumps([_service(organization=org)]), "x.json", "x")
    report = load_records(directory, read.records, format="hsds", skip_invalid=True)
    messages = [d.message for d in report.rejected]
    assert "verplicht veld ontbreekt: description" in messages[0]
    assert "de organisatie ervan is afgewezen" in messages[1]
    assert _counts(directory) == (0, 0, 0)


def test_terms_and_service_areas_map_or_are_reported(directory: Directory) -> None:
    for code, name, level in (("GM0268", "Nijmegen", "gemeente"),
                              ("WK026801", "Stadscentrum", "wijk")):
        directory.create(AREA, {"code": code, "name": name, "level": level})

    def term(name: str, n: int) -> dict[str, Any]:
        term_id = f"44444444-4444-4444-8444-44444444444{n}"
        return {"id": f"55555555-5555-4555-8555-55555555555{n}", "taxonomy_term": {
            "id": term_id, "name": name, "description": name, "taxonomy": "open_eligibility"}}

    service = _service(attributes=[term("Mental Health Care", 1), term("Seniors", 2),
                                   term("Huisdieren", 3)],
                       service_areas=[{"id": "66666666-6666-4666-8666-666666666661",
                                       "name": "Nijmegen"},
                                      {"id": "66666666-6666-4666-8666-666666666662",
                                       "name": "Centrum", "description": "CBS wijk WK026801"},
                                      {"id": "66666666-6666-4666-8666-666666666663",
                                       "name": "MyCity"}])
    read = parse_hsds_json(json.dumps(service), "dienst.json", "dienst")
    report = load_records(directory, read.records, format="hsds")
    assert report.written
    activity = _only(directory, ACTIVITY)
    assert activity.props["life_domains"] == ["zorg"]
    assert activity.props["target_groups"] == ["ouderen"]
    assert sorted(e.dst for e in directory.current(activity.id, ["IN_AREA"])) == [
        "GM0268", "WK026801"]
    assert any("Huisdieren" in n for n in read.notes)
    assert any("MyCity" in n for n in read.notes)


@pytest.mark.parametrize("name", ["service_full.json", "csv", "organization_full.json"])
def test_reimport_changes_nothing(directory: Directory, name: str) -> None:
    first, _ = _import(directory, EXAMPLES / name, skip_invalid=True)
    before = {n.id: (n.version, n.props) for k in (ORGANISATION, ACTIVITY, PERSON)
              for n in directory.store.find_nodes(k)}
    again, _ = _import(directory, EXAMPLES / name, skip_invalid=True)
    assert first.created and (again.created, again.updated) == (0, 0)
    after = {n.id: (n.version, n.props) for k in (ORGANISATION, ACTIVITY, PERSON)
             for n in directory.store.find_nodes(k)}
    assert after == before


@pytest.mark.parametrize("name", ["service_full.json", "service_list.json",
                                  "organization_list.json", "tabular.json", "csv"])
def test_format_is_detected_without_format_option(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert detect_format(EXAMPLES / name) == "hsds"
    code, data, _ = _cli(["import", str(EXAMPLES / name), "--json", "--skip-invalid"],
                         tmp_path / "s.db", capsys)
    assert code == 0 and data["format"] == "hsds" and data["written"]


def test_datapackage_json_path_means_its_folder(tmp_path: Path) -> None:
    assert detect_format(EXAMPLES / "csv" / "datapackage.json") == "hsds"
    read = read_records(EXAMPLES / "csv" / "datapackage.json")
    assert {r.kind for r in read.records if r.problem is None} == {ORGANISATION, ACTIVITY,
                                                                   PERSON}
