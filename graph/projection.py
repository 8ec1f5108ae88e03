"""The networkx projection of a store: current relations as a directed multigraph."""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

from directory.store import GraphStore

__all__ = ["project"]


def project(store: GraphStore, types: Sequence[str] | None = None) -> nx.MultiDiGraph[str]:
    """A MultiDiGraph of the current edges of the given types; nodes carry ``kind``/``name``."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    edges = store.edges(types=types, current=True)
    ids = {edge.src for edge in edges} | {edge.dst for edge in edges}
    for node in store.get_nodes(ids).values():
        graph.add_node(node.id, kind=node.kind, name=node.name)
    for edge in edges:
        graph.add_edge(edge.src, edge.dst, key=edge.id, type=edge.type, **edge.props)
    return graph
