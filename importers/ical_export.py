"""iCalendar export (``--format ical``): a feed of activities calendar apps subscribe to.

One VEVENT with an RRULE per activity that has a schedule (others are left out: a
calendar cannot show them), with a VTIMEZONE for Europe/Amsterdam. UIDs are stable (the
activity's own iCalendar UID, else its id), DTSTAMP is the activity's last change, and
DTSTART is the first occurrence on or after the day the activity was added, so the same
directory always gives the same file. Stopped activities are left out.

Scope: ``--area A`` the activities in A (and its wijken and buurten), ``--organisation O``
the activities O offers, ``--team T`` the activities in the areas the team serves;
several: the activities in all of them; none: every active activity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from dateutil.rrule import rrulestr
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from directory.model import ACTIVITY, AREA, ORGANISATION, TEAM, Node, today_iso
from directory.service import Directory
from directory.vocabularies import LIFE_DOMAINS, TARGET_GROUPS
from importers.ical import AMSTERDAM, AREA_PROP, ORGANISATION_PROP, SOURCE
from importers.ical_location import format_location
from importers.registry import ExportScope

__all__ = ["Happening", "amsterdam_timezone", "first_day", "format_calendar",
           "select_activities", "export_ical"]

PRODID = "-//Wijkkaart//Wijkactiviteiten//NL"


@dataclass(frozen=True)
class Happening:
    """What one exported VEVENT says."""

    uid: str
    title: str
    schedule: str
    anchor: dt.date                 # DTSTART is the first occurrence on or after it
    stamp: dt.datetime              # DTSTAMP (UTC)
    start_time: str = ""            # HH:MM; empty: an all-day event
    end_time: str = ""
    description: str = ""
    location: str = ""
    url: str = ""
    organisation: str = ""
    categories: tuple[str, ...] = ()
    areas: tuple[str, ...] = field(default_factory=tuple)
    geo: tuple[float, float] | None = None


def amsterdam_timezone() -> Timezone:
    """A compact VTIMEZONE for Europe/Amsterdam (the EU rules since 1996)."""
    zone = Timezone()
    zone.add("TZID", "Europe/Amsterdam")
    zone.add("X-LIC-LOCATION", "Europe/Amsterdam")
    for part, name, start, offsets, month in (
            (TimezoneDaylight(), "CEST", dt.datetime(1970, 3, 29, 2), (1, 2), 3),
            (TimezoneStandard(), "CET", dt.datetime(1970, 10, 25, 3), (2, 1), 10)):
        part.add("TZNAME", name)
        part.add("TZOFFSETFROM", dt.timedelta(hours=offsets[0]))
        part.add("TZOFFSETTO", dt.timedelta(hours=offsets[1]))
        part.add("DTSTART", start)
        part.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": "-1SU"})
        zone.add_component(part)
    return zone


def first_day(schedule: str, anchor: dt.date) -> dt.date:
    """The first day on or after ``anchor`` the schedule falls on (the anchor if none)."""
    parts = [p for p in schedule.split(";") if not p.upper().startswith(("UNTIL=", "COUNT="))]
    start = dt.datetime.combine(anchor, dt.time())
    try:
        rule = rrulestr(";".join(parts), dtstart=start)
        found = rule.after(start, inc=True)
    except (ValueError, TypeError):
        return anchor
    return found.date() if found else anchor


def _event(item: Happening) -> Event:
    event = Event()
    event.add("UID", item.uid)
    event.add("DTSTAMP", item.stamp)
    day = first_day(item.schedule, item.anchor)
    if item.start_time:
        start = dt.datetime.combine(day, dt.time.fromisoformat(item.start_time),
                                    tzinfo=AMSTERDAM)
        event.add("DTSTART", start)
        if item.end_time:
            end = dt.datetime.combine(day, dt.time.fromisoformat(item.end_time),
                                      tzinfo=AMSTERDAM)
            event.add("DTEND", end)
    else:
        event.add("DTSTART", day)
    event.add("RRULE", vRecur.from_ical(item.schedule))
    event.add("SUMMARY", item.title)
    for name, value in (("DESCRIPTION", item.description), ("LOCATION", item.location),
                        ("URL", item.url), (ORGANISATION_PROP, item.organisation)):
        if value:
            event.add(name, value)
    if item.geo:
        event.add("GEO", item.geo)
    if item.categories:
        event.add("CATEGORIES", list(item.categories))
    if item.areas:
        event.add(AREA_PROP, ",".join(item.areas))
    return event


def format_calendar(items: Iterable[Happening], name: str = "Wijkactiviteiten") -> bytes:
    """A whole .ics file (CRLF lines, folded, escaped)."""
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", name)
    calendar.add("X-WR-TIMEZONE", "Europe/Amsterdam")
    calendar.add_component(amsterdam_timezone())
    for item in items:
        calendar.add_component(_event(item))
    data: bytes = calendar.to_ical()
    return data


def select_activities(directory: Directory, scope: ExportScope) -> list[Node]:
    """The active activities with a schedule a scope covers, by title."""
    chosen: set[str] | None = None
    if scope.organisation:
        org = directory.resolve(scope.organisation, ORGANISATION)
        chosen = {e.src for e in directory.current(org.id, ["OFFERED_BY"], "in")}
    for ref, select in ((scope.area, _in_area), (scope.team, _of_team)):
        if ref:
            found = select(directory, ref)
            chosen = found if chosen is None else chosen & found
    nodes = (directory.store.find_nodes(ACTIVITY) if chosen is None
             else list(directory.store.get_nodes(chosen).values()))
    wanted = [n for n in nodes if n.kind == ACTIVITY and n.props.get("schedule")
              and n.props.get("status", "actief") == "actief"]
    return sorted(wanted, key=lambda n: (n.name.casefold(), n.id))


def _in_area(directory: Directory, ref: str) -> set[str]:
    _, codes = directory.area_closure(ref)
    return directory.activities_in(codes, include_stopped=False)


def _of_team(directory: Directory, ref: str) -> set[str]:
    team = directory.resolve(ref, TEAM)
    found: set[str] = set()
    for edge in directory.current(team.id, ["SERVES"]):
        found |= _in_area(directory, edge.dst)
    return found


def _stamp(node: Node) -> dt.datetime:
    try:
        stamp = dt.datetime.fromisoformat(node.updated_at or node.created_at)
    except ValueError:
        stamp = dt.datetime.fromisoformat(today_iso())
    return stamp.astimezone(dt.UTC) if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def happening_of(directory: Directory, node: Node, names: dict[str, str]) -> Happening:
    """The calendar event of one activity."""
    p = node.props
    offered = directory.current(node.id, ["OFFERED_BY"])
    areas = directory.current(node.id, ["IN_AREA"])
    categories = [LIFE_DOMAINS.label(k) for k in p.get("life_domains") or []]
    categories += [TARGET_GROUPS.label(k) for k in p.get("target_groups") or []]
    geo = (float(p["lat"]), float(p["lon"])) if p.get("lat") is not None and p.get(
        "lon") is not None else None
    return Happening(
        uid=node.source_id if node.source == SOURCE and node.source_id else node.id,
        title=node.name, schedule=str(p["schedule"]),
        anchor=_stamp(node).date() if not node.created_at else
        dt.date.fromisoformat(node.created_at[:10]),
        stamp=_stamp(node), start_time=str(p.get("start_time") or ""),
        end_time=str(p.get("end_time") or ""), description=str(p.get("description") or ""),
        location=format_location(p.get("address"), p.get("postcode"), p.get("city")),
        url=str(p.get("url") or ""),
        organisation=min((names.get(e.dst, "") for e in offered), default=""),
        categories=tuple(categories),
        areas=tuple(sorted(e.dst for e in areas)), geo=geo)


def export_ical(directory: Directory, out: BinaryIO, scope: ExportScope) -> int:
    """Registry exporter for ``--format ical``: the number of events written."""
    activities = select_activities(directory, scope)
    names = {o.id: o.name for o in directory.store.find_nodes(ORGANISATION)}
    items = [happening_of(directory, node, names) for node in activities]
    title = "Wijkactiviteiten"
    for ref, kind in ((scope.area, AREA), (scope.organisation, ORGANISATION), (scope.team, TEAM)):
        if ref:
            title += f" – {directory.resolve(ref, kind).name}"
    out.write(format_calendar(items, title))
    return len(items)
