"""The shared import loader: validate every record, match what exists, then write once.

Importers turn a file into :class:`Record` objects; this module checks them all,
reports each rejected one with its line, field and reason, and writes the rest
in one transaction (or nothing: all-or-nothing unless ``skip_invalid``).
Re-importing the same records changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from directory.errors import Detail, NotFound, ValidationError, WijkkaartError
from directory.model import ACTIVITY, AREA, ORGANISATION, PERSON, Edge, Node, new_id
from directory.records import DEFAULTS, clean_props
from directory.service import Directory
from directory.text import fold

__all__ = ["Record", "ImportReport", "load_records", "organisation_key"]

_LEGAL_FORMS = re.compile(
    r"\b(stichting|st|vereniging|coop|cooperatie|bv|b v|nv|n v|vof)\b")
DUPLICATE_SIMILARITY = 88.0


@dataclass
class Record:
    """One row's intent: a node plus the relations the row implies, by name."""

    line: int
    kind: str
    props: dict[str, Any]
    source: str | None = None
    source_id: str | None = None
    organisation: str | None = None
    contact: dict[str, Any] | None = None
    areas: list[tuple[str, str | None]] = field(default_factory=list)  # (ref, level hint)
    fields: dict[str, str] = field(default_factory=dict)  # property → the file's column name
    problem: Detail | None = None  # a reason the reader already found to reject the row


@dataclass
class ImportReport:
    format: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Detail] = field(default_factory=list)
    written: bool = False
    possible_duplicates: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"format": self.format, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "written": self.written, "dry_run": self.dry_run,
                "rejected": [d.as_dict() for d in self.rejected],
                "possible_duplicates": self.possible_duplicates}


def organisation_key(name: str) -> str:
    """A name without legal forms and punctuation: "Stichting Kwintes" → "kwintes"."""
    folded = re.sub(r"[^0-9a-z ]+", " ", fold(name))
    stripped = " ".join(_LEGAL_FORMS.sub(" ", folded).split())
    return stripped or " ".join(folded.split())


