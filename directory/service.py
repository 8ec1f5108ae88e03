"""The directory's everyday operations over a store: create, change, relate, end, find.

Every write goes through here, so validation, kind checks on relations and the
acting user are applied the same way for the CLI, importers and the web app.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from directory import areas, validation
from directory.errors import Conflict, NotFound, ValidationError
from directory.facets import ActivityFilter
from directory.model import (
    AREA,
    COLLECTIONS,
    EDGE_TYPES,
    KIND_LABELS,
    ORGANISATION,
    Edge,
    Node,
    new_id,
    today_iso,
)
from directory.records import clean_props
from directory.store import Direction, GraphStore
from directory.text import fold

# Properties that a postcode fills in when they are not given.
PLACE_DERIVED = ("city", "lat", "lon")


class Directory:
    """The core API: one store, one acting user."""

    def __init__(self, store: GraphStore, actor: str = "system") -> None:
        self.store = store
        self.actor = actor

    # -- set-up ----------------------------------------------------------------------------

    def init(self) -> int:
        """Create the schema and add the national gemeenten and wijken that are missing.

        Returns how many areas were added.
        """
        self.store.init()
        known = {n.id for n in self.store.find_nodes(AREA)}
        missing = [r for r in areas.national_areas() if r.code not in known]
        if not missing:
            return 0
        nodes = [Node(id=r.code, kind=AREA, source="cbs", source_id=r.code,
                      props={k: v for k, v in {"code": r.code, "name": r.name, "level": r.level,
                                               "population": r.population,
                                               "year": r.year}.items() if v is not None})
                 for r in missing]
        edges = [Edge("WITHIN", r.code, r.parent, since=f"{r.year}-01-01")
                 for r in missing if r.parent]
        with self.store.transaction(self.actor):
            self.store.put_nodes(nodes, actor=self.actor)
            self.store.add_edges(edges, actor=self.actor)
        return len(nodes)

    # -- nodes -----------------------------------------------------------------------------

    def create(self, kind: str, props: Mapping[str, Any], *, node_id: str | None = None,
               source: str | None = None, source_id: str | None = None) -> Node:
        """Validate and store a new node."""
        cleaned = clean_props(kind, props)
        node = Node(id=node_id or (cleaned["code"] if kind == AREA else new_id(kind)),
                    kind=kind, props=cleaned, source=source, source_id=source_id)
        return self.store.put_node(node, actor=self.actor)

    def update(self, node_id: str, changes: Mapping[str, Any], *, version: int) -> Node:
        """Apply changed properties (None removes one); a stale version raises Conflict."""
        node = self.store.get_node(node_id)
        old = dict(node.props)
        if "postcode" in changes and _pc4(changes["postcode"]) != _pc4(old.get("postcode")):
            # city and coordinates came with the old postcode: derive them again
            for name in PLACE_DERIVED:
                if name not in changes:
                    old.pop(name, None)
        merged = {**old, **changes}
        merged = {k: v for k, v in merged.items() if v is not None}
        node.props = clean_props(node.kind, merged)
        node.version = version
        return self.store.put_node(node, actor=self.actor)

    def get(self, node_id: str) -> Node:
        return self.store.get_node(node_id)

    def resolve(self, ref: str, kind: str | None = None) -> Node:
        """The node a user means: an id, a CBS code, or an exact (case-insensitive) name."""
        ref = ref.strip()
        try:
            node = self.store.get_node(ref)
        except NotFound:
            node = None
        if node is None and ref[:2].upper() in ("GM", "WK", "BU"):
            try:
                node = self.store.get_node(validation.normalise_area_code(ref))
            except (ValueError, NotFound):
                node = None
        if node is not None:
            if kind and node.kind != kind:
                raise NotFound(f"'{ref}' is geen {KIND_LABELS[kind]}")
            return node
        return self._by_name(ref, kind)

    def _by_name(self, ref: str, kind: str | None) -> Node:
        key = "title" if kind == "Activity" else "name"
        matches = self.store.find_nodes(kind, {key: ref}) if kind else []
        if not matches:
            wanted = fold(ref)
            kinds = [kind] if kind else list(COLLECTIONS.values())
            matches = [n for k in kinds for n in self.store.find_nodes(k)
                       if fold(n.name) == wanted]
        if not matches:
            raise NotFound(f"niets gevonden met id, code of naam '{ref}'")
        gemeenten = [n for n in matches if n.kind == AREA and n.props.get("level") == "gemeente"]
        if len(matches) > 1 and len(gemeenten) == 1 and all(
                n.kind == AREA and self.gemeente_of(n.id) == gemeenten[0].id for n in matches):
            return gemeenten[0]  # "Beuningen" is the gemeente, not its wijk of that name
        if len(matches) > 1:
            ids = ", ".join(f"{n.id} ({KIND_LABELS[n.kind]})" for n in matches[:5])
            raise Conflict(f"'{ref}' is niet eenduidig; gebruik een id: {ids}")
        return matches[0]

    # -- relations -------------------------------------------------------------------------

    def relate(self, type_: str, src: str, dst: str, props: Mapping[str, Any] | None = None,
               since: str | None = None) -> Edge:
        """Start a relation after checking its type against the kinds of both ends."""
        edge = self.check_edge(Edge(type_, src, dst, dict(props or {}), since=since))
        return self.store.add_edge(edge, actor=self.actor)

    def check_edge(self, edge: Edge, nodes: Mapping[str, Node] | None = None) -> Edge:
        """The edge with a valid type, kinds and dates; raises ValidationError/NotFound."""
        if edge.type not in EDGE_TYPES:
            raise ValidationError.field("type", f"onbekende relatie '{edge.type}'")
        found = nodes if nodes is not None else self.store.get_nodes([edge.src, edge.dst])
        want_src, want_dst = EDGE_TYPES[edge.type]
        for end, want in ((edge.src, want_src), (edge.dst, want_dst)):
            node = found.get(end)
            if node is None:
                raise NotFound(f"niet gevonden: {end}")
            if node.kind != want:
                raise ValidationError.field(
                    "type", f"{edge.type} verbindt {want_src} met {want_dst}, "
                            f"maar {node.name or end} is een {node.kind}")
        since = validation.parse_date(edge.since) if edge.since else today_iso()
        until = validation.parse_date(edge.until) if edge.until else None
        if until is not None and until < since:
            raise ValidationError.field("until", f"einddatum {until} ligt voor {since}")
        return Edge(edge.type, edge.src, edge.dst, dict(edge.props), since, until, edge.id)

    def end_relation(self, edge_id: int, until: str | None = None) -> Edge:
        """End a current relation (it stays as history)."""
        edge = self.store.get_edge(edge_id)
        if edge.until is not None:
            raise Conflict(f"relatie {edge_id} is al beëindigd op {edge.until}")
        edge.until = validation.parse_date(until) if until else today_iso()
        if edge.since and edge.until < edge.since:
            raise ValidationError.field("until", f"einddatum ligt voor {edge.since}")
        return self.store.update_edge(edge, actor=self.actor)

    def current(self, node_id: str, types: Iterable[str],
                direction: Direction = "out") -> list[Edge]:
        """The current relations of some types at a node."""
        return self.store.edges(node_id, types=list(types), direction=direction, current=True)

    # -- areas -----------------------------------------------------------------------------

    def area_closure(self, area_ref: str) -> tuple[Node, set[str]]:
        """An area and the codes of every area within it (itself included)."""
        area = self.resolve(area_ref, AREA)
        codes = {area.id}
        frontier = [area.id]
        while frontier:
            inner = self.store.edges_between(["WITHIN"], frontier, direction="in")
            frontier = [e.src for e in inner if e.src not in codes]
            codes.update(frontier)
        return area, codes

    def activities_in(self, codes: set[str], *, include_stopped: bool = True) -> set[str]:
        """Activities placed in one of the areas, or unplaced in a gemeente among them."""
        rows, _ = self.store.match_activities(ActivityFilter(
            area_codes=frozenset(codes), include_stopped=include_stopped))
        return {row.id for row in rows}

    def organisations_in(self, codes: set[str]) -> set[str]:
        """Organisations active in one of the areas, or, with no area of their own, whose
        postcode lies in a gemeente among them."""
        store = self.store
        active = {e.src for e in store.edges_between(["ACTIVE_IN"], codes, "in") if e.current}
        by_postcode = {o.id for code in sorted(c for c in codes if c.startswith("GM"))
                       for o in store.find_nodes(ORGANISATION, {"gemeente": code})} - active
        placed = {e.src for e in store.edges_between(["ACTIVE_IN"], by_postcode) if e.current}
        return active | (by_postcode - placed)

    def gemeente_of(self, code: str) -> str:
        """The gemeente code an area code lies in."""
        code = code.upper()
        if code.startswith("GM"):
            return code
        return "GM" + code[2:6]


def _pc4(postcode: Any) -> str | None:
    return areas.normalise_pc4(str(postcode)) if postcode else None
