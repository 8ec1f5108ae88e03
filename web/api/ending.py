"""What ``DELETE`` means per kind: ending, never erasing history.

* an activity stops: its ``status`` becomes ``gestopt`` (search no longer shows it);
* an organisation, team, person or agreement ends: every current relation gets today as
  its ``until`` and stays visible as history. A person who still holds the relation with
  a partner (``LIAISON_FOR``) is refused: hand over first (``POST /api/handover``); an
  organisation that still offers running activities is refused: stop those first;
* a node that was never linked to anything is removed (the audit log keeps it);
* areas are CBS data and cannot be ended.

All of it in one transaction, after checking the caller's ``version``.
"""

from __future__ import annotations

from typing import Any

from directory.errors import Conflict, ValidationError
from directory.listing import node_summary
from directory.model import ACTIVITY, AREA, ORGANISATION, PERSON, Edge, Node, today_iso
from directory.service import Directory

__all__ = ["end_node", "check_version", "STALE"]

STALE = "iemand anders heeft dit net gewijzigd; laad het opnieuw en probeer het nog eens"


def check_version(node: Node, version: int) -> None:
    """Conflict (409) with the Dutch explanation when ``version`` is not the stored one."""
    if node.version != version:
        raise Conflict(f"{STALE} (jouw versie {version}, nu {node.version})")


def end_node(directory: Directory, node: Node, version: int) -> dict[str, Any]:
    """End a node as its kind allows; its summary plus how many relations were ended."""
    check_version(node, version)
    store = directory.store
    if node.kind == AREA:
        raise ValidationError.field("id", "een gebied komt uit de CBS-gegevens en kan niet "
                                          "beëindigd worden")
    if node.kind == ACTIVITY:
        if node.props.get("status") == "gestopt":
            raise Conflict(f"{node.name} is al gestopt")
        stopped = directory.update(node.id, {"status": "gestopt"}, version=version)
        return node_summary(stopped) | {"ended_relations": 0, "deleted": False}
    every = store.edges(node.id)
    if not every:  # never linked to anything: no history but its audit entries, which stay
        store.delete_node(node.id, version=version, actor=directory.actor)
        return node_summary(node) | {"ended_relations": 0, "deleted": True}
    current = [e for e in every if e.current]
    _refuse_orphans(directory, node, current)
    if not current:
        raise Conflict(f"{node.name} heeft geen lopende relaties meer; er is niets te beëindigen")
    today = today_iso()
    with store.transaction(directory.actor):
        for edge in current:
            edge.until = max(today, edge.since or today)
        store.update_edges(current, actor=directory.actor)
    return node_summary(node) | {"ended_relations": len(current), "deleted": False}


def _refuse_orphans(directory: Directory, node: Node, current: list[Edge]) -> None:
    if node.kind == PERSON and any(e.type == "LIAISON_FOR" and e.src == node.id
                                   for e in current):
        raise Conflict(f"{node.name} is nog relatiebeheerder van een ketenpartner; draag de "
                       "relaties eerst over (overdracht)")
    if node.kind == ORGANISATION:
        offered = [e.src for e in current if e.type == "OFFERED_BY" and e.dst == node.id]
        running = [a for a in directory.store.get_nodes(offered).values()
                   if a.props.get("status", "actief") == "actief"]
        if running:
            raise Conflict(f"{node.name} biedt nog {len(running)} lopende activiteit(en) aan; "
                           "stop die eerst")
