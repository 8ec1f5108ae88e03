"""iCalendar import (``--format ical``): an activity calendar's recurring VEVENTs → activities.

``icalendar`` parses the file (folding, escapes, VTIMEZONEs, Outlook's Windows zone
names); this module turns each VEVENT into an activity: SUMMARY → title, DTSTART/DTEND →
start and end time in Amsterdam local time, RRULE → schedule, LOCATION → address,
postcode and place, CATEGORIES → life domains and target groups, UID → source key.

A one-off event (no RRULE) is skipped with a note: the directory keeps the standing offer
of a wijk, and an activity has no date to hold a single day. EXDATEs are reported in the
notes, as a schedule holds the rule only. A changed single occurrence (RECURRENCE-ID) is
skipped: its series is imported.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component

from directory.errors import Detail
from directory.importing import Record
from directory.model import ACTIVITY
from directory.vocabularies import LIFE_DOMAINS, TARGET_GROUPS
from importers.ical_location import parse_location
from importers.vcard import decode_text

if TYPE_CHECKING:
    from importers.registry import ReadOptions, ReadResult

__all__ = ["SOURCE", "AMSTERDAM", "ORGANISATION_PROP", "AREA_PROP", "parse_calendar",
           "read_ical", "sniff_ical"]

SOURCE = "ical"  # an event's UID is its key (RFC 5545 UIDs are globally unique)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ORGANISATION_PROP = "X-WIJKKAART-ORGANISATION"
AREA_PROP = "X-WIJKKAART-AREA"
_USED = ("SUMMARY", "DTSTART", "DTEND", "DURATION", "RRULE", "EXDATE", "GEO", "URL",
         "LOCATION", "DESCRIPTION", "CATEGORIES")
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class _Reject(Exception):
    """An event that cannot become an activity: the property and the reason."""

    def __init__(self, prop: str, message: str) -> None:
        super().__init__(message)
        self.prop, self.message = prop, message


def _one(event: Component, name: str) -> Any:
    value = event.get(name)
    if isinstance(value, list):
        raise _Reject(name, f"{name} staat er {len(value)} keer in; één verwacht")
    return value


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """A date as is; a date-time in Amsterdam local time (floating times taken as local)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(AMSTERDAM)
    return value


def _times(event: Component) -> tuple[dt.date | dt.datetime, dict[str, str]]:
    start_prop = _one(event, "DTSTART")
    if start_prop is None:
        raise _Reject("DTSTART", "begin (DTSTART) ontbreekt")
    start = _local(start_prop.dt)
    if not isinstance(start, dt.datetime):
        return start, {}  # an all-day event: no times
    times = {"start_time": f"{start:%H:%M}"}
    end_prop, duration = _one(event, "DTEND"), _one(event, "DURATION")
    end: Any = None
    if end_prop is not None:
        end = _local(end_prop.dt)
    elif duration is not None and isinstance(duration.dt, dt.timedelta):
        end = start + duration.dt
    if isinstance(end, dt.datetime):
        times["end_time"] = f"{end:%H:%M}"
    return start, times


def _schedule(event: Component, start_prop: Any, local: dt.date) -> str:
    """The RRULE in icalendar's canonical order; a weekly rule gets the day of DTSTART, and
    BYDAY moves along when Amsterdam time falls on another day than the file's."""
    rule = _one(event, "RRULE")
    parts = dict(p.split("=", 1) for p in rule.to_ical().decode().split(";") if "=" in p)
    original = start_prop.dt
    shift = 0
    if isinstance(original, dt.datetime):
        shift = (local - original.date()).days if isinstance(local, dt.date) else 0
    if "BYDAY" not in parts and parts.get("FREQ") == "WEEKLY":
        parts["BYDAY"] = _DAYS[local.weekday()]
    elif shift and "BYDAY" in parts:
        parts["BYDAY"] = ",".join(_shift_day(d, shift) for d in parts["BYDAY"].split(","))
    return ";".join(f"{k}={v}" for k, v in parts.items())


def _shift_day(day: str, shift: int) -> str:
    prefix, code = day[:-2], day[-2:]
    if code not in _DAYS:
        return day
    return prefix + _DAYS[(_DAYS.index(code) + shift) % 7]


