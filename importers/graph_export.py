"""GraphML and GEXF exports (Gephi, networkx) and the node set an export scope covers.

The graph holds the nodes of the scope (kind, name and their key properties) and the
current relations between them (``relation`` = type, ``since`` and the relation's own
properties). Lists become comma-separated text, as neither format has a list type;
contact persons' phone and e-mail are left out unless the scope includes contacts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, BinaryIO

import networkx as nx

from directory.listing import list_nodes
from directory.model import (
    ACTIVITY,
    AGREEMENT,
    AREA,
    COLLECTIONS,
    EDGE_TYPES,
    KINDS,
    ORGANISATION,
    PERSON,
    Edge,
    Node,
)
from directory.service import Directory

if TYPE_CHECKING:
    from importers.registry import ExportScope

__all__ = ["scoped_nodes", "current_edges", "public_props", "export_graph", "export_graphml",
           "export_gexf", "PRIVATE_FIELDS"]

PRIVATE_FIELDS = ("phone", "email")  # a contact person's own, exported only when asked
_COLLECTION_OF = {kind: name for name, kind in COLLECTIONS.items()}
# relation properties that say something about a person's contacts, not about the network
_PRIVATE_EDGE_FIELDS = ("note",)


def _area_ids(directory: Directory, scope: ExportScope, kind: str) -> set[str]:
    """Nodes of a kind in the scope's area and/or team, as ``wijkkaart list`` finds them."""
    listed = list_nodes(directory, _COLLECTION_OF[kind], area=scope.area, team=scope.team)
    return {item["id"] for item in listed["items"]}


def _organisation_ids(directory: Directory, ref: str) -> set[str]:
    """An organisation with its branches, activities, people (and their contacts) and
    agreements."""
    store = directory.store
    org = directory.resolve(ref, ORGANISATION)
    ids = {org.id}
    ids |= {e.src for e in store.edges(org.id, types=["PART_OF", "OFFERED_BY", "WORKS_AT",
                                                      "WITH", "LIAISON_FOR"],
                                       direction="in", current=True)}
    activities = [n.id for n in store.get_nodes(ids).values() if n.kind == ACTIVITY]
    ids |= {e.dst for e in store.edges_between(["CONTACT"], activities) if e.current}
    return ids


def scoped_nodes(directory: Directory, scope: ExportScope) -> dict[str, Node]:
    """Every node the scope covers except areas, by id (everything when unscoped)."""
    store = directory.store
    kinds = [k for k in KINDS if k != AREA]
    if scope.area is None and scope.team is None and scope.organisation is None:
        return {n.id: n for kind in kinds for n in store.find_nodes(kind)}
    wanted: set[str] | None = None
    if scope.area is not None or scope.team is not None:
        wanted = {i for kind in kinds for i in _area_ids(directory, scope, kind)}
    if scope.organisation is not None:
        of_org = _organisation_ids(directory, scope.organisation)
        wanted = of_org if wanted is None else wanted & of_org
    found = store.get_nodes(wanted or set())
    return {i: n for i, n in found.items() if n.kind != AREA}


def current_edges(directory: Directory, ids: Iterable[str]) -> list[Edge]:
    """The current relations leaving any of the nodes, ordered by id."""
    edges = directory.store.edges_between(list(EDGE_TYPES), list(ids))
    return sorted((e for e in edges if e.current), key=lambda e: e.id or 0)


def _with_areas(directory: Directory, nodes: dict[str, Node], scope: ExportScope
                ) -> tuple[dict[str, Node], list[Edge]]:
    """The scope's nodes plus the areas they are linked to (and the areas those lie
    within, up to the gemeente), and the current relations among all of them."""
    from directory.analysis import ancestors

    edges = current_edges(directory, nodes)
    areas = {e.dst for e in edges if e.dst not in nodes and e.type in (
        "SERVES", "ACTIVE_IN", "IN_AREA")}
    if scope.area is not None:
        areas.add(directory.resolve(scope.area, AREA).id)
    for code in list(areas):
        areas |= ancestors(directory, code)
    everything = {**nodes, **directory.store.get_nodes(areas)}
    edges += current_edges(directory, areas)
    kept = [e for e in edges if e.src in everything and e.dst in everything]
    return everything, sorted(kept, key=lambda e: e.id or 0)


def public_props(node: Node, include_contacts: bool) -> dict[str, Any]:
    """A node's properties as an export may show them."""
    if node.kind == PERSON and not include_contacts:
        return {k: v for k, v in node.props.items() if k not in PRIVATE_FIELDS}
    return dict(node.props)


def _plain(value: Any) -> Any:
    """A value GraphML/GEXF can hold: lists become comma-separated text."""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return value


def _node_attributes(node: Node, include_contacts: bool) -> dict[str, Any]:
    props = public_props(node, include_contacts)
    if node.kind == AGREEMENT:  # its own "kind" would hide the node kind
        props["agreement_kind"] = props.pop("kind", None)
    attributes = {k: _plain(v) for k, v in sorted(props.items()) if v is not None}
    return {**attributes, "kind": node.kind, "name": node.name, "label": node.name}


def _edge_attributes(edge: Edge, include_contacts: bool) -> dict[str, Any]:
    props = {k: _plain(v) for k, v in sorted(edge.props.items()) if v is not None
             and (include_contacts or k not in _PRIVATE_EDGE_FIELDS)}
    # "relation", not "type": GEXF keeps "type" for an edge's direction
    return {**props, "relation": edge.type, "label": edge.type, "since": edge.since or ""}


def _one_type_per_key(items: Iterable[dict[str, Any]]) -> None:
    """Both formats declare one type per attribute: a key with mixed types becomes text."""
    rows = list(items)
    types: dict[str, set[type]] = {}
    for row in rows:
        for key, value in row.items():
            types.setdefault(key, set()).add(type(value))
    mixed = {key for key, found in types.items() if len(found) > 1}
    for row in rows:
        for key in mixed & row.keys():
            row[key] = str(row[key])


def export_graph(directory: Directory, scope: ExportScope) -> nx.MultiDiGraph[str]:
    """The scope's network as a networkx MultiDiGraph, ready to write."""
    nodes, edges = _with_areas(directory, scoped_nodes(directory, scope), scope)
    node_rows = {i: _node_attributes(nodes[i], scope.include_contacts) for i in sorted(nodes)}
    edge_rows = [_edge_attributes(e, scope.include_contacts) for e in edges]
    _one_type_per_key(node_rows.values())
    _one_type_per_key(edge_rows)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(name="Wijkkaart")
    for node_id, row in node_rows.items():
        graph.add_node(node_id, **row)
    for edge, row in zip(edges, edge_rows, strict=True):
        graph.add_edge(edge.src, edge.dst, key=str(edge.id), **row)
    return graph


def export_graphml(directory: Directory, out: BinaryIO, scope: ExportScope) -> int:
    """Registry exporter for ``--format graphml``; the number of nodes written."""
    graph = export_graph(directory, scope)
    nx.write_graphml(graph, out, encoding="utf-8", prettyprint=True)
    return graph.number_of_nodes()


def export_gexf(directory: Directory, out: BinaryIO, scope: ExportScope) -> int:
    """Registry exporter for ``--format gexf``; the number of nodes written."""
    graph = export_graph(directory, scope)
    for _, _, key, data in graph.edges(keys=True, data=True):
        data["id"] = key  # the store's edge id, as GraphML writes it
    nx.write_gexf(graph, out, encoding="utf-8", prettyprint=True)
    return graph.number_of_nodes()
