"""csv and xlsx exports: headers the importer reads, round trips, formula injection, contact
persons' personal data, scopes, and ``wijkkaart export`` on the command line."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from store_files import dump

from directory.cli import main
from directory.importing import ImportReport, load_records
from directory.model import ACTIVITY, ORGANISATION, PERSON, Node
from directory.service import Directory
from directory.vocabularies import LIFE_DOMAINS, PARTNER_TYPES, TARGET_GROUPS
from graph.sqlite_store import SqliteStore
from importers.headers import lookup_header
from importers.registry import ExportScope, export_to, read_records
from importers.table_export import HEADERS, neutralise_cell, unquote_cell
from importers.tabular import Table, read_table

FORMATS = ("csv", "xlsx")


# --- helpers ------------------------------------------------------------------------------------


@contextmanager
def fresh(template: Path, folder: Path, name: str) -> Iterator[Directory]:
    """A new store with the national areas, as a user has after ``wijkkaart init``."""
    target = folder / f"{name}.db"
    shutil.copy(template, target)
    store = SqliteStore(str(target))
    try:
        yield Directory(store, actor="test")
    finally:
        store.close()


def export_file(d: Directory, fmt: str, folder: Path, name: str = "partners",
                **scope: Any) -> Path:
    path = folder / f"{name}.{fmt}"
    with path.open("wb") as out:
        export_to(d, fmt, out, ExportScope(**scope))
    return path


def tables(path: Path) -> list[Table]:
    if path.suffix == ".csv":
        return [read_table(path)]
    workbook = load_workbook(path, read_only=True)
    names = list(workbook.sheetnames)
    workbook.close()
    return [read_table(path, "xlsx", name) for name in names]


def rows(path: Path, key_of: dict[str, str] | None = None) -> list[dict[str, str]]:
    """Every row of every sheet; Ids translated by ``key_of`` (new id → exported id)."""
    key_of = key_of or {}
    return [{h: key_of.get(v, v) if h == "Id" else unquote_cell(v) for h, v in row.cells.items()}
            for table in tables(path) for row in table.rows]


def load(d: Directory, path: Path) -> ImportReport:
    return load_records(d, read_records(path).records, format=path.suffix[1:])


def counts(report: ImportReport) -> tuple[int, int, int, list[Any]]:
    return report.created, report.updated, report.unchanged, report.rejected


def keys_back(d: Directory) -> dict[str, str]:
    """Imported node id → the Id its row had."""
    return {n.id: n.source_id for n in d.store.find_nodes() if n.source_id}


def by_source_id(d: Directory, kind: str) -> dict[str, Node]:
    return {n.source_id: n for n in d.store.find_nodes(kind) if n.source_id}


def targets(d: Directory, node: Node, type_: str) -> set[str]:
    return {e.dst for e in d.store.edges(node.id, types=[type_], direction="out", current=True)}


# --- layout -------------------------------------------------------------------------------------


def test_headers_are_the_importers(demo: Directory, tmp_path: Path) -> None:
    path = export_file(demo, "xlsx", tmp_path)
    assert [t.sheet for t in tables(path)] == ["Organisaties", "Personen", "Activiteiten"]
    for table in tables(path) + tables(export_file(demo, "csv", tmp_path)):
        fields = [lookup_header(h) for h in table.headers]
        assert None not in fields and len(set(fields)) == len(fields), table.headers
    assert {HEADERS[f] for f in ("kind", "source_id", "phone", "area")} <= set(
        tables(path)[0].headers)


def test_csv_is_one_dutch_excel_table(demo: Directory, tmp_path: Path) -> None:
    data = export_file(demo, "csv", tmp_path).read_bytes()
    assert data.startswith(b"\xef\xbb\xbfSoort;Id;Naam;")
    found = rows(tmp_path / "partners.csv")
    kinds = [r["Soort"] for r in found]
    assert kinds == sorted(kinds, key=["organisatie", "persoon", "activiteit"].index)
    assert kinds.count("organisatie") == demo.store.count_nodes(ORGANISATION)
    assert kinds.count("persoon") == demo.store.count_nodes(PERSON)
    assert len({r["Id"] for r in found if r["Soort"] == "activiteit"}) == \
        demo.store.count_nodes(ACTIVITY)


def test_cells_as_the_importer_reads_them(demo: Directory, tmp_path: Path) -> None:
    found = {r["Id"]: r for r in rows(export_file(demo, "xlsx", tmp_path))}
    act = demo.store.get_node("act-0014")
    row = found["act-0014"]
    assert (row["Activiteit"], row["Dag"], row["Van"], row["Tot"]) == (
        act.props["title"], "ma, do", "10:00", "11:00")
    assert row["Leefgebied"] == "zorg" and row["Doelgroep"] == "18plus, ouderen"
    assert row["Verwijzing nodig"] == "ja" and row["Talen"] == "nl"
    areas = {e.dst for e in demo.store.edges("org-bieb-wijchen", types=["ACTIVE_IN"])}
    assert found["org-bieb-wijchen"]["Gebied"] == ", ".join(sorted(areas))
    assert len(areas) > 1


# --- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_demo_export_imports_into_a_new_store(demo: Directory, areas_template: Path,
                                              tmp_path: Path, fmt: str) -> None:
    path = export_file(demo, fmt, tmp_path)
    with fresh(areas_template, tmp_path, "new") as new:
        created, updated, unchanged, rejected = counts(load(new, path))
        assert rejected == [] and created > 0
        orgs = by_source_id(new, ORGANISATION)
        for org in demo.store.find_nodes(ORGANISATION):
            assert orgs[org.id].props == org.props
            assert targets(new, orgs[org.id], "ACTIVE_IN") == targets(demo, org, "ACTIVE_IN")
        people = by_source_id(new, PERSON)
        for person in demo.store.find_nodes(PERSON):  # no --include-contacts: no phone/e-mail
            expected = {k: v for k, v in person.props.items() if k not in ("phone", "email")}
            assert people[person.id].props == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_demo_round_trip_is_exact(demo_db: Path, areas_template: Path, tmp_path: Path,
                                  fmt: str) -> None:
    with fresh(demo_db, tmp_path, "source") as source:
        first = export_file(source, fmt, tmp_path, "first", include_contacts=True)
        with fresh(areas_template, tmp_path, "new") as new:
            assert counts(load(new, first))[1:] == (0, 0, [])
            assert counts(load(new, first))[:2] == (0, 0)
            second = export_file(new, fmt, tmp_path, "second", include_contacts=True)
            assert rows(second, keys_back(new)) == rows(first)
        before = list(source.store.dump())
        assert counts(load(source, first))[:2] == (0, 0)
        assert list(source.store.dump()) == before


SHEET = [
    ["Soort", "Id", "Naam", "Rol organisatie", "Soort organisatie", "Organisatie", "Omschrijving",
     "Leefgebied", "Dag", "Van", "Tot", "Kosten", "Verwijzing nodig", "Telefoon", "E-mail",
     "Postcode", "Gebied", "Contactpersoon", "Functie"],
    ["organisatie", "o1", "Pro Persona", "moederorganisatie", "specialistische_ggz", "",
     'Ggz; "Gelderland"', "", "", "", "", "", "", "+31 24 123 4567", "info@pp.example",
     "6525 DX", "GM0268, WK026807", "", ""],
    ["organisatie", "o2", "Buurthuis =De Ster", "ketenpartner", "welzijn", "", "Twee\nregels",
     "", "", "", "", "", "", "", "", "", "WK026801", "", ""],
    ["persoon", "p1", "Zoë Ünal", "", "", "Buurthuis =De Ster", "", "", "", "", "", "", "",
     "06-12345678", "z@pp.example", "", "", "", "SPV"],
    ["activiteit", "a1", "@Home koken", "", "", "Buurthuis =De Ster", "-2 graden; =SUM(A1)",
     "welzijn, zorg", "ma t/m vr", "9:30", "11:00", "€ 2,50", "nee", "", "", "6525 DX",
     "WK026807", "Zoë Ünal", "SPV"],
    ["activiteit", "a2", "+Plus-groep", "", "", "Buurthuis =De Ster", " =SUM(A1)+@tab", "wonen",
     "di", "13:00", "15:00", "gratis", "ja", "+31 24 765 4321", "groep@ster.example", "", "", "",
     ""],
]


def write_sheet(folder: Path) -> Path:
    """The hand-made partner list, as Dutch Excel saves it."""
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(SHEET)
    path = folder / "lijst.csv"
    path.write_text(text.getvalue(), encoding="utf-8-sig", newline="")
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_sheet_survives_export_and_import(areas_template: Path, tmp_path: Path,
                                            fmt: str) -> None:
    """What came from a spreadsheet goes back into one and out again unchanged."""
    sheet = write_sheet(tmp_path)
    with fresh(areas_template, tmp_path, "a") as a, fresh(areas_template, tmp_path, "b") as b:
        assert counts(load(a, sheet))[1:] == (0, 0, [])
        first = export_file(a, fmt, tmp_path, "first", include_contacts=True)
        assert counts(load(b, first)) == (5, 0, 0, [])
        assert counts(load(b, first)) == (0, 0, 6, [])  # five rows and the activity's contact
        second = export_file(b, fmt, tmp_path, "second", include_contacts=True)
        assert rows(second, keys_back(b)) == rows(first)
        for kind in (ORGANISATION, PERSON, ACTIVITY):
            copies = by_source_id(b, kind)
            for node in a.store.find_nodes(kind):
                assert copies[node.id].props == node.props
                for type_ in ("ACTIVE_IN", "IN_AREA"):
                    assert targets(b, copies[node.id], type_) == targets(a, node, type_)
        [zoe] = b.store.find_nodes(PERSON)
        assert zoe.props["phone"] == "+31612345678"
        org = by_source_id(a, ORGANISATION)
        assert org["o1"].props["role"] == "moederorganisatie"
        assert org["o1"].props["phone"] == "+31241234567"


# --- formula injection --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "written"), [
    ("=1+1", "'=1+1"), ("+31612345678", "'+31612345678"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("  =x", "'  =x"), ("\t=x", "'\t=x"), ("\rx", "'\rx"), ("'=x", "''=x"), ("''+1", "'''+1"),
    ("gewoon", "gewoon"), ("'citaat'", "'citaat'"), ("a=b", "a=b"), ("", ""),
])
def test_neutralise_and_unquote(text: str, written: str) -> None:
    assert neutralise_cell(text) == written
    assert unquote_cell(written) == text


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_cell_starts_a_formula(areas_template: Path, tmp_path: Path, fmt: str) -> None:
    sheet = write_sheet(tmp_path)
    with fresh(areas_template, tmp_path, "a") as a:
        load(a, sheet)
        path = export_file(a, fmt, tmp_path, include_contacts=True)
    if fmt == "csv":
        text = path.read_bytes().decode("utf-8-sig")
        cells: list[object] = [c for row in csv.reader(io.StringIO(text, newline=""), delimiter=";")
                 for c in row]
    else:
        workbook = load_workbook(path)
        cells = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row
                 if c.value is not None]
        assert all(c.data_type == "s" for ws in workbook.worksheets for row in ws.iter_rows()
                   for c in row if c.value is not None)
    assert all(isinstance(c, str) for c in cells)
    risky = [c for c in cells if str(c).lstrip()[:1] in ("=", "+", "-", "@")]
    assert risky == []
    for expected in ("'+31241234567", "'=SUM(A1)", "'@Home koken", "'-2 graden", "'+Plus-groep"):
        assert any(str(c).startswith(expected) for c in cells), expected


# --- contact persons' personal data and scopes -------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_contacts_only_when_asked(demo: Directory, tmp_path: Path, fmt: str) -> None:
    person = demo.store.get_node("per-0053")
    org = demo.store.find_nodes(ORGANISATION)[0]
    without = rows(export_file(demo, fmt, tmp_path, "without"))
    with_contacts = rows(export_file(demo, fmt, tmp_path, "with", include_contacts=True))
    cells = {c for row in without for c in row.values()}
    assert person.props["email"] not in cells and person.props["phone"] not in cells
    assert not any(r["Telefoon"] or r["E-mail"] for r in without if r["Soort"] == "persoon")
    assert org.props["email"] in cells  # an organisation's own address is no personal data
    assert {person.props["email"], person.props["phone"]} <= {
        c for row in with_contacts for c in row.values()}


def test_area_scope(demo: Directory, tmp_path: Path) -> None:
    _, codes = demo.area_closure("Dukenburg")
    found = rows(export_file(demo, "csv", tmp_path, area="Dukenburg"))
    activities = {r["Id"] for r in found if r["Soort"] == "activiteit"}
    orgs = {r["Id"] for r in found if r["Soort"] == "organisatie"}
    assert activities == demo.activities_in(codes) and activities
    assert orgs == demo.organisations_in(codes | {"GM0268"}) and orgs
    assert len(orgs) < demo.store.count_nodes(ORGANISATION)


def test_organisation_scope(demo: Directory, tmp_path: Path) -> None:
    org = demo.resolve("IrisZorg", ORGANISATION)
    found = rows(export_file(demo, "csv", tmp_path, organisation="IrisZorg"))
    offered = {e.src for e in demo.store.edges(org.id, types=["OFFERED_BY"], direction="in")}
    assert {r["Id"] for r in found if r["Soort"] == "activiteit"} == offered
    assert {r["Id"] for r in found if r["Soort"] == "organisatie"} == {org.id}
    assert all(r["Organisatie"] == "IrisZorg" for r in found if r["Soort"] == "activiteit")


# --- command line -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_export(demo_db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes],
                    fmt: str) -> None:
    target = tmp_path / f"uit.{fmt}"
    assert main(["--store", str(demo_db), "export", "--format", fmt, "-o", str(target)]) == 0
    assert b"geschreven naar" in capsysbinary.readouterr().err
    assert main(["--store", str(demo_db), "export", "--format", fmt, "-o", "-"]) == 0
    piped = tmp_path / f"piped.{fmt}"
    piped.write_bytes(capsysbinary.readouterr().out)
    assert rows(piped) == rows(target)  # an xlsx differs only in its creation time
    assert main(["--store", str(demo_db), "import", str(target), "--dry-run", "--json"]) == 0


def test_cli_export_of_unknown_area_writes_nothing(demo_db: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "uit.csv"
    assert main(["--store", str(demo_db), "export", "--format", "csv", "-o", str(target),
                 "--area", "Atlantis"]) == 1
    assert "Atlantis" in capsys.readouterr().err and not target.exists()
    assert list(tmp_path.iterdir()) == [demo_db]


# --- property: awkward text survives csv/xlsx export and import ---------------------------------

_AWKWARD = st.text(st.one_of(st.sampled_from(list(";,\"'\n=+-@ éëçüßØ€\t")),
                             st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn"))),
                   min_size=1, max_size=30).filter(lambda t: bool(t.split()))
_DAYS = st.sampled_from(["ma", "di, do", "ma t/m vr", "za, zo"])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(org_name=_AWKWARD, title=_AWKWARD, description=_AWKWARD, cost=_AWKWARD,
       access=_AWKWARD, domains=st.lists(st.sampled_from(LIFE_DOMAINS.keys()), unique=True),
       groups=st.lists(st.sampled_from(TARGET_GROUPS.keys()), unique=True),
       partner=st.sampled_from(PARTNER_TYPES.keys()), days=_DAYS, referral=st.booleans())
def test_awkward_text_round_trips_through_spreadsheets(
        fmt: str, org_name: str, title: str, description: str, cost: str, access: str,
        domains: list[str], groups: list[str], partner: str, days: str, referral: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        a = Directory(SqliteStore(str(Path(folder) / "a.db")), actor="test")
        b = Directory(SqliteStore(str(Path(folder) / "b.db")), actor="test")
        try:
            for d in (a, b):
                d.store.init()
            org = a.create(ORGANISATION, {"name": "Org " + org_name, "partner_type": partner,
                                          "description": description})
            act = a.create(ACTIVITY, {"title": title, "description": description,
                                      "cost": cost, "accessibility": access,
                                      "life_domains": domains, "target_groups": groups,
                                      "schedule": days, "referral_needed": referral})
            a.relate("OFFERED_BY", act.id, org.id)
            path = export_file(a, fmt, Path(folder))
            assert counts(load(b, path)) == (2, 0, 0, [])
            assert by_source_id(b, ORGANISATION)[org.id].props == org.props
            copy = by_source_id(b, ACTIVITY)[act.id]
            assert copy.props == act.props
            assert targets(b, copy, "OFFERED_BY") == {by_source_id(b, ORGANISATION)[org.id].id}
        finally:
            a.store.close()
            b.store.close()


def test_store_files_untouched_by_export(demo_db: Path, tmp_path: Path) -> None:
    before = dump(demo_db)
    for fmt in FORMATS:
        assert main(["--store", str(demo_db), "export", "--format", fmt, "-o",
                     str(tmp_path / f"x.{fmt}"), "--include-contacts"]) == 0
    assert dump(demo_db) == before