def _categories(event: Component, props: dict[str, Any], unknown: set[str]) -> None:
    found = event.get("CATEGORIES")
    groups = found if isinstance(found, list) else [found] if found is not None else []
    domains: list[str] = []
    targets: list[str] = []
    for group in groups:
        for term in (str(c).strip() for c in group.cats):
            domain, target = LIFE_DOMAINS.match(term), TARGET_GROUPS.match(term)
            if domain and domain not in domains:
                domains.append(domain)
            if target and target not in targets:
                targets.append(target)
            if term and not (domain or target):
                unknown.add(f"CATEGORIES: {term}")
    if domains:
        props["life_domains"] = domains
    if targets:
        props["target_groups"] = targets


def _text(event: Component, name: str) -> str:
    value = event.get(name)
    if isinstance(value, list):
        value = value[0]
    return str(value).strip() if value is not None else ""


def _exdates(event: Component) -> list[str]:
    found = event.get("EXDATE")
    lists = found if isinstance(found, list) else [found] if found is not None else []
    days = {_local(item.dt) for group in lists for item in group.dts}
    return sorted(f"{d:%d-%m-%Y}" for d in days)


def _props(event: Component, start: dt.date, times: dict[str, str],
           unknown: set[str]) -> dict[str, Any]:
    props: dict[str, Any] = {"title": _text(event, "SUMMARY"), **times,
                             "description": _text(event, "DESCRIPTION"),
                             "url": _text(event, "URL"),
                             **parse_location(_text(event, "LOCATION"))}
    props["schedule"] = _schedule(event, _one(event, "DTSTART"), start)
    geo = _one(event, "GEO")
    if geo is not None:
        props["lat"], props["lon"] = geo.latitude, geo.longitude
    if _text(event, "STATUS").upper() == "CANCELLED":
        props["status"] = "gestopt"
    _categories(event, props, unknown)
    return {k: v for k, v in props.items() if v not in ("", None)}


def _organisation(event: Component) -> str | None:
    own = _text(event, ORGANISATION_PROP)
    if own:
        return own
    organizer = event.get("ORGANIZER")
    if organizer is None or isinstance(organizer, list):
        return None
    name = organizer.params.get("CN")
    return str(name).strip() or None if name else None


def _areas(event: Component) -> list[tuple[str, str | None]]:
    found = event.get(AREA_PROP)
    values = found if isinstance(found, list) else [found] if found is not None else []
    codes = [code.strip() for value in values for code in str(value).split(",")]
    return [(code, None) for code in codes if code]


_FIELDS = {"title": "SUMMARY", "description": "DESCRIPTION", "schedule": "RRULE",
           "start_time": "DTSTART", "end_time": "DTEND", "address": "LOCATION",
           "postcode": "LOCATION", "city": "LOCATION", "url": "URL", "lat": "GEO",
           "lon": "GEO", "life_domains": "CATEGORIES", "target_groups": "CATEGORIES",
           "area": AREA_PROP, "status": "STATUS"}


def _check_errors(event: Component, bad_lines: list[tuple[int, str, str]]) -> None:
    """Reject an event with a broken value of a property it needs, or a broken line."""
    for name, reason in event.errors:
        if name is None:  # a line that is no property: folding broken by a mail program
            for line, before, content in bad_lines:
                if f"'{content}'" in reason:
                    raise _Reject(before, f"regel {line} kan niet gelezen worden ('{content}'"
                                          "): een vervolgregel moet met een spatie beginnen "
                                          "(afgebroken regel?)")
            raise _Reject("", f"een regel kan niet gelezen worden ({reason})")
        if name in _USED:
            raise _Reject(name, f"ongeldige waarde ({reason})")


