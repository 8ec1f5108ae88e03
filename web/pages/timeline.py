"""De tijdlijn: the history of a node's relations, newest first, with who held a relation
before or after (a handover ends one relation and starts the same relation for a colleague
on the same day)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from directory.model import Edge, Node
from directory.service import Directory
from directory.store import Direction

__all__ = ["timeline", "LABELS"]

# (relation type, the node's side) → Dutch label put before the other end's name.
LABELS: dict[tuple[str, str], str] = {
    ("WORKS_AT", "src"): "Werkt bij", ("WORKS_AT", "dst"): "Contactpersoon",
    ("EMPLOYED_BY", "src"): "In dienst bij", ("EMPLOYED_BY", "dst"): "In dienst",
    ("MEMBER_OF", "src"): "Teamlid van", ("MEMBER_OF", "dst"): "Teamlid",
    ("LIAISON_FOR", "src"): "Relatiebeheer voor", ("LIAISON_FOR", "dst"): "Relatiebeheerder",
    ("KNOWS", "src"): "Warm contact met", ("KNOWS", "dst"): "Warm contact van",
    ("SERVES", "src"): "Werkt in", ("SERVES", "dst"): "Team",
    ("ACTIVE_IN", "src"): "Actief in", ("ACTIVE_IN", "dst"): "Actieve partner",
    ("PART_OF", "src"): "Onderdeel van", ("PART_OF", "dst"): "Heeft als onderdeel",
    ("OFFERED_BY", "src"): "Aangeboden door", ("OFFERED_BY", "dst"): "Activiteit",
    ("IN_AREA", "src"): "In gebied", ("IN_AREA", "dst"): "Activiteit",
    ("CONTACT", "src"): "Contactpersoon", ("CONTACT", "dst"): "Contactpersoon voor",
    ("WITHIN", "src"): "Ligt in", ("WITHIN", "dst"): "Omvat",
    ("WITH", "src"): "Afspraak met", ("WITH", "dst"): "Samenwerkingsafspraak",
    ("AGREED", "src"): "Samenwerkingsafspraak", ("AGREED", "dst"): "Afgesproken door",
}
# Which end holds a relation (the end a handover replaces); the other end stays.
HOLDER_SIDES: dict[str, tuple[str, ...]] = {"CONTACT": ("dst",), "KNOWS": ("src", "dst")}
LINKS = {"Organisation": "/organisaties/", "Activity": "/activiteiten/", "Person": "/personen/",
         "Area": "/wijk/"}


def timeline(directory: Directory, node_id: str, *, skip: tuple[str, ...] = ("WITHIN",)
             ) -> list[dict[str, Any]]:
    """Every relation of the node (current and ended), newest first: the label, the other
    end, since/until, and the colleague it was handed over to or taken over from."""
    store = directory.store
    edges = [e for e in store.edges(node_id) if e.type not in skip]
    ends = {e.dst if e.src == node_id else e.src for e in edges}
    nearby = _edges_at(directory, edges, ends)
    nodes = store.get_nodes(ends | {n for e in nearby for n in (e.src, e.dst)})
    entries = []
    for edge in edges:
        side = "src" if edge.src == node_id else "dst"
        other = nodes.get(edge.dst if side == "src" else edge.src)
        if other is None:
            continue
        entries.append({
            "label": LABELS.get((edge.type, side), edge.type), "type": edge.type,
            "other": _ref(other), "since": edge.since, "until": edge.until,
            "current": edge.current,
            "handed_to": _names(nodes, _successors(edge, nearby, after=True)),
            "taken_from": _names(nodes, _successors(edge, nearby, after=False)),
        })
    entries.sort(key=lambda e: (e["until"] or e["since"] or "", e["current"],
                                e["since"] or ""), reverse=True)
    return entries


def _edges_at(directory: Directory, edges: list[Edge], ends: set[str]) -> list[Edge]:
    """The node's edges plus those of the same types at the other ends (where successors and
    predecessors are found)."""
    types = sorted({e.type for e in edges})
    if not types or not ends:
        return list(edges)
    found = {e.id: e for e in edges}
    directions: tuple[Direction, ...] = ("out", "in")
    for direction in directions:
        for e in directory.store.edges_between(types, ends, direction):
            found.setdefault(e.id, e)
    return list(found.values())


def _successors(edge: Edge, nearby: list[Edge], *, after: bool) -> list[str]:
    """Holders of the same relation that took over when ``edge`` ended (``after``), or that
    ``edge``'s holder took it over from."""
    day = edge.until if after else edge.since
    if not day:
        return []
    holders = []
    for side in HOLDER_SIDES.get(edge.type, ("src",)):
        fixed = "dst" if side == "src" else "src"
        for other in nearby:
            if (other.type != edge.type or other.id == edge.id
                    or getattr(other, fixed) != getattr(edge, fixed)
                    or getattr(other, side) == getattr(edge, side)):
                continue
            if (other.since if after else other.until) == day:
                holders.append(getattr(other, side))
    return holders


def _names(nodes: dict[str, Node], ids: list[str]) -> list[dict[str, str]]:
    return [_ref(nodes[i]) for i in dict.fromkeys(ids) if i in nodes]


def _ref(node: Node) -> dict[str, str]:
    link = LINKS.get(node.kind)
    return {**node.ref(), "href": f"{link}{quote(node.id, safe='')}" if link else ""}