class _Plan:
    """What an import would write, built without writing anything."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.store = directory.store
        self.nodes: dict[str, Node] = {}         # id → node to put (new or changed)
        self.edges: list[Edge] = []
        self.edge_keys: set[tuple[str, str, str]] = set()
        self.created = self.updated = self.unchanged = 0
        self.orgs: dict[str, Node] = {}          # organisation_key → node
        self.duplicates: list[dict[str, Any]] = []
        for org in self.store.find_nodes(ORGANISATION):
            self.orgs.setdefault(organisation_key(org.name), org)

    def node(self, kind: str, props: dict[str, Any], existing: Node | None,
             source: str | None, source_id: str | None,
             defaulted: frozenset[str] = frozenset()) -> Node:
        if existing is None:
            node = Node(new_id(kind), kind, props, source=source, source_id=source_id)
            self.nodes[node.id] = node
            self.created += 1
            return node
        # a default fills a new node only; it never overwrites what is already known
        props = {k: v for k, v in props.items() if k not in defaulted}
        if existing.id in self.nodes:  # touched twice in one file: last row wins
            earlier = self.nodes[existing.id]
            again = Node(earlier.id, earlier.kind, {**earlier.props, **props}, earlier.version,
                         source=earlier.source, source_id=earlier.source_id)
            self.nodes[again.id] = again
            return again
        merged = {**existing.props, **props}
        if merged == existing.props:
            self.unchanged += 1
            return existing
        changed = Node(existing.id, existing.kind, merged, existing.version,
                       source=existing.source or source,
                       source_id=existing.source_id or source_id)
        self.nodes[changed.id] = changed
        self.updated += 1
        return changed

    def edge(self, type_: str, src: str, dst: str, props: dict[str, Any] | None = None) -> None:
        key = (type_, src, dst)
        if key in self.edge_keys:
            return
        self.edge_keys.add(key)
        stored = src not in self.nodes or self.nodes[src].version != 0
        if stored and any(e.dst == dst for e in self.store.edges(
                src, types=[type_], direction="out", current=True)):
            return
        self.edges.append(Edge(type_, src, dst, dict(props or {})))

    def organisation(self, name: str, line: int) -> Node:
        key = organisation_key(name)
        if key in self.orgs:
            return self.orgs[key]
        for other_key, other in self.orgs.items():
            score = fuzz.token_set_ratio(key, other_key)
            if score >= DUPLICATE_SIMILARITY:
                self.duplicates.append({"line": line, "name": name, "similar_to": other.ref(),
                                        "similarity": round(score)})
        node = self.node(ORGANISATION, clean_props(ORGANISATION, {"name": name}, line), None,
                         None, None)
        self.orgs[key] = node
        return node


def _existing(plan: _Plan, record: Record, props: dict[str, Any],
              org: Node | None) -> Node | None:
    store = plan.store
    if record.source and record.source_id:
        found = store.find_nodes(record.kind, {"source": record.source,
                                               "source_id": record.source_id})
        if found:
            return plan.nodes.get(found[0].id, found[0])
    if record.kind == ORGANISATION:
        return plan.orgs.get(organisation_key(props["name"]))
    name_key = "title" if record.kind == ACTIVITY else "name"
    candidates = [n for n in store.find_nodes(record.kind, {name_key: props[name_key]})]
    candidates += [n for n in plan.nodes.values() if n.kind == record.kind and n.version == 0
                   and n.props.get(name_key) == props[name_key]]
    for node in candidates:
        if record.kind == ACTIVITY and (node.props.get("city") or "") != (
                props.get("city") or node.props.get("city") or ""):
            continue
        if org is None or _linked(plan, node.id, org.id):
            return plan.nodes.get(node.id, node)
    return None


def _linked(plan: _Plan, node_id: str, org_id: str) -> bool:
    if any(e.src == node_id and e.dst == org_id for e in plan.edges):
        return True
    return any(e.dst == org_id for e in plan.store.edges(
        node_id, types=["OFFERED_BY", "WORKS_AT"], direction="out", current=True))


def _defaulted(kind: str, given: dict[str, Any]) -> frozenset[str]:
    """The properties ``clean_props`` fills with a default because the row left them out."""
    return frozenset(k for k in DEFAULTS.get(kind, {}) if given.get(k) in (None, ""))


def _plan_record(plan: _Plan, record: Record) -> None:
    if record.problem is not None:
        raise ValidationError("", [record.problem])
    props = clean_props(record.kind, record.props, record.line)
    if record.contact and record.contact.get("name"):
        record.contact = clean_props(PERSON, record.contact, record.line)
    areas = [_resolve_area(plan.directory, ref, level, record) for ref, level in record.areas]
    org = plan.organisation(record.organisation, record.line) if record.organisation else None
    node = plan.node(record.kind, props, _existing(plan, record, props, org),
                     record.source, record.source_id, _defaulted(record.kind, record.props))
    if record.kind == ORGANISATION:
        plan.orgs.setdefault(organisation_key(node.name), node)
    if org is not None and record.kind in (ACTIVITY, PERSON):
        job = {"job_title": props["job_title"]} if props.get("job_title") else {}
        plan.edge("OFFERED_BY" if record.kind == ACTIVITY else "WORKS_AT", node.id, org.id, job)
    for area in areas:
        plan.edge("IN_AREA" if record.kind == ACTIVITY else "ACTIVE_IN", node.id, area.id)
    if record.contact and record.contact.get("name"):
        _plan_contact(plan, record, node, org)


def _plan_contact(plan: _Plan, record: Record, node: Node, org: Node | None) -> None:
    employer = node if record.kind == ORGANISATION else org
    contact_props = dict(record.contact or {})
    sub = Record(record.line, PERSON, contact_props)
    person = plan.node(PERSON, contact_props, _existing(plan, sub, contact_props, employer),
                       None, None)
    if employer is not None:
        job = {"job_title": contact_props["job_title"]} if contact_props.get("job_title") else {}
        plan.edge("WORKS_AT", person.id, employer.id, job)
    if record.kind == ACTIVITY:
        plan.edge("CONTACT", node.id, person.id)


def _resolve_area(directory: Directory, ref: str, level: str | None, record: Record) -> Node:
    column = record.fields.get("area", "wijk")
    try:
        return directory.resolve(ref, AREA)
    except NotFound as exc:
        raise ValidationError("", [Detail(column, f"onbekend gebied '{ref}'", record.line)]
                              ) from exc
    except WijkkaartError as exc:  # ambiguous name: prefer the level the column names
        if level:
            matches = [n for n in directory.store.find_nodes(AREA, {"name": ref})
                       if n.props.get("level") == level]
            if len(matches) == 1:
                return matches[0]
        raise ValidationError("", [Detail(column, str(exc), record.line)]) from exc


def load_records(directory: Directory, records: Iterable[Record], *, format: str,
                 dry_run: bool = False, skip_invalid: bool = False,
                 progress: Callable[[int], None] | None = None) -> ImportReport:
    """Validate and plan every record, then write all of it in one transaction."""
    report = ImportReport(format=format, dry_run=dry_run)
    plan = _Plan(directory)
    for record in records:
        snapshot = (dict(plan.nodes), list(plan.edges), set(plan.edge_keys), dict(plan.orgs),
                    plan.created, plan.updated, plan.unchanged)
        try:
            _plan_record(plan, record)
        except ValidationError as exc:
            (plan.nodes, plan.edges, plan.edge_keys, plan.orgs, plan.created, plan.updated,
             plan.unchanged) = snapshot
            report.rejected += [Detail(record.fields.get(d.field, d.field), d.message, record.line)
                                for d in exc.details or [Detail("", str(exc), record.line)]]
        if progress:
            progress(1)
    report.created, report.updated, report.unchanged = plan.created, plan.updated, plan.unchanged
    report.possible_duplicates = plan.duplicates
    if dry_run or (report.rejected and not skip_invalid):
        return report
    with directory.store.transaction(directory.actor):
        directory.store.put_nodes(list(plan.nodes.values()), actor=directory.actor)
        directory.store.add_edges(plan.edges, actor=directory.actor)
    report.written = True
    return report
