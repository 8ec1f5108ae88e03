"""Loading the demo region into a store: validated like any other input, in one transaction."""

from __future__ import annotations

from directory.errors import ValidationError
from directory.model import Node
from directory.records import clean_props
from directory.service import Directory

__all__ = ["load_demo"]


def load_demo(directory: Directory) -> dict[str, int]:
    """Initialise the store and add the demo region once; returns what was added."""
    from directory.demo import demo_records

    added_areas = directory.init()
    if directory.store.find_nodes(where={"source": "demo"}, limit=1):
        return {"areas": added_areas, "nodes": 0, "edges": 0}
    nodes, edges = demo_records()
    checked: list[Node] = []
    for node in nodes:
        try:
            props = clean_props(node.kind, node.props)
        except ValidationError as exc:  # a bug in the demo data, not a user error
            raise AssertionError(f"demo {node.id}: {exc}") from exc
        checked.append(Node(node.id, node.kind, props, source=node.source,
                            source_id=node.source_id))
    by_id = {n.id: n for n in checked}
    by_id.update(directory.store.get_nodes({e.src for e in edges} | {e.dst for e in edges}
                                           - set(by_id)))
    checked_edges = [directory.check_edge(edge, by_id) for edge in edges]
    with directory.store.transaction(directory.actor):
        directory.store.put_nodes(checked, actor=directory.actor)
        directory.store.add_edges(checked_edges, actor=directory.actor)
    return {"areas": added_areas, "nodes": len(checked), "edges": len(checked_edges)}
