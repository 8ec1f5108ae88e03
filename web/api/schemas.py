"""The JSON Schemas of the API's bodies (OpenAPI 3.1 components), written once here.

Node input schemas are derived from the core's field table (``directory.records.FIELDS``),
so a new property shows up in the document without editing it here.
"""

from __future__ import annotations

from typing import Any

from directory.model import COLLECTIONS
from directory.records import FIELDS
from directory.vocabularies import LIFE_DOMAINS, PARTNER_TYPES, TARGET_GROUPS, WEEKDAYS

__all__ = ["components", "ref", "page_of", "INPUT_NAMES"]

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
OPT_STRING: Schema = {"type": ["string", "null"]}
OPT_INTEGER: Schema = {"type": ["integer", "null"]}
COUNTS: Schema = {"type": "object", "additionalProperties": INTEGER}
LIST_FIELDS = ("life_domains", "target_groups", "languages", "checklist", "postcodes")
NUMBER_FIELDS = ("lat", "lon")
INTEGER_FIELDS = ("phase", "population", "year")
BOOLEAN_FIELDS = ("referral_needed",)
# collection → the name of its input schema
INPUT_NAMES = {collection: f"{kind}Input" for collection, kind in COLLECTIONS.items()}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: list[str], properties: dict[str, Schema], extra: bool = False) -> Schema:
    return {"type": "object", "required": required, "properties": properties,
            "additionalProperties": extra}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def page_of(item: Schema) -> Schema:
    return obj(["items", "total", "limit", "offset"],
               {"items": array(item), "total": INTEGER, "limit": INTEGER, "offset": INTEGER})


def _keys(vocabulary: Any) -> Schema:
    return {"type": "string", "enum": vocabulary.keys()}


def _input(kind: str, *, with_version: bool) -> Schema:
    props: dict[str, Schema] = {}
    for name in FIELDS[kind]:
        if name in LIST_FIELDS:
            props[name] = {"type": ["array", "string"], "items": STRING}
        elif name in NUMBER_FIELDS:
            props[name] = {"type": ["number", "null"]}
        elif name in INTEGER_FIELDS:
            props[name] = OPT_INTEGER
        elif name in BOOLEAN_FIELDS:
            props[name] = {"type": ["boolean", "string", "null"]}
        else:
            props[name] = OPT_STRING
    if kind == "Agreement":
        props["agreement_kind"] = props.pop("kind")
    if with_version:
        props["version"] = INTEGER
    return {"type": "object", "properties": props, "required": ["version"] if with_version
            else [], "additionalProperties": True,
            "description": "Properties of the node; bookkeeping fields from GET (id, kind, "
                           "updated_at, …) are ignored. Vocabulary fields take keys or "
                           "Dutch labels."}


def _errors() -> dict[str, Schema]:
    detail = obj(["line", "field", "message"],
                 {"line": OPT_INTEGER, "field": STRING, "message": STRING})
    error = obj(["error"], {"error": obj(["code", "message", "details"], {
        "code": STRING, "message": STRING, "details": array(ref("Detail"))})})
    return {"Detail": detail, "Error": error}


def _nodes() -> dict[str, Schema]:
    node_ref = obj(["id", "kind", "name"], {"id": STRING, "kind": STRING, "name": STRING})
    node = obj(["id", "kind", "name", "version"], {
        "id": STRING, "kind": STRING, "name": STRING, "version": INTEGER,
        "updated_at": STRING, "source": OPT_STRING, "source_id": OPT_STRING}, extra=True)
    relation = obj(["id", "type", "direction", "other", "since", "until", "current"], {
        "id": INTEGER, "type": STRING, "direction": {"enum": ["out", "in"]},
        "other": ref("NodeRef"), "since": OPT_STRING, "until": OPT_STRING,
        "current": {"type": "boolean"}}, extra=True)
    shown = {"allOf": [ref("Node"), obj(["relations"], {"relations": array(ref("Relation"))},
                                         extra=True)]}
    ended = {"allOf": [ref("Node"), obj(["ended_relations", "deleted"], {
        "ended_relations": INTEGER, "deleted": {"type": "boolean"}}, extra=True)]}
    edge = obj(["id", "type", "src", "dst", "props", "since", "until", "current"], {
        "id": INTEGER, "type": STRING, "src": STRING, "dst": STRING,
        "props": {"type": "object"}, "since": OPT_STRING, "until": OPT_STRING,
        "current": {"type": "boolean"}})
    edge_input = obj(["type", "src", "dst"], {
        "type": STRING, "src": STRING, "dst": STRING, "props": {"type": "object"},
        "since": OPT_STRING})
    return {"NodeRef": node_ref, "Node": node, "Relation": relation, "NodeShown": shown,
            "NodePage": page_of(ref("Node")), "Ended": ended, "Edge": edge,
            "EdgeInput": edge_input}


