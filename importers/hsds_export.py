"""Wijkkaart → Open Referral HSDS 3.0: service and organization objects, and the export file.

The export (``wijkkaart export --format hsds``) is one JSON document shaped like the HSDS
paginated service list (``total_items`` … ``contents``), holding every activity in scope as a
full ``service`` with its organization, schedules, cost options, service areas, location (via
``service_at_locations``), languages and taxonomy terms (``wijkkaart-leefgebied`` /
``wijkkaart-doelgroep``). Contact persons (name, phone, e-mail: personal data) are included
only when asked for. ``import --format hsds`` reads the document back.

Ids: a node that came from HSDS keeps its HSDS id; any other gets a stable UUID derived from
its Wijkkaart id (:func:`hsds_id`), so repeated exports agree. :func:`hsds_service`,
:func:`hsds_organization`, :func:`find_by_hsds_id` and :func:`validate_hsds` serve the web API.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, BinaryIO

from directory.model import ACTIVITY, AREA, ORGANISATION, PERSON, TEAM, Node
from directory.service import Directory
from directory.vocabularies import LIFE_DOMAINS, TARGET_GROUPS, Vocabulary
from importers.hsds_fields import REFERRAL_TEXT
from importers.hsds_schema import validate_hsds
from importers.hsds_terms import LIFE_DOMAIN_TAXONOMY, TARGET_GROUP_TAXONOMY
from importers.registry import ExportScope

__all__ = ["hsds_id", "hsds_service", "hsds_organization", "hsds_services_document",
           "find_by_hsds_id", "export_hsds", "validate_hsds", "selected_activities"]

NAMESPACE = uuid.UUID("5b0f3c4e-2a7d-4c1e-9b8a-77a1d0c0e6f1")  # Wijkkaart's own namespace
_RRULE_KEYS = ("FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY")


def hsds_id(node: Node, part: str = "") -> str:
    """The HSDS id of a node (its own HSDS id if it came from HSDS), or of a part of it."""
    if not part and node.source and node.source.startswith("hsds:") and node.source_id:
        return node.source_id
    return str(uuid.uuid5(NAMESPACE, f"{node.id}/{part}" if part else node.id))


def find_by_hsds_id(directory: Directory, kind: str, hsds_id_: str) -> Node | None:
    """The activity or organisation an HSDS id stands for, or None."""
    for node in directory.store.find_nodes(kind, {"source_id": hsds_id_}):
        if node.source and node.source.startswith("hsds:"):
            return node
    return next((n for n in directory.store.find_nodes(kind) if hsds_id(n) == hsds_id_), None)


def _phones(node: Node) -> list[dict[str, Any]]:
    phone = node.props.get("phone")
    return [{"id": hsds_id(node, "phone"), "number": phone}] if phone else []


def _location(node: Node, accessibility: str | None = None) -> dict[str, Any] | None:
    p = node.props
    if not any(p.get(k) for k in ("address", "postcode", "city", "lat")) and not accessibility:
        return None
    location: dict[str, Any] = {"id": hsds_id(node, "location"), "location_type": "physical",
                                "name": node.name}
    if isinstance(p.get("lat"), int | float) and isinstance(p.get("lon"), int | float):
        location.update(latitude=p["lat"], longitude=p["lon"])
    if any(p.get(k) for k in ("address", "postcode", "city")):
        location["addresses"] = [{
            "id": hsds_id(node, "address"), "address_1": p.get("address") or "",
            "city": p.get("city") or "", "state_province": "",
            "postal_code": p.get("postcode") or "", "country": "NL",
            "address_type": "physical"}]
    if accessibility:
        location["accessibility"] = [{"id": hsds_id(node, "accessibility"),
                                      "description": accessibility}]
    return location


def _contact(person: Node) -> dict[str, Any]:
    p = person.props
    contact = {"id": hsds_id(person), "name": p.get("name"), "title": p.get("job_title"),
               "email": p.get("email"), "phones": _phones(person)}
    return {key: value for key, value in contact.items() if value}


def _people(directory: Directory, node: Node, edge: str, direction: str) -> list[Node]:
    edges = directory.current(node.id, [edge], "in" if direction == "in" else "out")
    ends = directory.store.get_nodes([e.src if direction == "in" else e.dst for e in edges])
    people = [n for n in ends.values() if n.kind == PERSON and not n.props.get("erased_on")]
    return sorted(people, key=lambda n: (n.name, n.id))


def hsds_organization(directory: Directory, org: Node,
                      include_contacts: bool = False) -> dict[str, Any]:
    """An HSDS 3.0 ``organization`` object for an organisation node."""
    p = org.props
    obj: dict[str, Any] = {"id": hsds_id(org), "name": p.get("name") or "",
                           "description": p.get("description") or ""}
    obj.update({k: p[k] for k in ("email", "website") if p.get(k)})
    if p.get("phone"):
        obj["phones"] = _phones(org)
    if p.get("kvk"):
        obj["organization_identifiers"] = [{
            "id": hsds_id(org, "kvk"), "identifier_scheme": "NL-KVK",
            "identifier_type": "KvK-nummer", "identifier": p["kvk"]}]
    location = _location(org)
    if location is not None:
        obj["locations"] = [location]
    if include_contacts:
        obj["contacts"] = [_contact(n) for n in _people(directory, org, "WORKS_AT", "in")]
    return obj


def _schedule(activity: Node) -> list[dict[str, Any]]:
    p = activity.props
    if not (p.get("schedule") or p.get("start_time") or p.get("end_time")):
        return []
    schedule: dict[str, Any] = {"id": hsds_id(activity, "schedule")}
    parts = dict(part.partition("=")[::2] for part in str(p.get("schedule") or "").split(";")
                 if "=" in part)
    if parts.get("FREQ") == "DAILY":  # HSDS 3.0 knows WEEKLY and MONTHLY only
        parts = {"FREQ": "WEEKLY", "BYDAY": "MO,TU,WE,TH,FR,SA,SU"}
    for key in _RRULE_KEYS:
        if key in parts and (key != "FREQ" or parts[key] in ("WEEKLY", "MONTHLY")):
            schedule[key.lower()] = int(parts[key]) if key == "INTERVAL" else parts[key]
    for prop, key in (("start_time", "opens_at"), ("end_time", "closes_at")):
        if p.get(prop):
            schedule[key] = f"{p[prop]}:00"
    return [schedule]


def _terms(activity: Node, service_id: str) -> list[dict[str, Any]]:
    attributes = []
    vocabularies: tuple[tuple[str, Vocabulary, str, str], ...] = (
        ("life_domains", LIFE_DOMAINS, LIFE_DOMAIN_TAXONOMY, "Leefgebied"),
        ("target_groups", TARGET_GROUPS, TARGET_GROUP_TAXONOMY, "Doelgroep"))
    for prop, vocabulary, taxonomy, noun in vocabularies:
        for key in activity.props.get(prop) or []:
            term_id = str(uuid.uuid5(NAMESPACE, f"{taxonomy}/{key}"))
            attributes.append({
                "id": hsds_id(activity, f"{taxonomy}/{key}"), "link_id": service_id,
                "link_type": "service", "link_entity": "service", "taxonomy_term_id": term_id,
                "taxonomy_term": {"id": term_id, "code": key, "name": vocabulary.label(key),
                                  "description": f"{noun}: {vocabulary.label(key)}",
                                  "taxonomy": taxonomy}})
    return attributes


def _areas(directory: Directory, activity: Node) -> list[dict[str, Any]]:
    edges = directory.current(activity.id, ["IN_AREA"])
    found = directory.store.get_nodes([e.dst for e in edges])
    return [{"id": hsds_id(activity, f"area/{area.id}"), "name": area.name,
             "description": f"CBS {area.props.get('level') or 'gebied'} {area.id}"}
            for area in sorted(found.values(), key=lambda n: n.id) if area.kind == AREA]


def _cost(activity: Node) -> list[dict[str, Any]]:
    cost = activity.props.get("cost")
    if not cost:
        return []
    option: dict[str, Any] = {"id": hsds_id(activity, "cost"), "option": cost}
    if cost == "gratis":
        option.update(amount=0, currency="EUR")
    return [option]


def hsds_service(directory: Directory, activity: Node,
                 include_contacts: bool = False) -> dict[str, Any]:
    """An HSDS 3.0 ``service`` object (with organization and locations) for an activity."""
    p = activity.props
    service_id = hsds_id(activity)
    obj: dict[str, Any] = {"id": service_id, "name": p.get("title") or "",
                           "status": "inactive" if p.get("status") == "gestopt" else "active"}
    obj.update({k: p[k] for k in ("description", "url", "email") if p.get(k)})
    if p.get("last_verified_on"):
        obj["assured_date"] = p["last_verified_on"]
    obj["application_process"] = REFERRAL_TEXT[bool(p.get("referral_needed"))]
    offered = directory.current(activity.id, ["OFFERED_BY"])
    orgs = directory.store.get_nodes([e.dst for e in offered])
    org = next((n for n in sorted(orgs.values(), key=lambda n: n.id)
                if n.kind == ORGANISATION), None)
    if org is not None:
        obj["organization"] = hsds_organization(directory, org, include_contacts)
    sections = {"phones": _phones(activity), "schedules": _schedule(activity),
                "service_areas": _areas(directory, activity), "cost_options": _cost(activity),
                "languages": [{"id": hsds_id(activity, f"language/{i}"), "name": name}
                              for i, name in enumerate(p.get("languages") or [])],
                "attributes": _terms(activity, service_id)}
    location = _location(activity, p.get("accessibility"))
    if location is not None:
        sections["service_at_locations"] = [{"id": hsds_id(activity, "service_at_location"),
                                             "service_id": service_id,
                                             "location_id": location["id"],
                                             "location": location}]
    if include_contacts:
        sections["contacts"] = [_contact(n) for n in _people(directory, activity, "CONTACT",
                                                             "out")]
    obj.update({key: value for key, value in sections.items() if value})
    return obj


def selected_activities(directory: Directory, scope: ExportScope) -> list[Node]:
    """The activities an export scope covers (area, organisation and team combine)."""
    chosen: list[set[str]] = []
    if scope.area:
        chosen.append(directory.activities_in(directory.area_closure(scope.area)[1]))
    if scope.organisation:
        org = directory.resolve(scope.organisation, ORGANISATION)
        chosen.append({e.src for e in directory.current(org.id, ["OFFERED_BY"], "in")})
    if scope.team:
        team = directory.resolve(scope.team, TEAM)
        codes: set[str] = set()
        for edge in directory.current(team.id, ["SERVES"]):
            codes |= directory.area_closure(edge.dst)[1]
        chosen.append(directory.activities_in(codes))
    if chosen:
        nodes = list(directory.store.get_nodes(set.intersection(*chosen)).values())
    else:
        nodes = directory.store.find_nodes(ACTIVITY)
    return sorted((n for n in nodes if n.kind == ACTIVITY), key=lambda n: (n.name, n.id))


def hsds_services_document(services: list[dict[str, Any]]) -> dict[str, Any]:
    """Services wrapped like an HSDS paginated list: one page holding all of them."""
    return {"total_items": len(services), "total_pages": 1, "page_number": 1,
            "size": len(services), "first_page": True, "last_page": True,
            "empty": not services, "contents": services}


def export_hsds(directory: Directory, out: BinaryIO, scope: ExportScope) -> int:
    """Registry exporter for ``--format hsds``: the number of services written."""
    services = [hsds_service(directory, node, scope.include_contacts)
                for node in selected_activities(directory, scope)]
    text = json.dumps(hsds_services_document(services), ensure_ascii=False, indent=2)
    out.write(text.encode("utf-8") + b"\n")
    return len(services)
