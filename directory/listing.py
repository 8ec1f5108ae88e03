"""List and show: the plain-data views of nodes behind ``wijkkaart list`` and ``show``."""

from __future__ import annotations

from typing import Any

from directory.errors import ValidationError
from directory.model import (
    ACTIVITY,
    AGREEMENT,
    AREA,
    COLLECTIONS,
    ORGANISATION,
    PERSON,
    TEAM,
    Node,
)
from directory.service import Directory

__all__ = ["list_nodes", "show_node", "node_summary"]

PRIVATE_FIELDS = ("phone", "email")


def node_summary(node: Node, show_private: bool = True) -> dict[str, Any]:
    """A node as JSON: id, kind, name, version and its properties (an agreement's own
    ``kind`` property is shown as ``agreement_kind``, so it never hides the node kind)."""
    props = {("agreement_kind" if k == "kind" else k): v for k, v in node.props.items()
             if show_private or node.kind != PERSON or k not in PRIVATE_FIELDS}
    return {"id": node.id, "kind": node.kind, "name": node.name, **props,
            "version": node.version, "updated_at": node.updated_at,
            "source": node.source, "source_id": node.source_id}


def list_nodes(directory: Directory, collection: str, *, area: str | None = None,
               team: str | None = None, limit: int | None = None, offset: int = 0,
               show_private: bool = True) -> dict[str, Any]:
    """``{"items", "total"}`` for a collection, optionally within an area or of a team."""
    if collection not in COLLECTIONS:
        raise ValidationError.field(
            "kind", f"onbekende soort '{collection}'; kies uit {', '.join(COLLECTIONS)}")
    kind = COLLECTIONS[collection]
    if area is None and team is None:
        total = directory.store.count_nodes(kind)
        nodes = directory.store.find_nodes(kind, limit=limit, offset=offset)
    else:
        wanted = _scoped_ids(directory, kind, area, team)
        found = sorted(directory.store.get_nodes(wanted).values(),
                       key=lambda n: (n.name.lower(), n.id))
        total = len(found)
        nodes = found[offset:offset + limit if limit is not None else None]
    return {"items": [node_summary(n, show_private) for n in nodes], "total": total}


def _scoped_ids(directory: Directory, kind: str, area: str | None, team: str | None) -> set[str]:
    store = directory.store
    scopes: list[set[str]] = []
    if area is not None:
        from directory.analysis import ancestors

        root, codes = directory.area_closure(area)
        around = codes | ancestors(directory, root.id)
        scopes.append(_in_areas(directory, kind, codes, around))
    if team is not None:
        t = directory.resolve(team, TEAM)
        members = {e.src for e in store.edges(t.id, types=["MEMBER_OF"], direction="in",
                                              current=True)}
        served = {e.dst for e in store.edges(t.id, types=["SERVES"], direction="out",
                                             current=True)}
        by_kind = {
            PERSON: members,
            ORGANISATION: {e.dst for e in store.edges_between(["LIAISON_FOR"], members)
                           if e.current},
            TEAM: {t.id},
            AREA: served,
            AGREEMENT: {e.dst for e in store.edges(t.id, types=["AGREED"], current=True)},
            ACTIVITY: _in_areas(directory, ACTIVITY, served, served),
        }
        scopes.append(by_kind[kind])
    return set.intersection(*scopes)


def _in_areas(directory: Directory, kind: str, codes: set[str], around: set[str]) -> set[str]:
    store = directory.store
    if kind == AREA:
        return codes
    if kind == ACTIVITY:
        return directory.activities_in(codes)
    if kind == TEAM:
        return {e.src for e in store.edges_between(["SERVES"], around, "in") if e.current}
    orgs = directory.organisations_in(around)
    if kind == ORGANISATION:
        return orgs
    if kind == AGREEMENT:
        return {e.src for e in store.edges_between(["WITH"], orgs, "in") if e.current}
    teams = _in_areas(directory, TEAM, codes, around)
    people = {e.src for e in store.edges_between(["WORKS_AT"], orgs, "in") if e.current}
    return people | {e.src for e in store.edges_between(["MEMBER_OF"], teams, "in") if e.current}


def show_node(directory: Directory, ref: str, show_private: bool = True) -> dict[str, Any]:
    """One node with its current and past relations (newest first within each type)."""
    node = directory.resolve(ref)
    edges = directory.store.edges(node.id)
    others = directory.store.get_nodes(e.dst if e.src == node.id else e.src for e in edges)
    relations = []
    for e in edges:
        other_id = e.dst if e.src == node.id else e.src
        other = others.get(other_id)
        relations.append({
            "id": e.id, "type": e.type, "direction": "out" if e.src == node.id else "in",
            "other": other.ref() if other else {"id": other_id, "kind": "", "name": ""},
            "since": e.since, "until": e.until, "current": e.current, **e.props})
    relations.sort(key=lambda r: (r["type"], not r["current"], r["other"]["name"].lower()))
    return {**node_summary(node, show_private), "relations": relations}

