"""vCard import and export (issue 4, item 2), end to end through the loader and the CLI.

The cards in ``tests/data/vcard`` are hand-made in the shape iPhone, Outlook (2.1 with
quoted-printable in Windows-1252), Google Contacts (3.0, folded lines) and vCard 4.0
programs export them; every person, number and address in them is invented.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from store_files import fingerprint

from directory.errors import ValidationError
from directory.importing import load_records
from directory.model import ORGANISATION, PERSON, TEAM, Node
from directory.service import Directory
from graph.sqlite_store import SqliteStore
from importers.registry import ExportScope, detect_format, export_to, read_records
from importers.vcard import parse_vcards, sniff_vcard
from importers.vcard_export import Card, format_vcards

DATA = Path(__file__).parent / "data" / "vcard"
PHONE_EXPORTS = ("iphone.vcf", "outlook.vcf", "google.vcf", "vcard4.vcf")

Run = Callable[..., tuple[int, dict[str, Any], str]]


def people(d: Directory) -> dict[str, Node]:
    return {n.name: n for n in d.store.find_nodes(PERSON)}


def employer(d: Directory, person: Node) -> list[str]:
    edges = d.store.edges(person.id, types=["WORKS_AT"], direction="out", current=True)
    return sorted(d.store.get_node(e.dst).name for e in edges)


def load(d: Directory, name: str, **flags: bool) -> Any:
    read = read_records(DATA / name)
    return read, load_records(d, read.records, format=read.format, **flags)


# --- import into a real directory (SQLite and Neo4j) -----------------------------------------


def test_phone_and_outlook_exports_become_people_at_organisations(directory: Directory) -> None:
    pro_persona = directory.create(ORGANISATION, {"name": "Pro Persona"})
    for name in PHONE_EXPORTS:
        read, report = load(directory, name)
        assert read.format == "vcard" and report.rejected == [] and report.written

    found = people(directory)
    assert sorted(found) == ["Ayşe Öztürk", "Eva de Wit", "Jan Jansen", "José Bakker",
                             "Marieke de Boer", "Pieter van den Berg", "René Müller"]
    jan = found["Jan Jansen"].props
    # the preferred (pref) mobile, not the work line below it nor the private home line
    assert jan == {"name": "Jan Jansen", "job_title": "Woonbegeleider",
                   "phone": "+31612345601", "email": "j.jansen@kwintes.example"}
    assert found["Jan Jansen"].source == "vcard"
    assert found["Jan Jansen"].source_id == "3F2B4C1A-7D1E-4E8A-9C11-0A1B2C3D4E01"
    assert employer(directory, found["Jan Jansen"]) == ["Stichting Kwintes"]
    # Outlook 2.1: Windows-1252 and quoted-printable decoded, work voice before mobile and fax
    jose = found["José Bakker"]
    assert (jose.props["job_title"], jose.props["phone"]) == ("SPV", "+31243456703")
    assert employer(directory, jose) == ["Pro Persona"]  # "Pro Persona B.V." is the same
    rene = found["René Müller"].props
    assert rene["job_title"] == "Wijkconsulent"  # a quoted-printable soft line break
    assert employer(directory, found["René Müller"]) == ["Woningcorporatie Talés"]
    # Google: a title folded over two lines, with an escaped comma
    assert found["Marieke de Boer"].props["job_title"] == (
        "Opbouwwerker ouderen en mantelzorgers in Bergharen, Hernen en Leurwen")
    assert found["Marieke de Boer"].props["phone"] == "+31488123456"
    # vCard 4.0: a tel: URI; ORG's department is not the organisation
    assert found["Eva de Wit"].props["phone"] == "+31344637124"
    assert employer(directory, found["Eva de Wit"]) == ["Gemeente Tiel"]
    haven = directory.store.find_nodes(ORGANISATION, {"name": "Stichting Inloophuis De Haven"})
    assert [o.props.get("website") for o in haven] == ["https://www.dehaven-tiel.example"]
    assert directory.store.get_node(pro_persona.id).name == "Pro Persona"
    assert len(directory.store.find_nodes(ORGANISATION, {"name": "Pro Persona B.V."})) == 0


def test_reimport_changes_nothing(directory: Directory) -> None:
    for name in PHONE_EXPORTS:
        load(directory, name)
    before = (directory.store.count_nodes(), len(directory.store.edges()))
    for name in PHONE_EXPORTS:
        _, report = load(directory, name)
        assert (report.created, report.updated) == (0, 0) and report.unchanged > 0
    assert (directory.store.count_nodes(), len(directory.store.edges())) == before


def test_a_changed_card_updates_the_person_by_uid(directory: Directory, tmp_path: Path) -> None:
    load(directory, "iphone.vcf")
    text = (DATA / "iphone.vcf").read_text().replace("FN:Jan Jansen", "FN:Jan Jansen-Vos")
    changed = tmp_path / "iphone.vcf"
    changed.write_text(text)
    read = read_records(changed)
    report = load_records(directory, read.records, format="vcard")
    assert (report.created, report.updated) == (0, 1)
    assert "Jan Jansen-Vos" in people(directory) and "Jan Jansen" not in people(directory)


def test_notes_say_what_was_left_out() -> None:
    read = read_records(DATA / "iphone.vcf")
    assert read.notes == [
        "kaart 1 (Jan Jansen): privé-telefoonnummer of -e-mail (TYPE=home) niet overgenomen",
        "kaart 1 (Jan Jansen): NOTE niet overgenomen (een persoon heeft geen notitieveld)"]
    assert read_records(DATA / "outlook.vcf").unknown == ["ADR", "X-MS-OL-DEFAULT-POSTAL-ADDRESS"]


# --- malformed cards: rejected with card number, property and reason --------------------------


@pytest.mark.parametrize(("name", "card", "field", "words", "kept"), [
    ("no_fn.vcf", 2, "kaart 2: FN", "FN is verplicht", ["Kees Smit"]),
    ("broken_folding.vcf", 2, "kaart 2: NOTE", "regel 11 kan niet gelezen worden",
     ["Fatima El Amrani", "Sanne Mulder"]),
    ("invalid_phone.vcf", 1, "kaart 1: TEL", "ongeldig telefoonnummer: '12345'", ["Lotte Vos"]),
    ("truncated.vcf", 2, "kaart 2: END:VCARD", "END:VCARD ontbreekt", ["Henk Peters"]),
])
def test_a_bad_card_is_rejected_and_nothing_is_written(run: Run, store_path: Path, name: str,
                                                       card: int, field: str, words: str,
                                                       kept: list[str]) -> None:
    before = fingerprint(store_path)
    code, report, err = run("import", str(DATA / name), "--json")
    assert code == 1 and "er is niets geschreven" in err
    assert [(r["line"], r["field"]) for r in report["rejected"]] == [(card, field)]
    assert words in report["rejected"][0]["message"]
    assert report["written"] is False and fingerprint(store_path) == before

    code, report, _ = run("import", str(DATA / name), "--json", "--skip-invalid")
    assert code == 0 and report["written"] is True and len(report["rejected"]) == 1
    with_store = Directory(SqliteStore(str(store_path)))
    try:
        assert sorted(people(with_store)) == kept
    finally:
        with_store.store.close()


@pytest.mark.parametrize(("name", "words"), [
    ("empty.vcf", "bestand is leeg"),
    ("binary.vcf", "bestand is binair, geen vCard-bestand"),
    ("wrong_format.vcf", "regel 1: tekst buiten een kaart ('naam;organisatie')"),
])
def test_an_unreadable_file_is_refused_whole(run: Run, store_path: Path, name: str,
                                             words: str) -> None:
    before = fingerprint(store_path)
    code, _, err = run("import", str(DATA / name), "--format", "vcard", "--json")
    assert code == 1 and words in err and "Traceback" not in err
    assert fingerprint(store_path) == before


def test_a_utf16_export_is_read(tmp_path: Path) -> None:
    path = tmp_path / "contacten.vcf"
    path.write_bytes((DATA / "google.vcf").read_text().encode("utf-16"))
    read = read_records(path)
    assert read.format == "vcard"
    assert [r.props["name"] for r in read.records] == ["Marieke de Boer", "Pieter van den Berg"]


def test_a_calendar_is_no_vcard() -> None:
    ics = DATA.parent / "ical" / "no_dtstart.ics"
    with pytest.raises(ValidationError, match="tekst buiten een kaart"):
        read_records(ics, "vcard")


# --- format detection -------------------------------------------------------------------------


def test_format_is_detected_from_content(tmp_path: Path) -> None:
    renamed = tmp_path / "contacten.txt"
    renamed.write_bytes(b"\xef\xbb\xbf\r\n  begin:vcard\r\n" + (DATA / "google.vcf").read_bytes()
                        .split(b"\r\n", 1)[1])
    assert detect_format(renamed) == "vcard"
    assert read_records(renamed).format == "vcard"
    assert sniff_vcard(b"BEGIN:VCARD\r\n", Path("x.csv"))
    assert sniff_vcard(b"naam;organisatie", Path("export.vcf"))  # the name as a last hint
    assert not sniff_vcard(b"BEGIN:VCALENDAR\r\n", Path("agenda.vcf"))
    assert not sniff_vcard(b"naam;organisatie", Path("export.csv"))


# --- export -----------------------------------------------------------------------------------


def _export(d: Directory, scope: ExportScope, path: Path) -> int:
    with path.open("wb") as out:
        return export_to(d, "vcard", out, scope)


def _cards(path: Path) -> list[Any]:
    return list(vobject.readComponents(path.read_text(encoding="utf-8")))


def test_export_of_an_organisation_and_its_round_trip(directory: Directory, tmp_path: Path,
                                                      other: Directory) -> None:
    for name in PHONE_EXPORTS:
        load(directory, name)
    kwintes = tmp_path / "kwintes.vcf"
    assert _export(directory, ExportScope(organisation="Stichting Kwintes",
                                          include_contacts=True), kwintes) == 1
    [card] = _cards(kwintes)
    assert card.version.value == "3.0" and card.fn.value == "Jan Jansen"
    assert card.org.value == ["Stichting Kwintes"] and card.title.value == "Woonbegeleider"
    assert card.tel.value == "+31612345601" and card.email.value == "j.jansen@kwintes.example"
    assert card.uid.value == "3F2B4C1A-7D1E-4E8A-9C11-0A1B2C3D4E01"

    everyone = tmp_path / "iedereen.vcf"
    assert _export(directory, ExportScope(include_contacts=True), everyone) == 7
    read = read_records(everyone)
    report = load_records(other, read.records, format="vcard")
    organisations = {r.organisation for r in read.records}
    assert (report.created, report.rejected) == (7 + len(organisations), [])
    again = tmp_path / "opnieuw.vcf"
    _export(other, ExportScope(include_contacts=True), again)
    assert again.read_bytes() == everyone.read_bytes()
    assert {n: p.props for n, p in people(other).items()} == {
        n: p.props for n, p in people(directory).items()}
    report = load_records(directory, read.records, format="vcard")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 7)


def test_phone_and_email_only_when_asked(directory: Directory, tmp_path: Path) -> None:
    load(directory, "iphone.vcf")
    path = tmp_path / "kaarten.vcf"
    assert _export(directory, ExportScope(), path) == 2
    text = path.read_text()
    assert "FN:Jan Jansen" in text and "TEL" not in text and "EMAIL" not in text
    read = read_records(path)
    report = load_records(directory, read.records, format="vcard")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert people(directory)["Jan Jansen"].props["phone"] == "+31612345601"  # nothing lost


def test_team_and_area_exports(demo: Directory, tmp_path: Path) -> None:
    team = demo.resolve("WijkGGZ Nijmegen-Dukenburg", TEAM)
    members = {e.src for e in demo.current(team.id, ["MEMBER_OF"], "in")}
    liaisons = demo.store.edges_between(["LIAISON_FOR", "KNOWS"], list(members), "out")
    partners = {e.dst for e in liaisons if e.current and e.type == "LIAISON_FOR"}
    path = tmp_path / "team.vcf"
    count = _export(demo, ExportScope(team=team.id), path)
    names = [c.fn.value for c in _cards(path)]
    assert count == len(names) > 0 and names == sorted(names, key=str.casefold)
    exported = {p.id for p in demo.store.find_nodes(PERSON) if p.name in names}
    assert not exported & members  # colleagues are not the team's partner contacts
    for person in exported:
        works = demo.current(person, ["WORKS_AT"])
        knows = demo.store.edges_between(["KNOWS"], [person], "in")
        assert {e.dst for e in works} & partners or {e.src for e in knows} & members

    area = tmp_path / "dukenburg.vcf"
    _export(demo, ExportScope(area="Dukenburg"), area)
    in_area = {c.fn.value for c in _cards(area)}
    assert in_area
    both = tmp_path / "beide.vcf"
    _export(demo, ExportScope(area="Dukenburg", team=team.id), both)
    assert {c.fn.value for c in _cards(both)} == in_area & set(names)


def test_cli_export_writes_the_file(run: Run, store_path: Path, tmp_path: Path) -> None:
    assert run("import", str(DATA / "google.vcf"), "--json")[0] == 0
    out = tmp_path / "politie.vcf"
    code, _, err = run("export", "--format", "vcard", "-o", str(out), "--organisation",
                       "Politie Gelderland-Zuid", "--include-contacts")
    assert code == 0 and "1 item(s) geschreven" in err
    [card] = _cards(out)
    assert (card.fn.value, card.tel.value) == ("Pieter van den Berg", "+31612345604")
    code, _, err = run("export", "--format", "vcard", "-o", str(out), "--organisation", "Nergens")
    assert code == 1 and "Nergens" in err
    assert _cards(out)[0].fn.value == "Pieter van den Berg"  # the old file is left whole


# --- property: format → parse gives the same people -------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
                min_size=1, max_size=60).map(lambda s: " ".join(s.split())).filter(bool)
_PHONES = st.sampled_from(["", "+31243456701", "+31612345603", "+31344637123", "+31881234567"])
_CARDS = st.builds(Card, name=_TEXT, uid=st.uuids().map(str), job_title=st.just("") | _TEXT,
                   organisation=st.just("") | _TEXT, phone=_PHONES,
                   email=st.sampled_from(["", "a.b@kwintes.example", "info@tiel.example"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(_CARDS, min_size=1, max_size=5))
def test_written_cards_parse_back_the_same(cards: list[Card]) -> None:
    records, notes, unknown = parse_vcards(format_vcards(cards))
    assert notes == [] and unknown == []
    assert [(r.line, r.problem) for r in records] == [(i, None) for i in
                                                      range(1, len(cards) + 1)]
    for record, card in zip(records, cards, strict=True):
        wanted = {"name": card.name, "job_title": card.job_title, "phone": card.phone,
                  "email": card.email}
        assert record.props == {k: v for k, v in wanted.items() if v}
        assert record.organisation == (card.organisation or None)
        assert (record.source, record.source_id) == ("vcard", card.uid)


def test_an_erased_person_is_not_exported(directory: Directory, tmp_path: Path) -> None:
    from directory.people import erase_person

    load(directory, "google.vcf")
    erase_person(directory, "Pieter van den Berg")
    path = tmp_path / "alle.vcf"
    assert _export(directory, ExportScope(), path) == 1
    assert [c.fn.value for c in _cards(path)] == ["Marieke de Boer"]
