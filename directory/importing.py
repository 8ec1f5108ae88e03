"""The shared import loader: validate every record, match what exists, then write once.

Importers turn a file into :class:`Record` objects; this module checks them all,
reports each rejected one with its line, field and reason, and writes the rest
in one transaction (or nothing: all-or-nothing unless ``skip_invalid``).
Re-importing the same records changes nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from directory import areas
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
    """What an import would write, built without writing anything.

    Every change goes through a method that can undo it, so a rejected row is taken back
    at the cost of that row only (``begin``/``rollback``), and lookups use indexes kept
    alongside (new nodes by name, planned edges by target) instead of scanning the plan.
    """

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.store = directory.store
        self.nodes: dict[str, Node] = {}         # id → node to put (new or changed)
        self.edges: list[Edge] = []
        self.edge_keys: set[tuple[str, str, str]] = set()
        self.created = self.updated = self.unchanged = 0
        self.orgs: dict[str, Node] = {}          # organisation_key → node
        self.duplicates: list[dict[str, Any]] = []
        self.new_named: dict[tuple[str, Any], list[str]] = defaultdict(list)  # (kind, name)
        self.order: dict[str, int] = {}          # id of a new node → when it was made
        self.planned_to: dict[str, list[str]] = defaultdict(list)  # dst → srcs of edges
        self._undo: list[Callable[[], object]] = []  # what takes back each change
        self._counts = (0, 0, 0)
        for org in self.store.find_nodes(ORGANISATION):
            self.orgs.setdefault(organisation_key(org.name), org)

    # -- taking back a rejected row ---------------------------------------------------------

    def begin(self) -> None:
        """Start a row: what follows can be taken back with ``rollback``."""
        self._undo.clear()
        self._counts = (self.created, self.updated, self.unchanged)

    def rollback(self) -> None:
        """Take back everything since ``begin`` (possible duplicates stay reported)."""
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()
        self.created, self.updated, self.unchanged = self._counts

    def _put(self, node: Node) -> None:
        previous = self.nodes.get(node.id)
        self.nodes[node.id] = node
        if previous is None:
            self._undo.append(lambda: self.nodes.pop(node.id))
        else:
            self._undo.append(lambda: self.nodes.__setitem__(node.id, previous))
        name = _name_of(node)
        if node.version == 0 and _hashable(name) and (
                previous is None or _name_of(previous) != name):
            self.order.setdefault(node.id, len(self.order))
            ids = self.new_named[(node.kind, name)]
            ids.append(node.id)
            self._undo.append(ids.pop)

    def set_org(self, key: str, node: Node) -> None:
        """Remember the node an organisation key stands for."""
        previous = self.orgs.get(key)
        self.orgs[key] = node
        if previous is None:
            self._undo.append(lambda: self.orgs.pop(key))
        else:
            self._undo.append(lambda: self.orgs.__setitem__(key, previous))

    # -- planning ---------------------------------------------------------------------------

    def node(self, kind: str, props: dict[str, Any], existing: Node | None,
             source: str | None, source_id: str | None,
             defaulted: frozenset[str] = frozenset(), node_id: str | None = None) -> Node:
        if existing is None:
            node = Node(node_id or new_id(kind), kind, props, source=source,
                        source_id=source_id)
            self._put(node)
            self.created += 1
            return node
        # a default fills a new node only; it never overwrites what is already known
        props = {k: v for k, v in props.items() if k not in defaulted}
        if existing.id in self.nodes:  # touched twice in one file: last row wins
            earlier = self.nodes[existing.id]
            again = Node(earlier.id, earlier.kind, {**earlier.props, **props}, earlier.version,
                         source=earlier.source, source_id=earlier.source_id)
            self._put(again)
            return again
        merged = {**existing.props, **props}
        if merged == existing.props:
            self.unchanged += 1
            return existing
        changed = Node(existing.id, existing.kind, merged, existing.version,
                       source=existing.source or source,
                       source_id=existing.source_id or source_id)
        self._put(changed)
        self.updated += 1
        return changed

    def edge(self, type_: str, src: str, dst: str, props: dict[str, Any] | None = None,
             since: str | None = None) -> None:
        key = (type_, src, dst)
        if key in self.edge_keys:
            return
        self.edge_keys.add(key)
        self._undo.append(lambda: self.edge_keys.discard(key))
        stored = src not in self.nodes or self.nodes[src].version != 0
        if stored and any(e.dst == dst for e in self.store.edges(
                src, types=[type_], direction="out", current=True)):
            return
        self.edges.append(Edge(type_, src, dst, dict(props or {}), since=since))
        self._undo.append(self.edges.pop)
        sources = self.planned_to[dst]
        sources.append(src)
        self._undo.append(sources.pop)

    def organisation(self, name: str, line: int) -> Node:
        key = organisation_key(name)
        if key in self.orgs:
            return self.orgs[key]
        keys = list(self.orgs)
        similar = process.extract(key, keys, scorer=fuzz.token_set_ratio,
                                  score_cutoff=DUPLICATE_SIMILARITY, limit=None)
        for _, score, index in sorted(similar, key=lambda match: match[2]):
            self.duplicates.append({"line": line, "name": name,
                                    "similar_to": self.orgs[keys[index]].ref(),
                                    "similarity": round(score)})
        node = self.node(ORGANISATION, clean_props(ORGANISATION, {"name": name}, line), None,
                         None, None)
        self.set_org(key, node)
        return node

    # -- looking up -------------------------------------------------------------------------

    def new_nodes_named(self, kind: str, name: Any) -> list[Node]:
        """The nodes this import creates of a kind with this name, in the order made."""
        if not _hashable(name):
            return [n for n in self.nodes.values() if n.kind == kind and n.version == 0
                    and _name_of(n) == name]
        ids = sorted(set(self.new_named.get((kind, name), ())), key=self.order.__getitem__)
        found = [self.nodes[i] for i in ids if i in self.nodes]
        return [n for n in found if n.version == 0 and _name_of(n) == name]

    def linked_to(self, org_id: str) -> set[str]:
        """Ids of what offers at or works at an organisation now, or will by this import."""
        linked = {e.src for e in self.store.edges(org_id, types=["OFFERED_BY", "WORKS_AT"],
                                                  direction="in", current=True)}
        return linked | set(self.planned_to.get(org_id, ()))


def _name_key(kind: str) -> str:
    """The property an import matches nodes of a kind on by name."""
    return "title" if kind == ACTIVITY else "name"


def _name_of(node: Node) -> Any:
    return node.props.get(_name_key(node.kind))


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | None)


def _existing(plan: _Plan, record: Record, props: dict[str, Any],
              org: Node | None) -> Node | None:
    store = plan.store
    if record.source_id:  # a Wijkkaart export's Id is the node's own id
        own = store.get_nodes([record.source_id]).get(record.source_id)
        if own is not None and own.kind == record.kind:
            return plan.nodes.get(own.id, own)
    if record.source and record.source_id:
        found = store.find_nodes(record.kind, {"source": record.source,
                                               "source_id": record.source_id})
        if found:
            return plan.nodes.get(found[0].id, found[0])
    if record.kind == ORGANISATION:
        return plan.orgs.get(organisation_key(props["name"]))
    for node in _candidates(plan, record.kind, props[_name_key(record.kind)], org):
        if record.source_id and node.source == record.source and node.source_id not in (
                None, record.source_id):
            continue  # another key of the same source: another thing with the same name
        if record.kind == ACTIVITY and (node.props.get("city") or "") != (
                props.get("city") or node.props.get("city") or ""):
            continue
        return plan.nodes.get(node.id, node)
    return None


def _candidates(plan: _Plan, kind: str, name: Any, org: Node | None) -> list[Node]:
    """Nodes of a kind with this name, linked to ``org`` when given: the stored ones (as
    stored, in the store's order: by id, as the names are equal), then the new ones.

    With an organisation, the few nodes linked to it are read rather than every node
    of that name (a common name is shared by hundreds of people)."""
    new = plan.new_nodes_named(kind, name)
    if org is None:
        return plan.store.find_nodes(kind, {_name_key(kind): name}) + new
    linked = plan.linked_to(org.id)
    stored = sorted((n for n in plan.store.get_nodes(linked).values()
                     if n.kind == kind and _name_of(n) == name), key=lambda n: n.id)
    return stored + [n for n in new if n.id in linked]


def _defaulted(kind: str, given: dict[str, Any]) -> frozenset[str]:
    """The properties ``clean_props`` fills with a default because the row left them out."""
    return frozenset(k for k in DEFAULTS.get(kind, {}) if given.get(k) in (None, ""))


def _plan_record(plan: _Plan, record: Record) -> None:
    if record.problem is not None:
        raise ValidationError("", [record.problem])
    if record.kind == AREA:
        _plan_area(plan, record)
        return
    props = clean_props(record.kind, record.props, record.line)
    if record.contact and record.contact.get("name"):
        record.contact = clean_props(PERSON, record.contact, record.line)
    areas = [_resolve_area(plan.directory, ref, level, record) for ref, level in record.areas]
    org = plan.organisation(record.organisation, record.line) if record.organisation else None
    node = plan.node(record.kind, props, _existing(plan, record, props, org),
                     record.source, record.source_id, _defaulted(record.kind, record.props))
    if record.kind == ORGANISATION and organisation_key(node.name) not in plan.orgs:
        plan.set_org(organisation_key(node.name), node)
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
    existing = _existing(plan, sub, contact_props, employer)
    # A contact who works elsewhere or is a team member: when the file lists that person
    # too, or re-imports a Wijkkaart export (rows name their nodes by id), the one person
    # of that name is meant, not a new one at the activity's organisation.
    elsewhere = None
    if existing is None:
        only = _only_person_named(plan, contact_props["name"])
        reimport = record.source_id is not None and node.id == record.source_id
        if only is not None and (reimport or (record.source and only.source == record.source)):
            elsewhere = only
    person = plan.node(PERSON, contact_props, existing or elsewhere, None, None)
    if employer is not None and elsewhere is None:
        job = {"job_title": contact_props["job_title"]} if contact_props.get("job_title") else {}
        plan.edge("WORKS_AT", person.id, employer.id, job)
    if record.kind == ACTIVITY:
        plan.edge("CONTACT", node.id, person.id)


def _only_person_named(plan: _Plan, name: Any) -> Node | None:
    """The one person of this name (stored or listed earlier in the file), if only one:
    an activity's contact who works elsewhere or is a team member, not a new person."""
    found = plan.store.find_nodes(PERSON, {"name": name}, limit=2) + plan.new_nodes_named(
        PERSON, name)
    unique = {n.id: plan.nodes.get(n.id, n) for n in found}
    return next(iter(unique.values())) if len(unique) == 1 else None


def _plan_area(plan: _Plan, record: Record) -> None:
    """An area matched on its CBS code (its node id), never on its name; ``record.areas``
    names the area it lies WITHIN (by code), which must be known or come earlier."""
    props = clean_props(AREA, record.props, record.line)
    code = props["code"]
    existing = plan.nodes.get(code) or plan.store.get_nodes([code]).get(code)
    if existing is not None and existing.kind != AREA:
        raise ValidationError("", [Detail("code", f"'{code}' is al in gebruik voor een "
                                                  f"{existing.kind}", record.line)])
    if existing is None and set(props) <= {"code", "level", "postcodes"}:
        raise ValidationError("", [Detail("code", f"onbekend gebied {code}: een postcodelijst "
                                                  "maakt geen gebied aan; importeer eerst de "
                                                  "gebieden (wijkkaart init of --format cbs)",
                                          record.line)])
    if existing is None and not props.get("name"):
        known = areas.area(code)
        props["name"] = known.name if known else code
    parents = [_parent_area(plan, ref, level, record) for ref, level in record.areas]
    node = plan.node(AREA, props, existing, record.source, record.source_id, node_id=code)
    year = node.props.get("year")
    for parent in parents:
        plan.edge("WITHIN", node.id, parent.id, since=f"{year}-01-01" if year else None)


def _parent_area(plan: _Plan, code: str, level: str | None, record: Record) -> Node:
    parent = plan.nodes.get(code) or plan.store.get_nodes([code]).get(code)
    if parent is None or parent.kind != AREA:
        what = level or "gebied"
        raise ValidationError("", [Detail(record.fields.get("parent", "code"),
                                          f"onbekende {what} {code}: importeer die eerst "
                                          "(of neem hem op in hetzelfde bestand)",
                                          record.line)])
    return parent


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
        plan.begin()
        try:
            _plan_record(plan, record)
        except ValidationError as exc:
            plan.rollback()
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
