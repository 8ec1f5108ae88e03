"""iCalendar import and export (issue 4, item 3), end to end through the loader and the CLI.

The calendars in ``tests/data/ical`` are hand-made in the shape a municipality's wijkagenda
(with a Europe/Amsterdam VTIMEZONE), a welfare organisation's Outlook calendar (Windows
zone names) and a Google Calendar export (UTC times) have; all activities are invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from store_files import fingerprint

from directory.errors import ValidationError
from directory.importing import load_records
from directory.model import ACTIVITY, Node
from directory.service import Directory
from graph.sqlite_store import SqliteStore
from importers.ical import parse_calendar, sniff_ical
from importers.ical_export import Happening, first_day, format_calendar
from importers.ical_location import format_location
from importers.registry import ExportScope, detect_format, export_to, read_records

DATA = Path(__file__).parent / "data" / "ical"
CALENDARS = ("gemeente_dukenburg.ics", "outlook_welzijn_tiel.ics",
             "google_ervaringsdeskundigen.ics")
SHARED = ("title", "description", "schedule", "start_time", "end_time", "address", "postcode",
          "city", "url", "life_domains", "target_groups", "lat", "lon")

Run = Callable[..., tuple[int, dict[str, Any], str]]


def activities(d: Directory) -> dict[str, Node]:
    return {n.name: n for n in d.store.find_nodes(ACTIVITY)}


def offered_by(d: Directory, node: Node) -> list[str]:
    return [d.store.get_node(e.dst).name for e in d.current(node.id, ["OFFERED_BY"])]


def load(d: Directory, path: Path) -> Any:
    read = read_records(path)
    return read, load_records(d, read.records, format=read.format)


# --- import into a real directory (SQLite and Neo4j) -----------------------------------------


def test_a_municipal_wijkagenda_becomes_activities(directory: Directory) -> None:
    read, report = load(directory, DATA / "gemeente_dukenburg.ics")
    assert read.format == "ical" and report.rejected == [] and report.written
    found = activities(directory)
    assert sorted(found) == ["Formulierenspreekuur", "Koffie-inloop De Schakel",
                             "Lotgenotengroep mantelzorgers GGZ"]
    koffie = found["Koffie-inloop De Schakel"]
    p = koffie.props
    assert (p["schedule"], p["start_time"], p["end_time"]) == ("FREQ=WEEKLY;BYDAY=TU", "09:30",
                                                                "11:30")
    assert (p["address"], p["postcode"], p["city"]) == ("Buurthuis De Schakel, Meijhorst 60-10",
                                                        "6537 KT", "Nijmegen")
    assert p["gemeente"] == "GM0268" and (p["lat"], p["lon"]) == (51.8262, 5.8006)
    assert p["description"].startswith("Elke dinsdagochtend koffie, thee en een praatje.")
    assert "\nDe wijkGGZ schuift één keer per maand aan." in p["description"]
    assert (p["life_domains"], p["target_groups"]) == (["welzijn"], ["iedereen"])
    assert p["url"] == "https://www.nijmegen.example/wijkagenda/koffie-inloop-de-schakel"
    assert (koffie.source, koffie.source_id) == ("ical",
                                                 "wijkagenda-dukenburg-0001@nijmegen.example")
    assert offered_by(directory, koffie) == ["Stichting Bindkracht10"]
    spreekuur = found["Formulierenspreekuur"].props
    assert spreekuur["schedule"] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"
    assert (spreekuur["life_domains"], spreekuur["target_groups"]) == (["financien"], ["18plus"])
    groep = found["Lotgenotengroep mantelzorgers GGZ"].props
    assert (groep["schedule"], groep["start_time"]) == ("FREQ=MONTHLY;BYDAY=1TU", "19:00")
    assert read.notes == [
        "event 1 ('Koffie-inloop De Schakel'): 2 uitzonderingsdatum(s) (EXDATE) niet "
        "overgenomen: 22-12-2026, 29-12-2026",
        "event 4 ('Wijkfeest Dukenburg 60 jaar'): eenmalige activiteit op 10-10-2026 "
        "overgeslagen (alleen terugkerend aanbod wordt overgenomen)",
        "event 5 ('Koffie-inloop De Schakel (later i.v.m. schoonmaak)'): gewijzigde losse datum "
        "van een reeks (RECURRENCE-ID) overgeslagen"]
    assert read.unknown == ["CATEGORIES: Lotgenotencontact"]


def test_outlook_and_google_time_zones_become_amsterdam_time(directory: Directory) -> None:
    load(directory, DATA / "outlook_welzijn_tiel.ics")
    read, _ = load(directory, DATA / "google_ervaringsdeskundigen.ics")
    found = activities(directory)
    maaltijd = found["Buurtmaaltijd Tiel-West"].props  # "W. Europe Standard Time"
    assert (maaltijd["start_time"], maaltijd["end_time"]) == ("17:00", "19:00")
    assert maaltijd["schedule"] == "FREQ=WEEKLY;UNTIL=20270625T160000Z;INTERVAL=1;BYDAY=TH;WKST=SU"
    assert maaltijd["description"].endswith("Kosten: € 3,50")
    assert (maaltijd["postcode"], maaltijd["city"]) == ("4003 BR", "Tiel")
    assert found["Geldcafé"].props["schedule"] == "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,FR;WKST=SU"
    herstel = found["Herstelgroep WRAP"].props  # 18:30 UTC in January is 19:30 in Tiel
    assert (herstel["start_time"], herstel["end_time"]) == ("19:30", "21:30")
    wandelen = found["Wandelen met de wijk"].props  # 08:00 UTC in June is 10:00
    assert (wandelen["start_time"], wandelen["schedule"]) == ("10:00", "FREQ=WEEKLY;BYDAY=TU")
    assert wandelen["status"] == "gestopt"  # STATUS:CANCELLED
    assert read.notes == []


def test_a_utc_time_on_another_day_moves_the_weekday() -> None:
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//NL\r\nBEGIN:VEVENT\r\nUID:n1\r\n"
            "DTSTAMP:20260101T000000Z\r\nSUMMARY:Nachtcafé\r\nDTSTART:20260105T233000Z\r\n"
            "DURATION:PT1H\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,FR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    [record], _, _ = parse_calendar(text)
    assert record.props["schedule"] == "FREQ=WEEKLY;BYDAY=TU,SA"  # 00:30 in Amsterdam
    assert (record.props["start_time"], record.props["end_time"]) == ("00:30", "01:30")


def test_reimport_changes_nothing(directory: Directory) -> None:
    for name in CALENDARS:
        load(directory, DATA / name)
    before = (directory.store.count_nodes(), len(directory.store.edges()))
    for name in CALENDARS:
        _, report = load(directory, DATA / name)
        assert (report.created, report.updated, report.rejected) == (0, 0, [])
    assert (directory.store.count_nodes(), len(directory.store.edges())) == before


# --- malformed events: rejected with event number, property and reason -----------------------


@pytest.mark.parametrize(("name", "rejected", "kept"), [
    ("no_dtstart.ics", [(1, "event 1: DTSTART", "begin (DTSTART) ontbreekt")],
     ["Repair Café Wijchen"]),
    ("bad_values.ics", [(1, "event 1: DTSTART", "ongeldige waarde"),
                        (2, "event 2: RRULE", "ongeldige waarde"),
                        (3, "event 3: DTEND", "eindtijd 12:00 ligt niet na begintijd 14:00")],
     []),
])
def test_a_bad_event_is_rejected_and_nothing_is_written(run: Run, store_path: Path, name: str,
                                                        rejected: list[tuple[int, str, str]],
                                                        kept: list[str]) -> None:
    before = fingerprint(store_path)
    code, report, err = run("import", str(DATA / name), "--json")
    assert code == 1 and "er is niets geschreven" in err
    assert [(r["line"], r["field"]) for r in report["rejected"]] == [r[:2] for r in rejected]
    for item, (_, _, words) in zip(report["rejected"], rejected, strict=True):
        assert words in item["message"]
    assert report["written"] is False and fingerprint(store_path) == before

    code, report, _ = run("import", str(DATA / name), "--json", "--skip-invalid")
    assert code == 0 and report["written"] is True
    store = SqliteStore(str(store_path))
    try:
        assert sorted(activities(Directory(store))) == kept
    finally:
        store.close()


@pytest.mark.parametrize(("name", "words"), [
    ("empty.ics", "bestand is leeg"),
    ("binary.ics", "bestand is binair, geen iCalendar-bestand"),
    ("wrong_format.ics", "geen iCalendar-bestand: het begint niet met BEGIN:VCALENDAR"),
    ("truncated.ics", "bestand is afgebroken: END:VCALENDAR ontbreekt"),
    ("no_events.ics", "de agenda bevat geen activiteiten (geen VEVENT)"),
])
def test_an_unreadable_calendar_is_refused_whole(run: Run, store_path: Path, name: str,
                                                 words: str) -> None:
    before = fingerprint(store_path)
    code, _, err = run("import", str(DATA / name), "--json")
    assert code == 1 and words in err and "Traceback" not in err
    assert fingerprint(store_path) == before


def test_a_broken_content_line_names_its_line(tmp_path: Path) -> None:
    text = (DATA / "no_dtstart.ics").read_text().replace(
        "SUMMARY:Taalcafé", "SUMMARY:Taalcafé voor\r\nnieuwkomers")
    path = tmp_path / "afgebroken.ics"
    path.write_text(text)
    bad, good = read_records(path).records
    assert bad.problem is not None and bad.problem.field == "event 1: SUMMARY"
    assert bad.problem.message.startswith("regel 8 kan niet gelezen worden ('nieuwkomers')")
    assert good.problem is None and good.props["title"] == "Repair Café Wijchen"


def test_format_is_detected_from_content(tmp_path: Path) -> None:
    renamed = tmp_path / "agenda.txt"
    renamed.write_bytes(b"\xef\xbb\xbf\n" + (DATA / "no_dtstart.ics").read_bytes()
                        .replace(b"BEGIN:VCALENDAR", b"begin:vcalendar", 1))
    assert detect_format(renamed) == "ical"
    assert sniff_ical(b"  BEGIN:VCALENDAR\r\n", Path("x.csv"))
    assert sniff_ical(b"{}", Path("agenda.ics"))  # the name as a last hint
    assert not sniff_ical(b"BEGIN:VCARD\r\n", Path("agenda.ics"))
    with pytest.raises(ValidationError, match="geen iCalendar-bestand"):
        read_records(DATA.parent / "vcard" / "google.vcf", "ical")


# --- export -----------------------------------------------------------------------------------


def _export(d: Directory, scope: ExportScope, path: Path) -> int:
    with path.open("wb") as out:
        return export_to(d, "ical", out, scope)


def test_an_area_feed_is_a_valid_calendar(demo: Directory, tmp_path: Path) -> None:
    path = tmp_path / "dukenburg.ics"
    count = _export(demo, ExportScope(area="Dukenburg"), path)
    calendar = Calendar.from_ical(path.read_bytes())
    assert (str(calendar["VERSION"]), str(calendar["PRODID"])) == (
        "2.0", "-//Wijkkaart//Wijkactiviteiten//NL")
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Amsterdam"
    events = calendar.walk("VEVENT")
    _, codes = demo.area_closure("Dukenburg")
    wanted = {i for i in demo.activities_in(codes, include_stopped=False)
              if demo.store.get_node(i).props.get("schedule")}
    assert count == len(events) == len(wanted) > 5
    assert len({str(e["UID"]) for e in events}) == count
    for event in events:
        assert not event.errors
        for prop in ("UID", "DTSTAMP", "DTSTART", "RRULE", "SUMMARY"):
            assert prop in event, prop
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None and str(event["DTSTART"].params["TZID"]) == (
            "Europe/Amsterdam")
        assert event.decoded("DTEND") > start
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
        assert rule[0] == start  # DTSTART is an occurrence of the rule
    again = tmp_path / "opnieuw.ics"
    _export(demo, ExportScope(area="Dukenburg"), again)
    assert again.read_bytes() == path.read_bytes()  # stable UIDs, DTSTAMPs and start days


def test_export_import_round_trip(directory: Directory, tmp_path: Path,
                                  other: Directory) -> None:
    for name in CALENDARS:
        load(directory, DATA / name)
    path = tmp_path / "alles.ics"
    assert _export(directory, ExportScope(), path) == 6  # the stopped walk is left out
    _, report = load(other, path)
    assert report.rejected == [] and report.written
    original, copied = activities(directory), activities(other)
    assert sorted(copied) == sorted(n for n, a in original.items()
                                    if a.props["status"] == "actief")
    for title, node in copied.items():
        before = original[title]
        assert {k: node.props.get(k) for k in SHARED} == {
            k: before.props.get(k) for k in SHARED}, title
        assert offered_by(other, node) == offered_by(directory, before)
        assert node.source_id == before.source_id
    _, report = load(directory, path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 6)


def test_organisation_feed_and_cli(run: Run, store_path: Path, tmp_path: Path) -> None:
    code, report, _ = run("import", str(DATA / "gemeente_dukenburg.ics"), "--json")
    assert code == 0 and report["format"] == "ical" and report["created"] == 6
    assert len(report["notes"]) == 3 and report["unknown_columns"] == [
        "CATEGORIES: Lotgenotencontact"]
    out = tmp_path / "bindkracht.ics"
    code, _, err = run("export", "--format", "ical", "-o", str(out), "--organisation",
                       "Stichting Bindkracht10")
    assert code == 0 and "1 item(s) geschreven" in err
    [event] = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Koffie-inloop De Schakel"
    assert str(event["UID"]) == "wijkagenda-dukenburg-0001@nijmegen.example"
    assert str(event["LOCATION"]) == "Buurthuis De Schakel, Meijhorst 60-10, 6537 KT Nijmegen"
    assert event.decoded("DTSTART").weekday() == 1  # a Tuesday
    assert str(event["X-WIJKKAART-ORGANISATION"]) == "Stichting Bindkracht10"


def test_first_day_follows_the_rule() -> None:
    sunday = dt.date(2026, 11, 22)
    assert first_day("FREQ=WEEKLY;BYDAY=TU", sunday) == dt.date(2026, 11, 24)
    assert first_day("FREQ=MONTHLY;BYDAY=1TU", sunday) == dt.date(2026, 12, 1)
    assert first_day("FREQ=WEEKLY;UNTIL=20200101T000000Z;BYDAY=SU", sunday) == sunday


# --- property: format → parse gives the same activities ---------------------------------------

_LINE = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
                min_size=1, max_size=50).map(lambda s: " ".join(s.split())).filter(bool)
_DAYS = st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), min_size=1,
                 max_size=7, unique=True).map(
    lambda ds: ",".join(d for d in ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] if d in ds))
_SCHEDULES = st.one_of(
    _DAYS.map(lambda days: f"FREQ=WEEKLY;BYDAY={days}"),
    _DAYS.map(lambda days: f"FREQ=WEEKLY;INTERVAL=2;BYDAY={days}"),
    st.sampled_from(["FREQ=MONTHLY;BYDAY=1TU", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=DAILY"]))
_TIMES = st.sampled_from([("", ""), ("09:30", "11:00"), ("13:00", ""), ("19:00", "21:30"),
                          ("00:15", "23:45")])
_PLACES = st.sampled_from([("", "", ""), ("Meijhorst 60-10", "6537 KT", "Nijmegen"),
                           ("Buurthuis De Schakel, Meijhorst 60-10", "6537 KT", "Nijmegen"),
                           ("Inloophuis De Haven", "", ""), ("Waterstraat 12", "4001 KA", "")])


@settings(max_examples=60, deadline=None)
@given(title=_LINE, description=st.lists(_LINE, max_size=3).map("\n".join),
       schedule=_SCHEDULES, times=_TIMES, place=_PLACES,
       anchor=st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)))
def test_written_events_parse_back_the_same(title: str, description: str, schedule: str,
                                            times: tuple[str, str],
                                            place: tuple[str, str, str], anchor: dt.date) -> None:
    item = Happening(uid="act-1", title=title, schedule=schedule, anchor=anchor,
                     stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), start_time=times[0],
                     end_time=times[1], description=description,
                     location=format_location(*place), organisation="Kwintes")
    [record], notes, unknown = parse_calendar(format_calendar([item]).decode())
    assert (notes, unknown, record.problem) == ([], [], None)
    wanted = {"title": title, "description": description, "schedule": schedule,
              "start_time": times[0], "end_time": times[1], "address": place[0],
              "postcode": place[1], "city": place[2]}
    assert record.props == {k: v for k, v in wanted.items() if v}
    assert (record.source_id, record.organisation) == ("act-1", "Kwintes")
