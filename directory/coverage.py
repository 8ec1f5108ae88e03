"""Dekking: the offer and partners per area, and the risks in the partner network.

Risks are computed with networkx on the store's projection: partners whose
relation hangs on one team member, members whose departure orphans the most
partners, and agreements past their review date.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from directory.analysis import ancestors
from directory.model import ACTIVITY, AGREEMENT, AREA, ORGANISATION, Node, today_iso
from directory.service import Directory

__all__ = ["coverage", "network_risks"]


def coverage(directory: Directory, area_ref: str | None = None) -> dict[str, Any]:
    """The coverage matrix of every wijk (or those within ``area_ref``) and the risks."""
    store = directory.store
    if area_ref:
        area, codes = directory.area_closure(area_ref)
        rows = [n for n in store.get_nodes(codes).values() if n.props.get("level") == "wijk"]
        rows = rows or [area]
    else:
        rows = store.find_nodes(AREA, {"level": "wijk"})
    rows.sort(key=lambda n: n.id)
    row_codes = {n.id for n in rows}
    row_of = _row_of_area(directory, row_codes, gemeente_wide=False)
    row_of_partner = _row_of_area(directory, row_codes, gemeente_wide=True)
    activities = {a.id: a for a in store.find_nodes(ACTIVITY)
                  if a.props.get("status", "actief") == "actief"}
    organisations = {o.id: o for o in store.find_nodes(ORGANISATION)
                     if o.props.get("role", "ketenpartner") == "ketenpartner"}
    domains: dict[str, Counter[str]] = defaultdict(Counter)
    for act_id, code in _placements(directory, "IN_AREA", activities):
        for row in row_of.get(code, ()):
            domains[row].update(activities[act_id].props.get("life_domains") or [])
    partners: dict[str, set[str]] = defaultdict(set)
    for org_id, code in _placements(directory, "ACTIVE_IN", organisations):
        for row in row_of_partner.get(code, ()):
            partners[row].add(org_id)
    areas_out = []
    for node in rows:
        types = Counter(organisations[o].props.get("partner_type", "overig")
                        for o in partners[node.id])
        areas_out.append({"code": node.id, "name": node.name, "level": node.props.get("level"),
                          "population": node.props.get("population"),
                          "activities_by_domain": dict(sorted(domains[node.id].items())),
                          "partners_by_type": dict(sorted(types.items()))})
    return {"areas": areas_out, "risks": network_risks(directory, area_ref)}


def _row_of_area(directory: Directory, row_codes: set[str], *, gemeente_wide: bool
                 ) -> dict[str, list[str]]:
    """Area code → the matrix rows it counts for: a wijk counts for itself and its
    buurten count for it; with ``gemeente_wide`` (partners working in the whole
    gemeente) the gemeente covers each of its wijken too. Activities only count
    where they take place, as in the wijkanalyse."""
    row_of: dict[str, list[str]] = defaultdict(list)
    for code in row_codes:
        row_of[code].append(code)
    for edge in directory.store.edges(types=["WITHIN"]):
        if edge.dst in row_codes and edge.src not in row_codes:
            row_of[edge.src].append(edge.dst)  # a buurt counts for its wijk
        if gemeente_wide and edge.src in row_codes and edge.dst not in row_codes:
            row_of[edge.dst].append(edge.src)  # a gemeente-wide fact covers each wijk
    return row_of


def _placements(directory: Directory, type_: str, nodes: dict[str, Node]
                ) -> list[tuple[str, str]]:
    """(node id, area code) for each current placement edge of the nodes; a node without
    one is placed in the gemeente its postcode lies in."""
    found = [(e.src, e.dst) for e in directory.store.edges(types=[type_], current=True)
             if e.src in nodes]
    placed = {node_id for node_id, _ in found}
    found += [(n.id, n.props["gemeente"]) for n in nodes.values()
              if n.id not in placed and n.props.get("gemeente")]
    return found


def network_risks(directory: Directory, area_ref: str | None = None) -> list[dict[str, Any]]:
    """Single points of failure in the liaison network, and agreements to review."""
    store = directory.store
    graph = store.projection(["LIAISON_FOR", "ACTIVE_IN", "WITHIN", "MEMBER_OF"])
    partners = _partners_in_scope(directory, graph, area_ref)
    members = {u for u, _, d in graph.edges(data=True) if d["type"] == "MEMBER_OF"}
    # only a current team member holds a relation for the team
    liaisons: nx.DiGraph[str] = nx.DiGraph((u, v) for u, v, d in graph.edges(data=True)
                          if d["type"] == "LIAISON_FOR" and v in partners and u in members)
    risks: list[dict[str, Any]] = []
    orphaned: dict[str, list[str]] = defaultdict(list)
    for partner in sorted(partners, key=lambda p: graph.nodes[p]["name"].lower()):
        holders = list(liaisons.predecessors(partner)) if partner in liaisons else []
        name = graph.nodes[partner]["name"]
        if not holders:
            risks.append({"kind": "geen_relatiebeheerder", "organisation": _ref(graph, partner),
                          "message": f"{name} heeft geen relatiebeheerder in een team"})
        elif len(holders) == 1:
            orphaned[holders[0]].append(partner)
            risks.append({"kind": "een_relatiebeheerder", "organisation": _ref(graph, partner),
                          "person": _ref(graph, holders[0]),
                          "message": f"de relatie met {name} hangt alleen aan "
                                     f"{graph.nodes[holders[0]]['name']}"})
    for person, held in sorted(orphaned.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(held) < 2:
            continue
        risks.append({"kind": "vertrekrisico", "person": _ref(graph, person),
                      "orphaned": len(held), "organisations": [_ref(graph, p) for p in held],
                      "message": f"als {graph.nodes[person]['name']} vertrekt, verliest het team "
                                 f"de relatie met {len(held)} ketenpartners"})
    risks += _overdue_agreements(directory, partners, area_ref)
    return risks


def _partners_in_scope(directory: Directory, graph: nx.MultiDiGraph[str],
                       area_ref: str | None) -> set[str]:
    organisations = {o.id: o for o in directory.store.find_nodes(ORGANISATION)
                     if o.props.get("role", "ketenpartner") == "ketenpartner"}
    for org_id, org in organisations.items():
        if org_id not in graph:
            graph.add_node(org_id, kind=ORGANISATION, name=org.name)
    if not area_ref:
        return set(organisations)
    _, codes = directory.area_closure(area_ref)
    codes |= {v for c in codes if c in graph for _, v, d in graph.out_edges(c, data=True)
              if d["type"] == "WITHIN"}
    scope = set()
    for org_id, org in organisations.items():
        active_in = {v for _, v, d in graph.out_edges(org_id, data=True)
                     if d["type"] == "ACTIVE_IN"}
        # without a known area, the gemeente of its postcode places it
        if active_in & codes or (not active_in and org.props.get("gemeente") in codes):
            scope.add(org_id)
    return scope


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


def _ref(graph: nx.MultiDiGraph[str], node_id: str) -> dict[str, str]:
    data = graph.nodes[node_id]
    return {"id": node_id, "kind": data.get("kind", ""), "name": data.get("name", "")}
