"""Spreadsheet import end to end (DESIGN §4), through ``wijkkaart import`` in-process.

Files are written in ``tmp_path`` as a Dutch partner would send them (Excel's `;`, a byte
order mark, cp1252, CRLF); the corpus of unreadable files lives in ``tests/data/import_bad``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from store_files import dump, fingerprint

from directory.cli import main
from directory.model import ACTIVITY, ORGANISATION, PERSON, Node
from directory.service import Directory
from graph.sqlite_store import SqliteStore

BAD_FILES = Path(__file__).parent / "data" / "import_bad"

Import = Callable[..., tuple[int, dict[str, Any], str]]

DUTCH_HEADER = ("Activiteit;Organisatie;Omschrijving;Leefgebied;Doelgroep;Dag;Tijd;Kosten;"
                "Verwijzing nodig;Adres;Postcode;Plaats;Wijk;Contactpersoon;Telefoon;E-mail")
DUTCH_ROWS = (
    "Samen koken in de Meijhorst;Stichting Kwintes;Elke week samen koken en eten.;"
    "welzijn, zorg;18+;ma t/m vr;9.30 - 11.00 uur;€ 2,50;nee;Meijhorst 60-10;6537 kt;"
    "Nijmegen;Dukenburg;Jan Jansen;024-3456789;j.jansen@kwintes.example",
    "Schuldhulpspreekuur Lindenholt;Welzijn Lindenholt;Hulp bij post, rekeningen en schulden;"
    "financiën;iedereen;di en do;13u00 tot 15u00;gratis;ja;Zwanenveld 90-01;6538 SW;Nijmegen;"
    "Lindenholt;;;",
    'Koffie-inloop Bergharen;Welzijn Maas en Waal;"Koffie; krant en een praatje";welzijn;'
    "ouderen;woensdagochtend;10:00-11:30;0,00;n;Dorpsstraat 1;6617 AB;;;Marieke de Boer;"
    "0612345678;",
)
DUTCH_TITLES = ("Samen koken in de Meijhorst", "Schuldhulpspreekuur Lindenholt",
                "Koffie-inloop Bergharen")


# --- fixtures and helpers ----------------------------------------------------------------------


def write(path: Path, lines: list[str] | tuple[str, ...], *, encoding: str = "utf-8-sig",
          newline: str = "\r\n") -> Path:
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def dutch_csv(folder: Path, name: str = "activiteiten.csv") -> Path:
    return write(folder / name, [DUTCH_HEADER, *DUTCH_ROWS])


@contextmanager
def opened(path: Path) -> Iterator[Directory]:
    store = SqliteStore(str(path))
    try:
        yield Directory(store, actor="test")
    finally:
        store.close()


def one(d: Directory, kind: str, name: str) -> Node:
    key = "title" if kind == ACTIVITY else "name"
    found = d.store.find_nodes(kind, {key: name})
    assert len(found) == 1, f"{len(found)} × {kind} {name!r}"
    return found[0]


def linked(d: Directory, node: Node, type_: str, direction: str = "out") -> list[Node]:
    edges = d.store.edges(node.id, types=[type_], direction=direction, current=True)  # type: ignore[arg-type]
    ids = [e.dst if direction == "out" else e.src for e in edges]
    return list(d.store.get_nodes(ids).values())


def rejections(report: dict[str, Any]) -> dict[int, tuple[str, str]]:
    return {r["line"]: (r["field"], r["message"]) for r in report["rejected"]}


# --- a realistic Dutch activity list -----------------------------------------------------------


def test_dutch_activity_list(run_import: Import, areas_db: Path, tmp_path: Path) -> None:
    code, report, err = run_import(dutch_csv(tmp_path))
    assert code == 0, err
    assert report["format"] == "csv"
    assert report["rejected"] == [] and report["unknown_columns"] == []
    assert report["written"] is True and report["dry_run"] is False
    assert (report["created"], report["updated"], report["unchanged"]) == (8, 0, 0)

    with opened(areas_db) as d:
        koken = one(d, ACTIVITY, "Samen koken in de Meijhorst")
        p = koken.props
        assert p["schedule"] == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        assert (p["start_time"], p["end_time"]) == ("09:30", "11:00")
        assert p["cost"] == "€ 2,50" and p["referral_needed"] is False
        assert p["life_domains"] == ["welzijn", "zorg"] and p["target_groups"] == ["18plus"]
        assert p["postcode"] == "6537 KT" and p["gemeente"] == "GM0268" and p["lat"]
        assert p["description"] == "Elke week samen koken en eten."
        assert [o.name for o in linked(d, koken, "OFFERED_BY")] == ["Stichting Kwintes"]
        assert [a.id for a in linked(d, koken, "IN_AREA")] == ["WK026807"]
        [jan] = linked(d, koken, "CONTACT")
        assert (jan.name, jan.props["phone"]) == ("Jan Jansen", "+31243456789")
        assert jan.props["email"] == "j.jansen@kwintes.example"
        assert [o.name for o in linked(d, jan, "WORKS_AT")] == ["Stichting Kwintes"]

        spreekuur = one(d, ACTIVITY, "Schuldhulpspreekuur Lindenholt")
        p = spreekuur.props
        assert p["life_domains"] == ["financien"] and p["target_groups"] == ["iedereen"]
        assert p["schedule"] == "FREQ=WEEKLY;BYDAY=TU,TH"
        assert (p["start_time"], p["end_time"]) == ("13:00", "15:00")
        assert p["cost"] == "gratis" and p["referral_needed"] is True
        assert [a.id for a in linked(d, spreekuur, "IN_AREA")] == ["WK026808"]
        assert linked(d, spreekuur, "CONTACT") == []

        koffie = one(d, ACTIVITY, "Koffie-inloop Bergharen")
        p = koffie.props
        assert p["description"] == "Koffie; krant en een praatje"
        assert p["gemeente"] == "GM0296" and p["city"] == "Bergharen"  # from the postcode
        assert p["cost"] == "gratis" and p["schedule"] == "FREQ=WEEKLY;BYDAY=WE"
        assert linked(d, koffie, "IN_AREA") == []
        [marieke] = linked(d, koffie, "CONTACT")
        assert marieke.props["phone"] == "+31612345678"
        assert [o.name for o in linked(d, marieke, "WORKS_AT")] == ["Welzijn Maas en Waal"]
        assert d.store.count_nodes(ORGANISATION) == 3


def test_imported_activities_are_found_by_search(capsys: pytest.CaptureFixture[str],
                                                 run_import: Import, areas_db: Path,
                                                 tmp_path: Path) -> None:
    assert run_import(dutch_csv(tmp_path))[0] == 0
    assert main(["--store", str(areas_db), "search", "Meijhorst", "--area", "Dukenburg",
                 "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [i["title"] for i in found["items"]] == ["Samen koken in de Meijhorst"]
    assert found["items"][0]["contact"]["name"] == "Jan Jansen"
    assert main(["--store", str(areas_db), "search", "--area", "Wijchen", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [i["title"] for i in found["items"]] == ["Koffie-inloop Bergharen"]


def test_search_finds_an_activity_by_its_verb(capsys: pytest.CaptureFixture[str],
                                              run_import: Import, areas_db: Path,
                                              tmp_path: Path) -> None:
    assert run_import(dutch_csv(tmp_path))[0] == 0
    assert main(["--store", str(areas_db), "search", "koken", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [i["title"] for i in found["items"]] == ["Samen koken in de Meijhorst"]


def test_text_report(capsys: pytest.CaptureFixture[str], areas_db: Path,
                     tmp_path: Path) -> None:
    assert main(["--store", str(areas_db), "import", str(dutch_csv(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Import (csv): 8 nieuw, 0 bijgewerkt, 0 ongewijzigd")
    assert "Alles is opgeslagen." in out


def test_english_comma_file(run_import: Import, areas_db: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "activities.csv", [
        "Title,Provider,Description,Life domain,Target group,Day,Start,End,Cost,"
        "Referral needed,Address,Postcode,City,Area,Contact,Phone,Email",
        'Walking group,Kwintes,"Walk, talk and coffee",social,adults,Mon-Fri,9:30,11:00,free,'
        "no,Heyendaalseweg 1,6525 AJ,Nijmegen,Nijmegen,Anna Smit,+31 24 123 4567,"
        "anna@kwintes.example",
        "Debt help,Welzijn Lindenholt,Help with letters,debt,everyone,Tuesday and Thursday,"
        "1:00 pm,3 pm,€ 5,yes,,,Nijmegen,Lindenholt,,,",
    ], encoding="utf-8", newline="\n")
    code, report, err = run_import(path)
    assert code == 0, err
    assert report["created"] == 5 and report["rejected"] == []
    with opened(areas_db) as d:
        walk = one(d, ACTIVITY, "Walking group")
        assert walk.props["description"] == "Walk, talk and coffee"
        assert walk.props["life_domains"] == ["welzijn"]
        assert walk.props["target_groups"] == ["18plus"]
        assert walk.props["schedule"] == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        assert walk.props["cost"] == "gratis" and walk.props["referral_needed"] is False
        assert [a.id for a in linked(d, walk, "IN_AREA")] == ["GM0268"]
        assert linked(d, walk, "CONTACT")[0].props["phone"] == "+31241234567"
        debt = one(d, ACTIVITY, "Debt help")
        assert (debt.props["start_time"], debt.props["end_time"]) == ("13:00", "15:00")
        assert debt.props["referral_needed"] is True and debt.props["cost"] == "€ 5"
        assert debt.props["schedule"] == "FREQ=WEEKLY;BYDAY=TU,TH"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_windows_encodings(run_import: Import, areas_db: Path, tmp_path: Path,
                           encoding: str) -> None:
    """Excel's "CSV (gescheiden door lijstscheidingsteken)" is cp1252; "Unicode-tekst" is
    UTF-16 with tabs."""
    delimiter = ";" if encoding == "cp1252" else "\t"
    rows = [["Naam", "Organisatie", "Leefgebied", "Kosten", "Dag"],
            ["Café De Ontmoeting", "Buurthuis ’t Hert", "welzijn", "€ 1,50", "zaterdag"],
            ["Geldzaken op orde", "Schuldhulpmaatje", "financiën", "gratis", "ma"]]
    path = write(tmp_path / "lijst.csv", [delimiter.join(r) for r in rows], encoding=encoding)
    code, report, err = run_import(path)
    assert code == 0, err
    assert report["created"] == 4
    with opened(areas_db) as d:
        cafe = one(d, ACTIVITY, "Café De Ontmoeting")
        assert cafe.props["cost"] == "€ 1,50"
        assert cafe.props["schedule"] == "FREQ=WEEKLY;BYDAY=SA"
        assert [o.name for o in linked(d, cafe, "OFFERED_BY")] == ["Buurthuis ’t Hert"]
        assert one(d, ACTIVITY, "Geldzaken op orde").props["life_domains"] == ["financien"]


def test_mixed_encodings_never_become_mojibake(run_import: Import, areas_db: Path,
                                               tmp_path: Path) -> None:
    path = tmp_path / "gemengd.csv"
    path.write_bytes("Activiteit;Leefgebied\r\nCafé Samen;welzijn\r\n".encode()
                     + "Geldzaken;financiën\r\n".encode("cp1252"))
    code, _, _ = run_import(path)
    with opened(areas_db) as d:
        titles = {n.name for n in d.store.find_nodes(ACTIVITY)}
        domains = one(d, ACTIVITY, "Geldzaken").props["life_domains"]
    assert code == 0 or "Café Samen" in titles
    assert code == 0 and titles == {"Café Samen", "Geldzaken"}  # no "CafÃ©" either
    assert domains == ["financien"]  # the cp1252 line read as cp1252


def test_cell_formats_for_yes_no_times_and_days(run_import: Import, areas_db: Path,
                                                tmp_path: Path) -> None:
    cases = [  # title, verwijzing nodig, van, dagen, expected referral, start, BYDAY
        ("A", "ja", "9:30", "ma t/m vr", True, "09:30", "MO,TU,WE,TH,FR"),
        ("B", "Nee", "09.30", "ma-vr", False, "09:30", "MO,TU,WE,TH,FR"),
        ("C", "j", "9u30", "maandag tot en met vrijdag", True, "09:30", "MO,TU,WE,TH,FR"),
        ("D", "n", "14:00", "di en do", False, "14:00", "TU,TH"),
        ("E", "x", "14.15 uur", "weekend", True, "14:15", "SA,SU"),
        ("F", "1", "8", "Mon-Fri", True, "08:00", "MO,TU,WE,TH,FR"),
        ("G", "0", "7 pm", "zaterdag en zondag", False, "19:00", "SA,SU"),
        ("H", "yes", "9:00", "wo", True, "09:00", "WE"),
        ("I", "no", "9:00", "dinsdagmiddag", False, "09:00", "TU"),
        ("J", "", "9:00", "vrijdag", False, "09:00", "FR"),
    ]
    lines = ["Activiteit;Verwijzing nodig;Van;Dagen"]
    lines += [f"Activiteit {t};{ref};{start};{days}" for t, ref, start, days, *_ in cases]
    code, report, err = run_import(write(tmp_path / "formats.csv", lines))
    assert code == 0, (err, report["rejected"])
    with opened(areas_db) as d:
        for title, _, _, _, referral, start, byday in cases:
            p = one(d, ACTIVITY, f"Activiteit {title}").props
            assert (p["referral_needed"], p["start_time"], p["schedule"]) == \
                (referral, start, f"FREQ=WEEKLY;BYDAY={byday}"), title


def test_zonder_verwijzing_column_is_the_opposite(run_import: Import, areas_db: Path,
                                                  tmp_path: Path) -> None:
    path = write(tmp_path / "inloop.csv", ["Activiteit;Zonder verwijzing",
                                           "Vrije inloop;ja", "Op verwijzing;nee"])
    assert run_import(path)[0] == 0
    with opened(areas_db) as d:
        assert one(d, ACTIVITY, "Vrije inloop").props["referral_needed"] is False
        assert one(d, ACTIVITY, "Op verwijzing").props["referral_needed"] is True


# --- xlsx ----------------------------------------------------------------------------------------


def _xlsx(path: Path, title: str, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_organisations_sheet(run_import: Import, areas_db: Path, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "partners.xlsx", "Organisaties", [
        ["Naam", "Soort organisatie", "Adres", "Postcode", "Plaats", "Werkgebied", "Telefoon",
         "E-mail", "Website", "Contactpersoon", "Functie", "KvK-nummer"],
        ["Stichting Kwintes", "begeleid wonen", "Dorpsstraat 5", "3701 AB", "Zeist", "Zeist",
         303456789, "info@kwintes.example", "www.kwintes.nl", "Petra Bakker",
         "Ervaringsdeskundige", 12345678],
        ["Welzijn Lindenholt", "Welzijn", "Zwanenveld 90-01", "6538 SW", "Nijmegen",
         "Lindenholt", "024 3456789", "post@welzijnlindenholt.example", "welzijnlindenholt.nl",
         None, None, None],
    ])
    code, report, err = run_import(path)
    assert code == 0, err
    assert report["format"] == "xlsx"
    assert report["created"] == 3 and report["rejected"] == []
    with opened(areas_db) as d:
        kwintes = one(d, ORGANISATION, "Stichting Kwintes")
        p = kwintes.props
        assert (p["partner_type"], p["role"], p["kvk"]) == ("begeleid_wonen", "ketenpartner",
                                                            "12345678")
        assert p["website"] == "https://www.kwintes.nl" and p["gemeente"] == "GM0355"
        assert [a.id for a in linked(d, kwintes, "ACTIVE_IN")] == ["GM0355"]
        [petra] = linked(d, kwintes, "WORKS_AT", "in")
        assert petra.name == "Petra Bakker"
        assert petra.props["job_title"] == "Ervaringsdeskundige"
        assert petra.props["phone"] == "+31303456789"  # Excel dropped the leading zero
        works_at = d.store.edges(petra.id, types=["WORKS_AT"])[0]
        assert works_at.props == {"job_title": "Ervaringsdeskundige"}
        linden = one(d, ORGANISATION, "Welzijn Lindenholt")
        assert linden.props["phone"] == "+31243456789"
        assert linden.props["email"] == "post@welzijnlindenholt.example"
        assert [a.id for a in linked(d, linden, "ACTIVE_IN")] == ["WK026808"]


def test_xlsx_activities_with_time_and_boolean_cells(run_import: Import, areas_db: Path,
                                                      tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "aanbod.xlsx", "Aanbod", [
        ["Activiteit", "Organisatie", "Leefgebied", "Dag", "Van", "Tot", "Verwijzing nodig",
         "Kosten", "Postcode", "Gecontroleerd op"],
        ["Moestuin De Groene Vingers", "Kwintes", "werk", "do", dt.time(13, 30),
         dt.time(16, 0), False, 0, "3701 AB", dt.datetime(2025, 3, 1)],
    ])
    code, report, err = run_import(path)
    assert code == 0, (err, report)
    with opened(areas_db) as d:
        p = one(d, ACTIVITY, "Moestuin De Groene Vingers").props
        assert (p["start_time"], p["end_time"]) == ("13:30", "16:00")
        assert p["referral_needed"] is False and p["cost"] == "gratis"
        assert p["life_domains"] == ["werk_dagbesteding"]
        assert p["last_verified_on"] == "2025-03-01"


# --- people, organisations and mixed sheets ------------------------------------------------------


def test_people_rows(run_import: Import, areas_db: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "contactpersonen.csv", [
        "Naam;Organisatie;Functie;Telefoon;E-mail;Laatst gecontroleerd",
        "Sara Koster;Kwintes;Woonbegeleider;06 1234 5678;s.koster@kwintes.example;1-3-2025",
        "Ahmed Ouali;Stichting Kwintes;Teamleider;024 3456789;;",
    ])
    code, report, err = run_import(path)
    assert code == 0, err
    assert report["created"] == 3
    with opened(areas_db) as d:
        sara = one(d, PERSON, "Sara Koster")
        assert sara.props == {"name": "Sara Koster", "job_title": "Woonbegeleider",
                              "phone": "+31612345678", "email": "s.koster@kwintes.example",
                              "last_verified_on": "2025-03-01"}
        [kwintes] = d.store.find_nodes(ORGANISATION)
        assert kwintes.name == "Kwintes"
        staff = {p.name for p in linked(d, kwintes, "WORKS_AT", "in")}
        assert staff == {"Sara Koster", "Ahmed Ouali"}


def test_mixed_sheet_with_a_soort_column(run_import: Import, areas_db: Path,
                                         tmp_path: Path) -> None:
    path = write(tmp_path / "alles.csv", [
        "Soort;Naam;Organisatie;Soort organisatie;Leefgebied;Dag;Functie",
        "organisatie;Buurthuis De Klinker;;welzijn;;;",
        "activiteit;Open tafel;Buurthuis De Klinker;;welzijn;vr;",
        "persoon;Kees Visser;Buurthuis De Klinker;;;;Beheerder",
        "boot;De Zwaan;;;;;",
    ])
    code, report, _ = run_import(path, "--skip-invalid")
    assert code == 0
    assert rejections(report) == {5: ("Soort", "onbekende soort 'boot' (activiteit, "
                                               "organisatie of persoon)")}
    with opened(areas_db) as d:
        klinker = one(d, ORGANISATION, "Buurthuis De Klinker")
        assert klinker.props["partner_type"] == "welzijn"
        assert [o.id for o in linked(d, one(d, ACTIVITY, "Open tafel"), "OFFERED_BY")] == \
            [klinker.id]
        kees = one(d, PERSON, "Kees Visser")
        assert [o.id for o in linked(d, kees, "WORKS_AT")] == [klinker.id]
        assert d.store.count_nodes(ORGANISATION) == 1


def test_an_activity_row_with_empty_day_and_domain_is_still_an_activity(
        run_import: Import, areas_db: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "aanbod.csv", [
        "Activiteit;Organisatie;Leefgebied;Dag;Telefoon;E-mail",
        "Spreekuur op afspraak;Kwintes;;;024 123 4567;info@kwintes.example",
    ])
    assert run_import(path)[0] == 0
    with opened(areas_db) as d:
        assert d.store.count_nodes(PERSON) == 0
        spreekuur = one(d, ACTIVITY, "Spreekuur op afspraak")
        assert spreekuur.props["phone"] == "+31241234567"  # no contact person: the row's own
        assert spreekuur.props["email"] == "info@kwintes.example"


# --- dry run, all or nothing, skip invalid -------------------------------------------------------


BAD_ROWS = [
    "Activiteit;Organisatie;Leefgebied;Dag;Tijd;Postcode;Wijk;E-mail",
    "Goede activiteit;Kwintes;welzijn;di;10:00-12:00;6537 KT;Dukenburg;",
    "Verkeerde postcode;Kwintes;welzijn;di;10:00-12:00;1234 XYZ;Dukenburg;",
    "Verkeerde tijd;Kwintes;welzijn;di;25:00;6537 KT;Dukenburg;",
    "Onbekend leefgebied;Kwintes;toerisme;di;10:00;6537 KT;Dukenburg;",
    "Onbekende dag;Kwintes;welzijn;blauwe maandag;10:00;6537 KT;Dukenburg;",
    "Onbekende wijk;Kwintes;welzijn;di;10:00;6537 KT;Atlantis;",
    "Verkeerd e-mailadres;Kwintes;welzijn;di;10:00;6537 KT;Dukenburg;geen-mail",
    ";Kwintes;welzijn;di;10:00;6537 KT;Dukenburg;",
    "Nog een goede;Kwintes;zorg;wo;14:00;6537 KT;;",
]
BAD_REASONS = {3: ("Postcode", "1234 XYZ"), 4: ("Tijd", "25:00"), 5: ("Leefgebied", "toerisme"),
               6: ("Dag", "blauwe"), 7: ("Wijk", "Atlantis"), 8: ("E-mail", "geen-mail"),
               9: ("Activiteit", "verplicht")}


def test_dry_run_reports_and_writes_nothing(run_import: Import, areas_db: Path,
                                            tmp_path: Path) -> None:
    before = fingerprint(areas_db)
    code, report, _ = run_import(dutch_csv(tmp_path), "--dry-run")
    assert code == 0
    assert report["dry_run"] is True and report["written"] is False
    assert report["created"] == 8
    assert fingerprint(areas_db) == before


def test_one_bad_row_refuses_the_whole_file(run_import: Import, areas_db: Path,
                                            tmp_path: Path) -> None:
    before = fingerprint(areas_db)
    code, report, err = run_import(write(tmp_path / "fout.csv", BAD_ROWS))
    assert code == 1 and err == "fout: 7 regel(s) afgewezen; er is niets geschreven\n"
    assert report["written"] is False
    found = rejections(report)
    assert set(found) == set(BAD_REASONS)
    for line, (column, fragment) in BAD_REASONS.items():
        assert found[line][0] == column, line
        assert fragment in found[line][1], found[line]
    for rejected in report["rejected"]:
        assert set(rejected) == {"line", "field", "message"}
    assert fingerprint(areas_db) == before


def test_rejections_in_the_text_report(capsys: pytest.CaptureFixture[str], areas_db: Path,
                                       tmp_path: Path) -> None:
    path = write(tmp_path / "fout.csv", BAD_ROWS)
    assert main(["--store", str(areas_db), "import", str(path)]) == 1
    out = capsys.readouterr().out
    assert "regel 3, Postcode: ongeldige postcode: '1234 XYZ'" in out
    assert "regel 4, Tijd: " in out and "7 regel(s) afgewezen" in out
    assert "Er is niets geschreven" in out
    assert main(["--store", str(areas_db), "import", str(path), "--dry-run"]) == 1
    assert "Proefdraai: er is niets geschreven." in capsys.readouterr().out
    assert main(["--store", str(areas_db), "import", str(path), "--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Import (csv): 3 nieuw, 0 bijgewerkt, 0 ongewijzigd, 7 regel(s) "
                          "afgewezen.")
    assert "De goede regels zijn opgeslagen, de afgewezen regels niet." in out


def test_skip_invalid_writes_the_good_rows(run_import: Import, areas_db: Path,
                                           tmp_path: Path) -> None:
    path = write(tmp_path / "fout.csv", BAD_ROWS)
    code, report, _ = run_import(path, "--skip-invalid")
    assert code == 0
    assert report["written"] is True
    assert set(rejections(report)) == set(BAD_REASONS)
    assert report["created"] == 3  # two activities and Kwintes
    with opened(areas_db) as d:
        titles = {n.name for n in d.store.find_nodes(ACTIVITY)}
    assert titles == {"Goede activiteit", "Nog een goede"}
    again = run_import(path, "--skip-invalid")[1]
    assert (again["created"], again["updated"]) == (0, 0)


def test_dry_run_of_a_bad_file_exits_1_and_writes_nothing(run_import: Import, areas_db: Path,
                                                          tmp_path: Path) -> None:
    before = fingerprint(areas_db)
    code, report, _ = run_import(write(tmp_path / "fout.csv", BAD_ROWS), "--dry-run")
    assert code == 1 and report["dry_run"] is True and len(report["rejected"]) == 7
    assert fingerprint(areas_db) == before


# --- matching: idempotence, organisation names, duplicates ---------------------------------------


def test_reimport_changes_nothing(run_import: Import, areas_db: Path, tmp_path: Path) -> None:
    path = dutch_csv(tmp_path)
    assert run_import(path)[0] == 0
    first = dump(areas_db)
    code, report, _ = run_import(path)
    assert code == 0
    assert (report["created"], report["updated"]) == (0, 0)
    assert report["unchanged"] == 5  # three activities and two contact persons
    assert dump(areas_db) == first


def test_reimport_with_a_changed_cell_updates_in_place(run_import: Import, areas_db: Path,
                                                       tmp_path: Path) -> None:
    assert run_import(dutch_csv(tmp_path))[0] == 0
    changed = [DUTCH_HEADER, DUTCH_ROWS[0].replace("€ 2,50", "€ 3,00"), *DUTCH_ROWS[1:]]
    code, report, _ = run_import(write(tmp_path / "nieuw.csv", changed))
    assert code == 0
    assert (report["created"], report["updated"]) == (0, 1)
    with opened(areas_db) as d:
        koken = one(d, ACTIVITY, "Samen koken in de Meijhorst")
        assert koken.props["cost"] == "€ 3,00" and koken.version == 2


def test_partial_reimport_keeps_what_the_file_does_not_mention(run_import: Import,
                                                               demo_db: Path,
                                                               tmp_path: Path) -> None:
    orgs = write(tmp_path / "websites.csv", ["Naam;Website", "Pro Persona;www.propersona.nl/wijk"])
    code, report, _ = run_import(orgs, store=demo_db)
    assert code == 0 and report["updated"] == 1
    costs = write(tmp_path / "kosten.csv", ["Activiteit;Organisatie;Kosten",
                                            "Inloop met koffieochtend;Stichting Welzijn "
                                            "Tielerwaard;€ 1"])
    code, report, _ = run_import(costs, store=demo_db)
    assert code == 0 and (report["created"], report["updated"]) == (0, 1)
    with opened(demo_db) as d:
        persona = d.get("org-pro-persona").props
        assert persona["website"] == "https://www.propersona.nl/wijk"
        assert (persona["role"], persona["partner_type"]) == ("moederorganisatie",
                                                              "specialistische_ggz")
        koffie = d.get("act-0072").props
        assert koffie["cost"] == "€ 1"
        assert koffie["life_domains"] == ["welzijn"]
        assert koffie["target_groups"] == ["18plus", "iedereen"]


def test_stichting_kwintes_and_kwintes_are_one_organisation(run_import: Import, areas_db: Path,
                                                            tmp_path: Path) -> None:
    assert run_import(dutch_csv(tmp_path))[0] == 0  # "Stichting Kwintes"
    people = write(tmp_path / "mensen.csv", ["Naam;Organisatie;Functie",
                                             "Sara Koster;Kwintes;Woonbegeleider",
                                             "Ahmed Ouali;KWINTES;Teamleider",
                                             "Bo de Wit;Kwintes B.V.;Stagiair"])
    code, report, _ = run_import(people)
    assert code == 0
    assert report["created"] == 3 and report["possible_duplicates"] == []
    with opened(areas_db) as d:
        kwintes = one(d, ORGANISATION, "Stichting Kwintes")
        staff = {p.name for p in linked(d, kwintes, "WORKS_AT", "in")}
        assert staff == {"Jan Jansen", "Sara Koster", "Ahmed Ouali", "Bo de Wit"}
        assert d.store.count_nodes(ORGANISATION) == 3


def test_a_near_duplicate_organisation_is_reported(capsys: pytest.CaptureFixture[str],
                                                   run_import: Import, areas_db: Path,
                                                   tmp_path: Path) -> None:
    assert run_import(dutch_csv(tmp_path))[0] == 0  # "Welzijn Lindenholt"
    path = write(tmp_path / "typo.csv", ["Activiteit;Organisatie;Leefgebied",
                                         "Buurtmaaltijd;Welzijn Lindeholt;welzijn"])
    code, report, _ = run_import(path, "--dry-run")
    assert code == 0
    [duplicate] = report["possible_duplicates"]
    assert duplicate["line"] == 2 and duplicate["name"] == "Welzijn Lindeholt"
    assert duplicate["similar_to"]["name"] == "Welzijn Lindenholt"
    assert duplicate["similar_to"]["kind"] == "Organisation"
    assert main(["--store", str(areas_db), "import", str(path), "--dry-run"]) == 0
    assert ("mogelijk dubbel (regel 2): 'Welzijn Lindeholt' lijkt op 'Welzijn Lindenholt'"
            in capsys.readouterr().out)


def test_duplicate_rows_in_one_file_make_one_node(run_import: Import, areas_db: Path,
                                                  tmp_path: Path) -> None:
    row = DUTCH_ROWS[0]
    code, report, _ = run_import(write(tmp_path / "dubbel.csv", [DUTCH_HEADER, row, row, row]))
    assert code == 0
    assert report["created"] == 3  # activity, organisation, contact person
    with opened(areas_db) as d:
        koken = one(d, ACTIVITY, "Samen koken in de Meijhorst")
        assert len(d.store.edges(koken.id, types=["OFFERED_BY"])) == 1
        assert len(d.store.edges(koken.id, types=["CONTACT"])) == 1
        assert d.store.count_nodes(PERSON) == 1


# --- mapping files -------------------------------------------------------------------------------


OWN_HEADERS = ["Wat;Wie;Waarover;Wanneer;Opmerking",
               "Samen wandelen;Kwintes;welzijn;di;neem goede schoenen mee"]


@pytest.mark.parametrize("mapping", [
    "# eigen kolommen\nWat = name\nWie = organisation\nWaarover = life_domains\n"
    "Wanneer = days\n",
    '{"Wat": "name", "Wie": "organisation", "Waarover": "life_domains", "Wanneer": "days"}',
    "kolomkop;veld\nWat;name\nWie;organisation\nWaarover;life_domains\nWanneer;days\n",
])
def test_mapping_file_names_unknown_headers(run_import: Import, areas_db: Path, tmp_path: Path,
                                            mapping: str) -> None:
    data = write(tmp_path / "eigen.csv", OWN_HEADERS)
    (tmp_path / "koppeling.txt").write_text(mapping, encoding="utf-8")
    code, report, err = run_import(data, "--mapping", str(tmp_path / "koppeling.txt"))
    assert code == 0, err
    assert report["unknown_columns"] == ["Opmerking"]
    with opened(areas_db) as d:
        walk = one(d, ACTIVITY, "Samen wandelen")
        assert walk.props["schedule"] == "FREQ=WEEKLY;BYDAY=TU"
        assert [o.name for o in linked(d, walk, "OFFERED_BY")] == ["Kwintes"]


@pytest.mark.parametrize("mapping, fragment", [
    (None, "geen kolom met een naam"),
    ("Wat = vliegtuig\n", "koppeling.txt: regel 1: onbekend veld 'vliegtuig'"),
    ("{kapot", "koppeling.txt: regel 1: ongeldige JSON"),
    ("Wat = name\nWie = name\n", "horen allebei bij veld 'name'"),
])
def test_bad_or_missing_mapping_is_one_line(run_import: Import, areas_db: Path, tmp_path: Path,
                                            mapping: str | None, fragment: str) -> None:
    data = write(tmp_path / "eigen.csv", OWN_HEADERS)
    flags: list[str] = []
    if mapping is not None:
        (tmp_path / "koppeling.txt").write_text(mapping, encoding="utf-8")
        flags = ["--mapping", str(tmp_path / "koppeling.txt")]
    before = fingerprint(areas_db)
    code, report, err = run_import(data, *flags)
    assert code == 1 and report == {}
    assert err.count("\n") == 1 and err.startswith("fout: ") and fragment in err
    assert fingerprint(areas_db) == before


def test_missing_mapping_file(run_import: Import, tmp_path: Path) -> None:
    data = write(tmp_path / "eigen.csv", OWN_HEADERS)
    code, _, err = run_import(data, "--mapping", str(tmp_path / "weg.txt"))
    assert code == 1
    assert err == f"fout: --mapping: koppelbestand niet gevonden: {tmp_path / 'weg.txt'}\n"


# --- files that cannot be read -------------------------------------------------------------------


@pytest.mark.parametrize("name, fragment", [
    ("unbalanced_quote.csv", "regel 2, unbalanced_quote.csv: aanhalingsteken niet gesloten"),
    ("binary.csv", "binaire inhoud"),
    ("empty.csv", "empty.csv: bestand is leeg"),
    ("only_separators.csv", "bestand is leeg"),
    ("picture.png", "binaire inhoud"),
    ("picture_named.csv", "binaire inhoud"),
    ("corrupt.xlsx", "geen geldig Excelbestand"),
    ("old_excel.xls", "oud (.xls)"),
    ("no_name_column.csv", "geen kolom met een naam of titel"),
    ("two_name_columns.csv", "'Naam' en 'Activiteit' horen allebei bij veld 'name'"),
    ("duplicate_header.csv", "dubbele kolomkop 'Leefgebied'"),
    ("too_many_cells.csv", "regel 3, too_many_cells.csv: 4 cellen maar 2 kolomkoppen"),
])
def test_unreadable_files_exit_1_with_one_line(run_import: Import, areas_db: Path, name: str,
                                               fragment: str) -> None:
    before = fingerprint(areas_db)
    code, report, err = run_import(BAD_FILES / name)
    assert code == 1 and report == {}
    assert err.count("\n") == 1 and err.startswith("fout: "), err
    assert fragment in err and "Traceback" not in err
    assert fingerprint(areas_db) == before


@pytest.mark.parametrize("argv, fragment", [
    (["import", "bestaat-niet.csv"], "bestand niet gevonden"),
    (["import", "."], "kan niet gelezen worden"),
])
def test_missing_or_unreadable_paths(capsys: pytest.CaptureFixture[str], areas_db: Path,
                                     argv: list[str], fragment: str) -> None:
    assert main(["--store", str(areas_db), *argv]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err


def test_a_csv_forced_as_xlsx_is_refused(run_import: Import, tmp_path: Path) -> None:
    code, _, err = run_import(dutch_csv(tmp_path), "--format", "xlsx")
    assert code == 1 and "geen geldig Excelbestand" in err


def test_a_file_of_headers_only_imports_nothing(run_import: Import, areas_db: Path,
                                                tmp_path: Path) -> None:
    before = fingerprint(areas_db)
    code, report, _ = run_import(write(tmp_path / "leeg.csv", [DUTCH_HEADER]))
    assert code == 0 and report["created"] == 0
    assert fingerprint(areas_db) == before


# --- progress ------------------------------------------------------------------------------------


def _many_rows(folder: Path, count: int) -> Path:
    rows = [f"Activiteit {i:03d};Kwintes;welzijn;di" for i in range(count)]
    return write(folder / "veel.csv", ["Activiteit;Organisatie;Leefgebied;Dag", *rows])


def test_long_imports_show_a_progress_bar_on_a_terminal(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, areas_db: Path,
        tmp_path: Path) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["--store", str(areas_db), "import", str(_many_rows(tmp_path, 250))]) == 0
    captured = capsys.readouterr()
    assert "importeren" in captured.err and "250/250" in captured.err
    assert "250 nieuw" not in captured.out  # 250 activities + Kwintes
    assert "251 nieuw" in captured.out


def test_no_progress_bar_when_not_on_a_terminal(capsys: pytest.CaptureFixture[str],
                                                areas_db: Path, tmp_path: Path) -> None:
    assert main(["--store", str(areas_db), "import", str(_many_rows(tmp_path, 250)),
                 "--dry-run"]) == 0
    assert capsys.readouterr().err == ""