def _event_record(number: int, event: Component, notes: list[str], unknown: set[str],
                  bad_lines: list[tuple[int, str, str]]) -> Record | None:
    """One VEVENT as a record; None (with a note) for what the directory does not keep."""
    fields = {prop: f"event {number}: {name}" for prop, name in _FIELDS.items()}
    title = _text(event, "SUMMARY")
    where = f"event {number}" + (f" ('{title}')" if title else "")
    try:
        _check_errors(event, bad_lines)
        if event.get("RECURRENCE-ID") is not None:
            notes.append(f"{where}: gewijzigde losse datum van een reeks (RECURRENCE-ID) "
                         "overgeslagen")
            return None
        if not title:
            raise _Reject("SUMMARY", "titel (SUMMARY) ontbreekt")
        start, times = _times(event)
        if event.get("RRULE") is None:
            notes.append(f"{where}: eenmalige activiteit op {start:%d-%m-%Y} overgeslagen "
                         "(alleen terugkerend aanbod wordt overgenomen)")
            return None
        props = _props(event, start if not isinstance(start, dt.datetime) else start.date(),
                       times, unknown)
    except _Reject as exc:
        return Record(line=number, kind=ACTIVITY, props={},
                      problem=Detail(f"event {number}: {exc.prop}", exc.message, number))
    if exdates := _exdates(event):
        notes.append(f"{where}: {len(exdates)} uitzonderingsdatum(s) (EXDATE) niet "
                     f"overgenomen: {', '.join(exdates)}")
    uid = _text(event, "UID") or None
    return Record(line=number, kind=ACTIVITY, props=props, source=SOURCE if uid else None,
                  source_id=uid, organisation=_organisation(event), areas=_areas(event),
                  fields=fields)


def _bad_lines(text: str) -> list[tuple[int, str, str]]:
    """(line number, the property before it, content) of each line that is no property."""
    found: list[tuple[int, str, str]] = []
    before = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line[0] in " \t":
            continue
        match = re.match(r"([A-Za-z0-9-]+)[;:]", line)
        if match:
            before = match[1].upper()
        else:
            found.append((number, before, line.strip()[:40]))
    return found


def _unreadable(text: str) -> str:
    """Why the library refused a calendar, in Dutch, with the line where possible."""
    for number, _, content in _bad_lines(text)[:1]:
        return (f"regel {number} kan niet gelezen worden ('{content}'): een vervolgregel moet "
                "met een spatie beginnen (afgebroken regel?)")
    return "agenda kan niet gelezen worden (BEGIN- en END-regels kloppen niet)"


def parse_calendar(text: str) -> tuple[list[Record], list[str], list[str]]:
    """Records for the recurring events of an iCalendar text, Dutch notes, unknown terms."""
    if not re.match(r"\s*BEGIN:VCALENDAR", text, re.IGNORECASE):
        raise ValueError("geen iCalendar-bestand: het begint niet met BEGIN:VCALENDAR")
    lines = [line.strip().upper() for line in text.splitlines() if line.strip()]
    if lines[-1] != "END:VCALENDAR":
        raise ValueError("bestand is afgebroken: END:VCALENDAR ontbreekt aan het eind")
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except ValueError as exc:
        raise ValueError(_unreadable(text)) from exc
    events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
    if not events:
        raise ValueError("de agenda bevat geen activiteiten (geen VEVENT)")
    notes: list[str] = []
    unknown: set[str] = set()
    bad_lines = _bad_lines(text)
    found = [_event_record(n, event, notes, unknown, bad_lines)
             for n, event in enumerate(events, 1)]
    return [r for r in found if r is not None], notes, sorted(unknown)


def read_ical(path: Path, options: ReadOptions) -> ReadResult:
    """Registry reader for ``--format ical``."""
    from importers.registry import ReadResult

    text = decode_text(path.read_bytes(), "iCalendar-bestand")
    records, notes, unknown = parse_calendar(text)
    return ReadResult("ical", records, unknown=unknown, notes=notes, unit="event")


def _starts_with(head: bytes, marker: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:len(marker)].upper() == marker


def sniff_ical(head: bytes, path: Path) -> bool:
    """``BEGIN:VCALENDAR`` first (after a BOM or blank lines); ``.ics`` as a last hint."""
    if _starts_with(head, b"BEGIN:VCALENDAR"):
        return True
    return path.suffix.lower() in (".ics", ".ical", ".ifb") and not _starts_with(head, b"BEGIN:")
