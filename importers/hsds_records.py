"""A :class:`Bundle` of HSDS objects → import records: organisations, contact persons and
activities, each validated against the official schema first.

A schema-invalid organization or service is rejected with the file, line (or item) and field;
a service of a rejected organization is rejected too. A location that is schema-invalid or has
impossible coordinates is rejected on its own, and the service is read without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from directory.errors import Detail
from directory.importing import Record
from directory.model import ACTIVITY, ORGANISATION, PERSON
from importers import hsds_fields as f
from importers.hsds_bundle import Bundle
from importers.hsds_schema import SchemaProblem, dotted, schema_problems
from importers.hsds_terms import area_ref

__all__ = ["bundle_records"]

_KVK_MARKS = ("kvk", "nl-kvk", "kamer van koophandel")


@dataclass
class _Context:
    bundle: Bundle
    source: str
    records: list[Record] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unmapped: dict[str, int] = field(default_factory=dict)
    unplaced: list[str] = field(default_factory=list)
    org_names: dict[str, str | None] = field(default_factory=dict)  # HSDS id → name or None
    people: set[str] = field(default_factory=set)
    bad_locations: set[str] = field(default_factory=set)
    nameless: int = 0

    def at(self, obj: Any) -> tuple[str, int, str]:
        label, line = self.bundle.where(obj)
        return label, line, f"{label} {self.bundle.unit} {line}"

    def reject(self, obj: dict[str, Any], kind: str, field_name: str, message: str) -> None:
        label, line, _ = self.at(obj)
        self.records.append(Record(line, kind, {}, problem=Detail(
            f"{label}: {field_name}" if field_name else label, message, line)))

    def record(self, obj: dict[str, Any], kind: str, props: dict[str, Any],
               fields: dict[str, str], **extra: Any) -> Record:
        label, line, _ = self.at(obj)
        clean = {key: value for key, value in props.items() if value not in (None, "", [])}
        record = Record(line, kind, clean, source=self.source,
                        source_id=str(obj["id"]) if obj.get("id") else None,
                        fields={k: f"{label}: {v}" for k, v in fields.items()}, **extra)
        self.records.append(record)
        return record


def _items(obj: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = obj.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _name(obj: dict[str, Any]) -> str:
    label = obj.get("name") or obj.get("title")
    return f"'{label}' ({obj.get('id')})" if label else f"({obj.get('id')})"


def _good_locations(ctx: _Context, locations: list[dict[str, Any]],
                    problems: dict[int, list[SchemaProblem]], owner: str) -> list[dict[str, Any]]:
    """The locations that may be used; each bad one is rejected once, with its reason."""
    good = []
    for index, location in enumerate(locations):
        reasons = [str(p) for p in problems.get(index, [])]
        coordinates = f.lat_lon_problem(location)
        reasons += [coordinates] if coordinates else []
        if not reasons:
            good.append(location)
            continue
        key = str(location.get("id") or id(location))
        if key not in ctx.bad_locations:
            ctx.bad_locations.add(key)
            field_name = "latitude" if coordinates and "breedtegraad" in coordinates else (
                "longitude" if coordinates else dotted(problems[index][0].path))
            ctx.reject(location, ACTIVITY if owner.startswith("dienst") else ORGANISATION,
                       field_name, f"locatie {_name(location)} afgewezen: "
                                   f"{'; '.join(reasons)}; {owner} wordt zonder deze locatie "
                                   "ingelezen")
    return good


def _split(problems: list[SchemaProblem], prefix: tuple[str | int, ...], key: str,
           ) -> tuple[dict[int, list[SchemaProblem]], list[SchemaProblem]]:
    """Problems inside ``prefix + (i, key)`` by i (paths made relative), and the rest."""
    inside: dict[int, list[SchemaProblem]] = {}
    rest = []
    n = len(prefix)
    for problem in problems:
        path = problem.path
        index = path[n] if len(path) > n + 1 and path[:n] == prefix else None
        if isinstance(index, int) and (not key or path[n + 1] == key):
            start = n + 2 if key else n + 1
            inside.setdefault(index, []).append(SchemaProblem(path[start:], problem.message))
        else:
            rest.append(problem)
    return inside, rest


def _person(ctx: _Context, contact: dict[str, Any], organisation: str | None) -> None:
    key = str(contact.get("id") or id(contact))
    if key in ctx.people:
        return
    ctx.people.add(key)
    if not contact.get("name"):
        ctx.nameless += 1
        return
    props = {"name": contact["name"], "job_title": contact.get("title"),
             "email": contact.get("email"), "phone": f.phone_number(contact)}
    ctx.record(contact, PERSON, props, {"name": "name", "job_title": "title",
                                        "email": "email", "phone": "phones[0].number"},
               organisation=organisation)


def _organisation(ctx: _Context, org: dict[str, Any]) -> None:
    problems = schema_problems("organization", org)
    by_location, rest = _split(problems, ("locations",), "")
    key = str(org.get("id") or org.get("name"))
    if rest:
        ctx.org_names[key] = None
        ctx.reject(org, ORGANISATION, dotted(rest[0].path),
                   f"organisatie {_name(org)} voldoet niet aan HSDS 3.0: "
                   + "; ".join(str(p) for p in rest))
        return
    locations = _good_locations(ctx, _items(org, "locations"), by_location,
                                f"organisatie {_name(org)}")
    kvk = [str(i.get("identifier")) for i in _items(org, "organization_identifiers")
           if any(mark in f"{i.get('identifier_scheme')} {i.get('identifier_type')}".lower()
                  for mark in _KVK_MARKS)]
    props = {"name": org.get("name"), "description": org.get("description"),
             "website": org.get("website"), "email": org.get("email"),
             "phone": f.phone_number(org), "kvk": kvk[0] if kvk else None,
             **(f.place(locations[0]) if locations else {})}
    ctx.record(org, ORGANISATION, props, {"name": "name", "description": "description",
                                          "website": "website", "email": "email",
                                          "phone": "phones[0].number", "kvk": "identifier",
                                          "postcode": "postal_code", "address": "address_1"})
    ctx.org_names[key] = str(org.get("name"))
    for contact in _items(org, "contacts"):
        _person(ctx, contact, str(org.get("name")))


def _service_org(ctx: _Context, service: dict[str, Any]) -> tuple[bool, str | None]:
    org = service.get("organization")
    key = str(org.get("id") or org.get("name")) if isinstance(org, dict) else str(
        service.get("organization_id") or "")
    if key and key in ctx.org_names and ctx.org_names[key] is None:
        ctx.reject(service, ACTIVITY, "organization", f"dienst {_name(service)} afgewezen: "
                                                      "de organisatie ervan is afgewezen")
        return False, None
    return True, ctx.org_names.get(key)


def _service(ctx: _Context, service: dict[str, Any]) -> None:
    ok, organisation = _service_org(ctx, service)
    if not ok:
        return
    bare = {key: value for key, value in service.items() if key != "organization"}
    by_link, rest = _split(schema_problems("service", bare), ("service_at_locations",),
                           "location")
    if rest:
        ctx.reject(service, ACTIVITY, dotted(rest[0].path),
                   f"dienst {_name(service)} voldoet niet aan HSDS 3.0: "
                   + "; ".join(str(p) for p in rest))
        return
    links = _items(service, "service_at_locations")
    located = [(link, link["location"]) for link in links if isinstance(link.get("location"),
                                                                         dict)]
    problems = {i: by_link.get(links.index(link), []) for i, (link, _) in enumerate(located)}
    good = _good_locations(ctx, [loc for _, loc in located], problems,
                           f"dienst {_name(service)}")
    _activity(ctx, service, organisation, good, links)


def _activity(ctx: _Context, service: dict[str, Any], organisation: str | None,
              locations: list[dict[str, Any]], links: list[dict[str, Any]]) -> None:
    schedules = _items(service, "schedules") + [s for link in links
                                                 for s in _items(link, "schedules")]
    domains, groups, unmapped = f.terms(service)
    for term in unmapped:
        ctx.unmapped[term] = ctx.unmapped.get(term, 0) + 1
    location = locations[0] if locations else {}
    props = {"title": service.get("name"), "description": service.get("description"),
             "url": service.get("url"), "email": service.get("email"),
             "status": f.STATUSES.get(str(service.get("status")), None),
             "phone": f.phone_number(service), **f.schedule(schedules), "cost": f.cost(service),
             "languages": f.languages(service), "accessibility": f.accessibility(location),
             "last_verified_on": service.get("assured_date"),
             "referral_needed": f.referral(service), "life_domains": domains,
             "target_groups": groups, **f.place(location)}
    areas = []
    for service_area in _items(service, "service_areas"):
        ref = area_ref(service_area)
        if ref:
            areas.append((ref, None))
        else:
            ctx.unplaced.append(str(service_area.get("name") or service_area.get("id")))
    contacts = _items(service, "contacts") + [c for link in links
                                              for c in _items(link, "contacts")]
    contacts += [c for loc in locations for c in _items(loc, "contacts")]
    for contact in contacts:
        _person(ctx, contact, organisation)
    named = next((c for c in contacts if c.get("name")), {})
    contact = {"name": named.get("name"), "job_title": named.get("title"),
               "email": named.get("email"), "phone": f.phone_number(named)}
    ctx.record(service, ACTIVITY, props, _ACTIVITY_FIELDS, organisation=organisation,
               areas=areas, contact={k: v for k, v in contact.items() if v} or None)


_ACTIVITY_FIELDS = {
    "title": "name", "description": "description", "url": "url", "email": "email",
    "status": "status", "phone": "phones[0].number", "schedule": "schedules[0].freq/byday",
    "start_time": "schedules[0].opens_at", "end_time": "schedules[0].closes_at",
    "cost": "cost_options", "languages": "languages", "accessibility": "accessibility",
    "last_verified_on": "assured_date", "address": "addresses[0].address_1",
    "postcode": "addresses[0].postal_code", "city": "addresses[0].city",
    "lat": "location.latitude", "lon": "location.longitude", "area": "service_areas",
}


def _summary(ctx: _Context) -> None:
    if ctx.unmapped:
        terms = ", ".join(sorted(ctx.unmapped))
        ctx.notes.append(f"taxonomietermen niet gekoppeld aan een leefgebied of doelgroep "
                         f"(zie importers/data/hsds_taxonomy.csv): {terms}")
    if ctx.unplaced:
        ctx.notes.append("werkgebieden (service_areas) die geen bekend CBS-gebied noemen, niet "
                         "gekoppeld: " + "; ".join(sorted(set(ctx.unplaced))))
    if ctx.nameless:
        ctx.notes.append(f"{ctx.nameless} contactpersoon/-personen zonder naam overgeslagen")
    for kind, count in sorted(ctx.bundle.ignored.items()):
        ctx.notes.append(f"{count}× {kind} niet ingelezen (Wijkkaart neemt diensten, "
                         "organisaties, locaties en contactpersonen over)")


def bundle_records(bundle: Bundle, source: str) -> tuple[list[Record], list[str]]:
    """Records (organisations first, then people and activities) and Dutch notes."""
    ctx = _Context(bundle, source, notes=list(bundle.notes))
    orgs: dict[str, dict[str, Any]] = {}
    for org in bundle.organizations + [s["organization"] for s in bundle.services
                                       if isinstance(s.get("organization"), dict)]:
        orgs.setdefault(str(org.get("id") or org.get("name")), org)
    for org in orgs.values():
        _organisation(ctx, org)
    for service in bundle.services:
        _service(ctx, service)
    _summary(ctx)
    if not ctx.records:
        ctx.notes.append("geen diensten of organisaties gevonden; er is niets ingelezen")
    return ctx.records, ctx.notes
