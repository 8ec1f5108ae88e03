"""Wijkanalyse: population, partners, offer, teams, people and the gaps of one area."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from directory.model import ORGANISATION, PERSON, TEAM, Node
from directory.service import Directory
from directory.vocabularies import ESSENTIAL_PARTNER_TYPES, LIFE_DOMAINS, PARTNER_TYPES

__all__ = ["analyse", "ancestors", "STALE_AFTER_DAYS"]

STALE_AFTER_DAYS = 365


def ancestors(directory: Directory, code: str) -> set[str]:
    """The areas an area lies within (gemeente of a wijk, …), not itself."""
    found: set[str] = set()
    frontier = [code]
    while frontier:
        up = directory.store.edges_between(["WITHIN"], frontier, direction="out")
        frontier = [e.dst for e in up if e.dst not in found]
        found.update(frontier)
    return found


def analyse(directory: Directory, area_ref: str) -> dict[str, Any]:
    """The wijkanalyse of an area and everything within it."""
    area, within = directory.area_closure(area_ref)
    around = within | ancestors(directory, area.id)
    store = directory.store
    partners = _partners(directory, around)
    activities = _activities(directory, within)
    served = store.edges_between(["SERVES"], around, direction="in")
    teams = [t for t in store.get_nodes(e.src for e in served if e.current).values()
             if t.kind == TEAM]
    people, contacts_by_org = _people(directory, partners, teams)
    by_domain = Counter(d for a in activities for d in a.props.get("life_domains") or [])
    by_type = Counter(p.props.get("partner_type", "overig") for p in partners)
    return {
        "area": {"code": area.id, "name": area.name, "level": area.props.get("level"),
                 "population": area.props.get("population"), "year": area.props.get("year")},
        "partners_by_type": {t.key: by_type[t.key] for t in PARTNER_TYPES
                             if by_type.get(t.key)},
        "activities_by_domain": {t.key: by_domain.get(t.key, 0) for t in LIFE_DOMAINS},
        "partners": [p.ref() | {"partner_type": p.props.get("partner_type")} for p in partners],
        "activities": len(activities),
        "teams": [t.ref() | {"phase": t.props.get("phase")} for t in teams],
        "people": people,
        "gaps": _gaps(by_domain, by_type, partners, contacts_by_org, people),
    }


def _partners(directory: Directory, around: set[str]) -> list[Node]:
    nodes = directory.store.get_nodes(directory.organisations_in(around)).values()
    return sorted((o for o in nodes if o.kind == ORGANISATION
                   and o.props.get("role", "ketenpartner") == "ketenpartner"),
                  key=lambda o: o.name.lower())


def _activities(directory: Directory, within: set[str]) -> list[Node]:
    """The current activities placed within the area (or, unplaced, in its gemeente)."""
    ids = directory.activities_in(within, include_stopped=False)
    return list(directory.store.get_nodes(ids).values())


def _people(directory: Directory, partners: list[Node], teams: list[Node]
            ) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    store = directory.store
    works = store.edges_between(["WORKS_AT"], [p.id for p in partners], direction="in")
    members = store.edges_between(["MEMBER_OF"], [t.id for t in teams], direction="in")
    current_works = [e for e in works if e.current]
    current_members = [e for e in members if e.current]
    nodes = store.get_nodes({e.src for e in current_works + current_members}
                            | {p.id for p in partners} | {t.id for t in teams})
    people: list[dict[str, Any]] = []
    contacts_by_org: dict[str, list[str]] = {}
    for e in current_works:
        person = nodes.get(e.src)
        if person is None or person.kind != PERSON:
            continue
        contacts_by_org.setdefault(e.dst, []).append(person.id)
        people.append(person.ref() | {"role": "contactpersoon", "at": nodes[e.dst].name,
                                      "last_verified_on": person.props.get("last_verified_on")})
    for e in current_members:
        person = nodes.get(e.src)
        if person is not None and person.kind == PERSON:
            people.append(person.ref() | {"role": e.props.get("role") or "teamlid",
                                          "at": nodes[e.dst].name,
                                          "last_verified_on": person.props.get("last_verified_on")})
    return people, contacts_by_org


def _gaps(by_domain: Counter[str], by_type: Counter[str], partners: list[Node],
          contacts_by_org: dict[str, list[str]], people: list[dict[str, Any]]
          ) -> list[dict[str, Any]]:
    gaps: list[dict[str, Any]] = []
    for key in (term.key for term in LIFE_DOMAINS):  # a Vocabulary yields Terms
        if not by_domain.get(key):
            gaps.append({"kind": "leefgebied_zonder_aanbod", "key": key,
                         "message": f"geen activiteit voor leefgebied {LIFE_DOMAINS.label(key)}"})
    for key in ESSENTIAL_PARTNER_TYPES:
        if not by_type.get(key):
            gaps.append({"kind": "partnertype_ontbreekt", "key": key,
                         "message": f"geen ketenpartner van type {PARTNER_TYPES.label(key)}"})
    for partner in partners:
        if not contacts_by_org.get(partner.id):
            gaps.append({"kind": "geen_contactpersoon", "organisation": partner.ref(),
                         "message": f"{partner.name} heeft geen actuele contactpersoon"})
    cutoff = (date.today() - timedelta(days=STALE_AFTER_DAYS)).isoformat()
    seen: set[str] = set()
    for person in people:
        if person["role"] != "contactpersoon" or person["id"] in seen:
            continue
        seen.add(person["id"])
        checked = person.get("last_verified_on")
        if not checked or checked < cutoff:
            gaps.append({"kind": "contact_niet_geverifieerd", "person": {
                "id": person["id"], "kind": PERSON, "name": person["name"]},
                "last_verified_on": checked,
                "message": f"contactgegevens van {person['name']} ({person['at']}) niet "
                           f"gecontroleerd sinds {checked or 'onbekend'}"})
    return gaps

