"""What the wijkpagina adds for kwartiermakers: the teams serving the area with their phase
and checklist, the partners and contact persons the quick forms link to, and the item just
added."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from directory.checklist import checklist_view
from directory.errors import NotFound
from directory.model import ACTIVITY, ORGANISATION, PERSON, TEAM
from directory.service import Directory
from directory.vocabularies import PARTNER_TYPES
from web.pages.timeline import LINKS

__all__ = ["wijk_extras", "team_panels"]


def team_panels(directory: Directory, analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """The serving teams (by name) with version and checklist per phase."""
    ids = [t["id"] for t in analysis["teams"]]
    nodes = directory.store.get_nodes(ids)
    panels = []
    for team in sorted(nodes.values(), key=lambda n: n.name.lower()):
        if team.kind != TEAM:
            continue
        phase = team.props.get("phase")
        panels.append({"id": team.id, "name": team.name, "phase": phase,
                       "version": team.version,
                       "checklist": checklist_view(phase, team.props.get("checklist"))})
    return panels


def new_item(directory: Directory, node_id: str | None) -> dict[str, str] | None:
    """The node just added through a quick form, to confirm it on the page."""
    if not node_id:
        return None
    try:
        node = directory.store.get_node(node_id)
    except NotFound:
        return None
    if node.kind not in (ORGANISATION, PERSON, ACTIVITY):
        return None
    return {**node.ref(), "href": LINKS[node.kind] + quote(node.id, safe="")}


def wijk_extras(directory: Directory, analysis: dict[str, Any],
                new: str | None = None) -> dict[str, Any]:
    """Context for the team, checklist and quick-form parts of ``wijk.html``."""
    contacts = {p["id"]: p for p in analysis["people"] if p["role"] == "contactpersoon"}
    return {
        "team_panels": team_panels(directory, analysis),
        "partner_options": analysis["partners"],
        "contacts": sorted(contacts.values(), key=lambda p: p["name"].lower()),
        "new_item": new_item(directory, new), "partner_types": list(PARTNER_TYPES),
        "form_errors": {}, "form_values": {}, "checklist_conflict": {},
    }
