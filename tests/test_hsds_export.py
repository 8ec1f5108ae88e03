"""Open Referral HSDS 3.0 export: schema validity, contact persons only when asked, scope,
the web API's functions, and an export → import round trip into an empty store."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from directory.cli import main
from directory.importing import load_records
from directory.model import ACTIVITY, AREA, ORGANISATION, PERSON, TEAM, Node
from directory.service import Directory
from directory.store import GraphStore
from importers.hsds import parse_hsds_json
from importers.hsds_export import (
    export_hsds,
    find_by_hsds_id,
    hsds_organization,
    hsds_service,
    validate_hsds,
)
from importers.registry import ExportScope, export_to

AREAS = (("GM0268", "Nijmegen", "gemeente", None), ("WK026801", "Stadscentrum", "wijk",
                                                      "GM0268"),
         ("WK026803", "Dukenburg", "wijk", "GM0268"), ("GM0281", "Tiel", "gemeente", None))
ORG_SHARED = ("name", "description", "website", "email", "phone", "kvk", "address",
              "postcode", "city", "lat", "lon", "gemeente")
ACTIVITY_SHARED = ("title", "description", "url", "email", "phone", "status", "schedule",
                   "start_time", "end_time", "cost", "languages", "accessibility",
                   "last_verified_on", "referral_needed", "life_domains", "target_groups",
                   "address", "postcode", "city", "lat", "lon", "gemeente")
PERSON_SHARED = ("name", "job_title", "email", "phone")


def add_areas(directory: Directory) -> None:
    for code, name, level, parent in AREAS:
        directory.create(AREA, {"code": code, "name": name, "level": level})
        if parent:
            directory.relate("WITHIN", code, parent)


def build(directory: Directory) -> dict[str, Node]:
    """Two partners, three activities with every shared field, two contact persons, a team."""
    add_areas(directory)
    kwintes = directory.create(ORGANISATION, {
        "name": "Kwintes", "description": "Begeleid wonen en herstel", "kvk": "41189548",
        "website": "https://www.kwintes.example", "email": "info@kwintes.example",
        "phone": "024 345 6789", "address": "Meijhorst 60-10", "postcode": "6537 KT"})
    welzijn = directory.create(ORGANISATION, {"name": "Welzijn Tiel", "email": "w@tiel.example"})
    koken = directory.create(ACTIVITY, {
        "title": "Samen koken", "description": "Elke week samen koken en eten.",
        "life_domains": ["welzijn", "zorg"], "target_groups": ["18plus", "epa"],
        "schedule": "FREQ=WEEKLY;BYDAY=MO,WE", "start_time": "9:30", "end_time": "11:00",
        "cost": "€ 2,50", "referral_needed": True, "languages": ["Nederlands", "Engels"],
        "accessibility": "Rolstoeltoegankelijk", "url": "https://kwintes.example/koken",
        "email": "koken@kwintes.example", "phone": "024 345 6790",
        "address": "Meijhorst 60-10", "postcode": "6537 KT", "last_verified_on": "2024-03-01"})
    inloop = directory.create(ACTIVITY, {
        "title": "Inloop Stadscentrum", "cost": "gratis", "status": "gestopt",
        "schedule": "FREQ=MONTHLY;BYMONTHDAY=1,15", "start_time": "14:00",
        "lat": 51.845, "lon": 5.864})
    tiel = directory.create(ACTIVITY, {"title": "Koffie in Tiel", "life_domains": ["welzijn"]})
    jan = directory.create(PERSON, {"name": "Jan Jansen", "job_title": "Begeleider",
                                    "email": "j.jansen@kwintes.example",
                                    "phone": "06 1234 5678"})
    ria = directory.create(PERSON, {"name": "Ria de Boer", "email": "ria@kwintes.example"})
    team = directory.create(TEAM, {"name": "WijkGGZ Dukenburg"})
    for type_, src, dst in (("OFFERED_BY", koken.id, kwintes.id),
                            ("OFFERED_BY", inloop.id, kwintes.id),
                            ("OFFERED_BY", tiel.id, welzijn.id),
                            ("IN_AREA", koken.id, "WK026803"), ("IN_AREA", inloop.id, "WK026801"),
                            ("IN_AREA", tiel.id, "GM0281"), ("WORKS_AT", jan.id, kwintes.id),
                            ("WORKS_AT", ria.id, kwintes.id), ("CONTACT", koken.id, jan.id),
                            ("SERVES", team.id, "WK026803")):
        directory.relate(type_, src, dst)
    return {"kwintes": kwintes, "welzijn": welzijn, "koken": koken, "inloop": inloop,
            "tiel": tiel, "jan": jan, "ria": ria, "team": team}


def export(directory: Directory, **scope: Any) -> dict[str, Any]:
    out = io.BytesIO()
    count = export_hsds(directory, out, ExportScope(**scope))
    document: dict[str, Any] = json.loads(out.getvalue())
    assert count == document["total_items"] == len(document["contents"])
    return document


def test_every_exported_service_and_organization_validates(directory: Directory) -> None:
    build(directory)
    document = export(directory, include_contacts=True)
    assert document["total_items"] == 3 and document["last_page"] is True
    for service in document["contents"]:
        assert validate_hsds("service", service) == []
        assert validate_hsds("organization", service["organization"]) == []
    koken = next(s for s in document["contents"] if s["name"] == "Samen koken")
    assert koken["schedules"][0] | {"id": ""} == {
        "id": "", "freq": "WEEKLY", "byday": "MO,WE", "opens_at": "09:30:00",
        "closes_at": "11:00:00"}
    assert koken["service_areas"][0]["name"] == "Dukenburg"
    location = koken["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "6537 KT"
    assert {a["taxonomy_term"]["code"] for a in koken["attributes"]} == {
        "welzijn", "zorg", "18plus", "epa"}


def test_validate_hsds_explains_in_dutch() -> None:
    assert validate_hsds("service", {"id": "x", "name": "y", "status": "open"}) == [
        "status: 'open' is geen toegestane waarde (kies uit: active, inactive, defunct, "
        "temporarily closed)"]
    assert validate_hsds("organization", {"id": "x", "name": 3}) == [
        "verplicht veld ontbreekt: description", "name: 3 is geen tekst"]


def test_contact_persons_only_when_asked(directory: Directory) -> None:
    build(directory)
    without = json.dumps(export(directory), ensure_ascii=False)
    for personal in ("Jan Jansen", "Ria de Boer", "j.jansen@kwintes.example", "+31612345678"):
        assert personal not in without
    assert '"contacts"' not in without
    with_contacts = export(directory, include_contacts=True)
    koken = next(s for s in with_contacts["contents"] if s["name"] == "Samen koken")
    assert koken["contacts"][0] | {"id": "", "phones": []} == {
        "id": "", "name": "Jan Jansen", "title": "Begeleider",
        "email": "j.jansen@kwintes.example", "phones": []}
    assert koken["contacts"][0]["phones"][0]["number"] == "+31612345678"
    assert {c["name"] for c in koken["organization"]["contacts"]} == {"Jan Jansen",
                                                                      "Ria de Boer"}


def test_scope_by_area_organisation_and_team(directory: Directory) -> None:
    nodes = build(directory)

    def titles(**scope: Any) -> list[str]:
        return [s["name"] for s in export(directory, **scope)["contents"]]

    assert titles(area="Nijmegen") == ["Inloop Stadscentrum", "Samen koken"]
    assert titles(area="GM0281") == ["Koffie in Tiel"]
    assert titles(organisation="Welzijn Tiel") == ["Koffie in Tiel"]
    assert titles(team=nodes["team"].id) == ["Samen koken"]
    assert titles(area="Nijmegen", organisation="Welzijn Tiel") == []


def test_api_functions_and_ids(directory: Directory) -> None:
    nodes = build(directory)
    service = hsds_service(directory, nodes["koken"], include_contacts=False)
    assert "contacts" not in service and service["name"] == "Samen koken"
    assert service == hsds_service(directory, nodes["koken"], include_contacts=False)
    found = find_by_hsds_id(directory, ACTIVITY, service["id"])
    assert found is not None and found.id == nodes["koken"].id
    org = hsds_organization(directory, nodes["kwintes"], include_contacts=True)
    assert validate_hsds("organization", org) == []
    assert org["organization_identifiers"][0]["identifier"] == "41189548"
    assert find_by_hsds_id(directory, ORGANISATION, org["id"]) == nodes["kwintes"]
    assert find_by_hsds_id(directory, ORGANISATION, "onbekend") is None


def _shared(store: GraphStore, kind: str, fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    return {n.name: {k: n.props.get(k) for k in fields} for n in store.find_nodes(kind)}


def _relations(directory: Directory) -> set[tuple[str, str, str]]:
    store = directory.store
    names = {n.id: n.name for k in (ORGANISATION, ACTIVITY, PERSON, AREA)
             for n in store.find_nodes(k)}
    found = set()
    for kind in (ACTIVITY, PERSON):
        for node in store.find_nodes(kind):
            for edge in directory.current(node.id, ["OFFERED_BY", "IN_AREA", "CONTACT",
                                                    "WORKS_AT"]):
                found.add((edge.type, names[edge.src], names[edge.dst]))
    return found


def test_round_trip_keeps_every_shared_field(directory: Directory, tmp_path: Path,
                                             open_store: Any) -> None:
    build(directory)
    text = json.dumps(export(directory, include_contacts=True))
    (tmp_path / "target").mkdir()
    target = Directory(open_store(tmp_path / "target"), actor="test")
    target.store.init()
    add_areas(target)
    read = parse_hsds_json(text, "export.json", "export")
    report = load_records(target, read.records, format="hsds")
    assert report.written and not report.rejected
    for kind, fields in ((ORGANISATION, ORG_SHARED), (ACTIVITY, ACTIVITY_SHARED),
                         (PERSON, PERSON_SHARED)):
        assert _shared(target.store, kind, fields) == _shared(directory.store, kind, fields)
    assert _relations(target) == _relations(directory)
    again = load_records(target, parse_hsds_json(text, "export.json", "export").records,
                         format="hsds")
    assert (again.created, again.updated) == (0, 0)
    target.store.close()


def test_cli_export_then_import_detects_format(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from graph.sqlite_store import SqliteStore

    source = tmp_path / "bron.db"
    store = SqliteStore(str(source))
    store.init()
    build(Directory(store, actor="test"))
    store.close()
    out = tmp_path / "kaart.json"
    assert main(["--store", str(source), "export", "--format", "hsds", "-o", str(out)]) == 0
    assert "3 item(s)" in capsys.readouterr().err
    assert json.loads(out.read_text(encoding="utf-8"))["total_items"] == 3
    assert "Jan Jansen" not in out.read_text(encoding="utf-8")
    private = tmp_path / "met_contacten.json"
    assert main(["--store", str(source), "export", "--format", "hsds", "-o", str(private),
                 "--include-contacts"]) == 0
    assert "Jan Jansen" in private.read_text(encoding="utf-8")
    target = tmp_path / "doel.db"
    assert main(["--store", str(target), "init"]) == 0
    capsys.readouterr()
    assert main(["--store", str(target), "import", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "hsds" and data["written"] and data["created"] == 5


def test_export_through_registry_counts(directory: Directory) -> None:
    build(directory)
    out = io.BytesIO()
    assert export_to(directory, "hsds", out, ExportScope(organisation="Kwintes")) == 2
    assert json.loads(out.getvalue())["size"] == 2