def _search() -> dict[str, Schema]:
    colleague = obj(["id", "name", "team"], {"id": STRING, "name": STRING,
                                             "team": OPT_STRING})
    contact = obj(["id", "name", "job_title", "known_by"], {
        "id": STRING, "name": STRING, "job_title": OPT_STRING, "phone": OPT_STRING,
        "email": OPT_STRING, "known_by": array(colleague)})
    contact["description"] = "phone and email only for logged-in callers"
    item = obj(["id", "title", "organisation", "areas", "life_domains", "days", "start", "end",
                "cost", "free", "referral_needed", "contact", "distance_km", "score"], {
        "id": STRING, "title": STRING, "description": STRING,
        "organisation": {"oneOf": [ref("NodeRef"), {"type": "null"}]},
        "areas": array(obj(["code", "name"], {"code": STRING, "name": STRING})),
        "gemeente": OPT_STRING, "life_domains": array(_keys(LIFE_DOMAINS)),
        "target_groups": array(_keys(TARGET_GROUPS)), "days": array(_keys(WEEKDAYS)),
        "start": OPT_STRING, "end": OPT_STRING, "address": OPT_STRING,
        "postcode": OPT_STRING, "city": OPT_STRING, "cost": STRING,
        "free": {"type": "boolean"}, "referral_needed": {"type": "boolean"},
        "contact": {"oneOf": [ref("ContactCard"), {"type": "null"}]},
        "distance_km": {"type": ["number", "null"]}, "score": {"type": "number"},
        "url": OPT_STRING})
    return {"ContactCard": contact, "SearchItem": item, "SearchPage": page_of(ref("SearchItem"))}


def _reports() -> dict[str, Schema]:
    area = obj(["code", "name", "level", "population"], {
        "code": STRING, "name": STRING, "level": OPT_STRING, "population": OPT_INTEGER,
        "year": OPT_INTEGER})
    gap = obj(["kind", "message"], {"kind": STRING, "message": STRING}, extra=True)
    analysis = obj(["area", "partners_by_type", "activities_by_domain", "gaps", "people",
                    "teams"], {
        "area": area, "partners_by_type": _counted(PARTNER_TYPES),
        "activities_by_domain": _counted(LIFE_DOMAINS), "gaps": array(gap),
        "partners": array({"type": "object"}), "activities": INTEGER,
        "people": array({"type": "object"}), "teams": array({"type": "object"})})
    row = obj(["code", "name", "population", "activities_by_domain", "partners_by_type"], {
        "code": STRING, "name": STRING, "level": OPT_STRING, "population": OPT_INTEGER,
        "activities_by_domain": _counted(LIFE_DOMAINS),
        "partners_by_type": _counted(PARTNER_TYPES)})
    coverage = obj(["areas", "risks", "total_areas", "total_risks", "limit", "offset",
                    "risk_limit", "risk_offset"], {
        "areas": array(row), "risks": array(gap), "total_areas": INTEGER,
        "total_risks": INTEGER, "limit": INTEGER, "offset": INTEGER, "risk_limit": INTEGER,
        "risk_offset": INTEGER})
    return {"Analysis": analysis, "Coverage": coverage}


def _counted(vocabulary: Any) -> Schema:
    return {"type": "object", "propertyNames": _keys(vocabulary),
            "additionalProperties": INTEGER}


def _actions() -> dict[str, Schema]:
    handover_in = obj(["from", "to"], {"from": STRING, "to": STRING,
                                       "dry_run": {"type": "boolean", "default": False}})
    moved = obj(["type", "other"], {"type": STRING, "other": ref("NodeRef"),
                                    "already_held": {"type": "boolean"}})
    handover = obj(["from", "to", "moved", "dry_run"], {
        "from": ref("NodeRef"), "to": ref("NodeRef"), "moved": array(moved),
        "dry_run": {"type": "boolean"}})
    report = obj(["format", "created", "updated", "unchanged", "rejected", "written"], {
        "format": STRING, "created": INTEGER, "updated": INTEGER, "unchanged": INTEGER,
        "rejected": array(ref("Detail")), "written": {"type": "boolean"},
        "dry_run": {"type": "boolean"}, "possible_duplicates": array({"type": "object"}),
        "unknown_columns": array(STRING), "notes": array(STRING),
        "unit": {"type": "string", "enum": ["regel", "kaart", "event", "feature"]}})
    upload = obj(["file"], {
        "file": {"type": "string", "contentMediaType": "application/octet-stream"},
        "format": STRING, "dry_run": {"type": "boolean", "default": True},
        "skip_invalid": {"type": "boolean", "default": False}})
    session = obj(["user", "csrf_token"], {
        "user": {"oneOf": [obj(["name", "role"], {"name": STRING, "role": STRING}),
                           {"type": "null"}]},
        "csrf_token": OPT_STRING})
    return {"HandoverInput": handover_in, "Handover": handover, "ImportReport": report,
            "ImportUpload": upload, "Session": session}


def _hsds() -> dict[str, Schema]:
    """HSDS objects are described by the official Open Referral 3.0 schemas."""
    base = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
    service = {"type": "object", "required": ["id", "name", "status"],
               "description": f"HSDS 3.0 service: {base}service.json"}
    organization = {"type": "object", "required": ["id", "name", "description"],
                    "description": f"HSDS 3.0 organization: {base}organization.json"}
    found = {"HsdsService": service, "HsdsOrganization": organization}
    for name in ("HsdsService", "HsdsOrganization"):
        found[f"{name}Page"] = obj(
            ["total_items", "total_pages", "page_number", "size", "first_page", "last_page",
             "empty", "contents"], {
                "total_items": INTEGER, "total_pages": INTEGER, "page_number": INTEGER,
                "size": INTEGER, "first_page": {"type": "boolean"},
                "last_page": {"type": "boolean"}, "empty": {"type": "boolean"},
                "contents": array(ref(name))})
    return found


def components() -> dict[str, Schema]:
    """Every named schema of the document."""
    found = {**_errors(), **_nodes(), **_search(), **_reports(), **_actions(), **_hsds()}
    for collection, kind in COLLECTIONS.items():
        if collection != "areas":
            found[INPUT_NAMES[collection]] = _input(kind, with_version=False)
            found[f"{kind}Update"] = _input(kind, with_version=True)
    return found
