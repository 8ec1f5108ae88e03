"""Dekking: the offer and partners per area, and the risks in the partner network.

Risks are computed with networkx on the store's projection of the liaison network:
partners whose relation hangs on one team member, members whose departure orphans
the most partners, and agreements past their review date.

Built to cover every wijk of the country at once: nodes are read as just the few
properties needed (``node_values``), placements are grouped per area before they are
spread over the matrix rows, and partners are counted per row with set unions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from directory.analysis import ancestors
from directory.model import ACTIVITY, AGREEMENT, AREA, ORGANISATION, Edge, Node, today_iso
from directory.service import Directory
from directory.store import GraphStore

__all__ = ["coverage", "network_risks"]

# The properties coverage reads of each activity and organisation.
ACTIVITY_KEYS = ("status", "life_domains", "gemeente")
ORGANISATION_KEYS = ("role", "partner_type", "gemeente", "name")

Values = Mapping[str, Mapping[str, Any]]  # node id → some of its properties
Placement = tuple[str, str]  # (node id, area code)
Nodes = dict[str, dict[str, Any]]  # node id → its attributes in the projection


def coverage(directory: Directory, area_ref: str | None = None) -> dict[str, Any]:
    """The coverage matrix of every wijk (or those within ``area_ref``) and the risks."""
    store = directory.store
    rows = _rows(directory, area_ref)
    row_codes = {n.id for n in rows}
    within = store.edges(types=["WITHIN"])
    activities = _active_activities(store)
    partners = _ketenpartners(store)
    activity_places = _placements(store, "IN_AREA", activities)
    partner_places = _placements(store, "ACTIVE_IN", partners)
    domains = _domains_by_row(_row_of_area(row_codes, within, gemeente_wide=False),
                              activity_places, activities)
    types = _partner_types_by_row(_row_of_area(row_codes, within, gemeente_wide=True),
                                  partner_places, partners)
    areas_out = [{"code": node.id, "name": node.name, "level": node.props.get("level"),
                  "population": node.props.get("population"),
                  "activities_by_domain": dict(sorted(domains.get(node.id, {}).items())),
                  "partners_by_type": dict(sorted(types.get(node.id, {}).items()))}
                 for node in rows]
    return {"areas": areas_out,
            "risks": _risks(directory, area_ref, partners, partner_places)}


def network_risks(directory: Directory, area_ref: str | None = None) -> list[dict[str, Any]]:
    """Single points of failure in the liaison network, and agreements to review."""
    store = directory.store
    partners = _ketenpartners(store)
    places = _placements(store, "ACTIVE_IN", partners) if area_ref else []
    return _risks(directory, area_ref, partners, places)


# -- reading ----------------------------------------------------------------------------------

def _rows(directory: Directory, area_ref: str | None) -> list[Node]:
    """The matrix rows: the wijken (within the area), by code; an area without wijken
    is its own row."""
    store = directory.store
    if area_ref:
        area, codes = directory.area_closure(area_ref)
        rows = [n for n in store.get_nodes(codes).values() if n.props.get("level") == "wijk"]
        rows = rows or [area]
    else:
        rows = store.find_nodes(AREA, {"level": "wijk"})
    rows.sort(key=lambda n: n.id)
    return rows


def _active_activities(store: GraphStore) -> dict[str, Mapping[str, Any]]:
    """The coverage properties of every activity that is still running."""
    return {node_id: values for node_id, values in store.node_values(ACTIVITY, ACTIVITY_KEYS)
            .items() if values.get("status", "actief") == "actief"}


def _ketenpartners(store: GraphStore) -> dict[str, Mapping[str, Any]]:
    """The coverage properties of every organisation that is a ketenpartner."""
    return {node_id: values for node_id, values
            in store.node_values(ORGANISATION, ORGANISATION_KEYS).items()
            if values.get("role", "ketenpartner") == "ketenpartner"}


def _placements(store: GraphStore, type_: str, nodes: Values) -> list[Placement]:
    """(node id, area code) for each current placement edge of the nodes; a node without
    one is placed in the gemeente its postcode lies in."""
    found = [(e.src, e.dst) for e in store.edges(types=[type_], current=True)
             if e.src in nodes]
    placed = {node_id for node_id, _ in found}
    found += [(node_id, values["gemeente"]) for node_id, values in nodes.items()
              if node_id not in placed and values.get("gemeente")]
    return found


# -- the matrix -------------------------------------------------------------------------------

def _row_of_area(row_codes: set[str], within: Sequence[Edge], *, gemeente_wide: bool
                 ) -> dict[str, list[str]]:
    """Area code → the matrix rows it counts for: a wijk counts for itself and its
    buurten count for it; with ``gemeente_wide`` (partners working in the whole
    gemeente) the gemeente covers each of its wijken too. Activities only count
    where they take place, as in the wijkanalyse."""
    row_of: dict[str, list[str]] = defaultdict(list)
    for code in row_codes:
        row_of[code].append(code)
    for edge in within:
        if edge.dst in row_codes and edge.src not in row_codes:
            row_of[edge.src].append(edge.dst)  # a buurt counts for its wijk
        if gemeente_wide and edge.src in row_codes and edge.dst not in row_codes:
            row_of[edge.dst].append(edge.src)  # a gemeente-wide fact covers each wijk
    return row_of


def _domains_by_row(row_of: Mapping[str, list[str]], placements: Sequence[Placement],
                    activities: Values) -> dict[str, Counter[str]]:
    """Row → how many activities there are per life domain (an activity placed twice
    within a row counts twice)."""
    by_code: dict[str, list[str]] = defaultdict(list)
    for act_id, code in placements:
        if code in row_of:
            by_code[code].extend(activities[act_id].get("life_domains") or [])
    domains: dict[str, Counter[str]] = defaultdict(Counter)
    for code, listed in by_code.items():
        counted = Counter(listed)
        for row in row_of[code]:
            domains[row].update(counted)
    return domains


def _partner_types_by_row(row_of: Mapping[str, list[str]], placements: Sequence[Placement],
                          partners: Values) -> dict[str, dict[str, int]]:
    """Row → how many distinct partners of each type work there."""
    at: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for org_id, code in placements:
        if code in row_of:
            at[code][partners[org_id].get("partner_type", "overig")].add(org_id)
    codes_of: dict[str, list[str]] = defaultdict(list)
    for code in at:
        for row in row_of[code]:
            codes_of[row].append(code)
    counts: dict[str, dict[str, int]] = {}
    for row, codes in codes_of.items():
        by_type: dict[str, list[set[str]]] = defaultdict(list)
        for code in codes:
            for type_, orgs in at[code].items():
                by_type[type_].append(orgs)
        counts[row] = {type_: _union_size(sets) for type_, sets in by_type.items()}
    return counts


def _union_size(sets: Sequence[set[str]]) -> int:
    """The size of the union of the sets, without copying the largest one."""
    largest = max(sets, key=len)
    others = [s for s in sets if s is not largest]
    if not others:
        return len(largest)
    return len(largest) + len(set().union(*others) - largest)


# -- the risks --------------------------------------------------------------------------------

def _risks(directory: Directory, area_ref: str | None, partners: Values,
           places: Sequence[Placement]) -> list[dict[str, Any]]:
    """The liaison risks of the partners in scope, then the agreements to review."""
    scope = _partners_in_scope(directory, area_ref, partners, places)
    graph = directory.store.projection(["LIAISON_FOR", "MEMBER_OF"])
    graph.add_nodes_from((org_id, {"kind": ORGANISATION, "name": str(values.get("name") or "")})
                         for org_id, values in partners.items()
                         if org_id in scope and org_id not in graph)
    holders = _holders(graph, scope)
    nodes: Nodes = dict(graph.nodes)
    risks: list[dict[str, Any]] = []
    orphaned: dict[str, list[str]] = defaultdict(list)
    for partner in sorted(scope, key=lambda p: (nodes[p]["name"].lower(), p)):
        held_by = holders.get(partner, [])
        name = nodes[partner]["name"]
        if not held_by:
            risks.append({"kind": "geen_relatiebeheerder", "organisation": _ref(nodes, partner),
                          "message": f"{name} heeft geen relatiebeheerder in een team"})
        elif len(held_by) == 1:
            orphaned[held_by[0]].append(partner)
            risks.append({"kind": "een_relatiebeheerder", "organisation": _ref(nodes, partner),
                          "person": _ref(nodes, held_by[0]),
                          "message": f"de relatie met {name} hangt alleen aan "
                                     f"{nodes[held_by[0]]['name']}"})
    risks += _departures(nodes, orphaned)
    risks += _overdue_agreements(directory, scope, area_ref)
    return risks


def _holders(graph: nx.MultiDiGraph[str], scope: set[str]) -> dict[str, list[str]]:
    """Partner in scope → the people holding its relation; only a current team member
    holds a relation for the team."""
    typed: list[tuple[str, str, Any]] = list(graph.edges(data="type"))
    members = {u for u, _, type_ in typed if type_ == "MEMBER_OF"}
    holders: dict[str, dict[str, None]] = defaultdict(dict)
    for u, v, type_ in typed:
        if type_ == "LIAISON_FOR" and v in scope and u in members:
            holders[v][u] = None
    return {partner: list(people) for partner, people in holders.items()}


def _departures(nodes: Nodes, orphaned: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    """Members who alone hold the relation with two or more partners, most first."""
    risks: list[dict[str, Any]] = []
    for person, held in sorted(orphaned.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(held) < 2:
            continue
        risks.append({"kind": "vertrekrisico", "person": _ref(nodes, person),
                      "orphaned": len(held), "organisations": [_ref(nodes, p) for p in held],
                      "message": f"als {nodes[person]['name']} vertrekt, verliest het team "
                                 f"de relatie met {len(held)} ketenpartners"})
    return risks


def _partners_in_scope(directory: Directory, area_ref: str | None, partners: Values,
                       places: Sequence[Placement]) -> set[str]:
    """All ketenpartners, or those working in the area, the gemeente it lies in, or (known
    only by postcode) in a gemeente within it."""
    if not area_ref:
        return set(partners)
    _, codes = directory.area_closure(area_ref)
    codes |= {e.dst for e in directory.store.edges_between(["WITHIN"], codes, "out")
              if e.current}
    return {org_id for org_id, code in places if code in codes}


def _overdue_agreements(directory: Directory, partners: set[str],
                        area_ref: str | None) -> list[dict[str, Any]]:
    today = today_iso()
    current = _current_agreements(directory, partners, area_ref)
    overdue: list[Node] = [a for a in directory.store.find_nodes(AGREEMENT)
                           if a.id in current and a.props.get("review_on")
                           and a.props["review_on"] < today]
    return [{"kind": "afspraak_evalueren", "agreement": a.ref(),
             "review_on": a.props["review_on"],
             "message": f"samenwerkingsafspraak '{a.name}' had op {a.props['review_on']} "
                        "geëvalueerd moeten worden"} for a in overdue]


def _current_agreements(directory: Directory, partners: set[str],
                        area_ref: str | None) -> set[str]:
    """Ids of agreements a team currently has; within an area: those of a team serving
    it, or with a partner in it."""
    store = directory.store
    if not area_ref:
        return {e.dst for e in store.edges(types=["AGREED"], current=True)}
    area, codes = directory.area_closure(area_ref)
    around = codes | ancestors(directory, area.id)
    teams = {e.src for e in store.edges_between(["SERVES"], around, "in") if e.current}
    agreed = {e.dst for e in store.edges_between(["AGREED"], teams, "out") if e.current}
    with_partner = {e.src for e in store.edges_between(["WITH"], partners, "in") if e.current}
    current = {e.dst for e in store.edges_between(["AGREED"], with_partner, "in")
               if e.current}
    return agreed | (with_partner & current)


def _ref(nodes: Nodes, node_id: str) -> dict[str, str]:
    data = nodes[node_id]
    return {"id": node_id, "kind": data.get("kind", ""), "name": data.get("name", "")}
