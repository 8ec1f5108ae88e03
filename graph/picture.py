"""The network picture's content: teams, their members, ketenpartners and contact persons
with the relations between them, chosen from the store's projection by area and team.

A picture beyond ``LIMIT`` nodes is made smaller in two steps, each told in a Dutch note:
contact persons are folded into their organisation, then the least connected partners are
left out. ``graph.picture_html`` turns a :class:`Picture` into vis-network data and HTML.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx

from directory.analysis import ancestors
from directory.model import ORGANISATION, TEAM
from directory.service import Directory

__all__ = ["LIMIT", "RELATIONS", "GROUPS", "Picture", "build_picture", "shrink", "kinds_of"]

LIMIT = 1500
RELATIONS = ("MEMBER_OF", "LIAISON_FOR", "WORKS_AT", "KNOWS", "SERVES")
# node group → its Dutch name in the legend, in the order the legend shows them
GROUPS = {
    "team": "team",
    "teamlid": "teamlid",
    "contactpersoon": "contactpersoon bij een ketenpartner",
    "partner": "ketenpartner met twee of meer relatiebeheerders",
    "partner_een": "ketenpartner waarvan de relatie aan één persoon hangt",
    "partner_geen": "ketenpartner zonder relatiebeheerder",
    "gebied": "werkgebied van een team",
}
# the order in which groups are kept when a picture has to be cut
KEEP_ORDER = ("team", "gebied", "teamlid", "partner_geen", "partner_een", "partner",
              "contactpersoon")

Typed = list[tuple[str, str, str]]  # (source, target, relation type) of each current edge


@dataclass
class Picture:
    """Nodes (``id``, ``name``, ``group``, ``title``) and edges (``src``, ``dst``, ``type``)
    of the picture, how many nodes the full network has, and the notes on what was left
    out or folded."""

    title: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, str]] = field(default_factory=list)
    total: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class _Scope:
    teams: set[str]
    partners: set[str]
    title: str


def build_picture(directory: Directory, *, area: str | None = None, team: str | None = None,
                  limit: int = LIMIT) -> Picture:
    """The network of the teams and ketenpartners in scope (all, those of an area, or
    those of a team), made smaller with a note when it has more than ``limit`` nodes.
    Unfiltered it reads the store's projection; filtered only the scope's neighbourhood."""
    edges = _Edges(directory, whole=not (area or team))
    partners = _ketenpartners(directory)
    scope = _scope(directory, edges, partners, area, team)
    return shrink(_picture(edges, partners, scope), limit)


class _Edges:
    """Current edges of the picture's relation types looked up by one end, from the whole
    projection or from the store; every edge looked up is kept for drawing."""

    def __init__(self, directory: Directory, *, whole: bool) -> None:
        self.store = directory.store
        self.seen: dict[tuple[str, str, str], None] = {}
        self.names: dict[str, str] = {}
        self.by_type: dict[str, Typed] | None = None
        if whole:
            graph = self.store.projection(list(RELATIONS))
            self.by_type = defaultdict(list)
            for u, v, t in _typed(graph):
                self.by_type[t].append((u, v, t))
            attributes: dict[str, dict[str, Any]] = dict(graph.nodes)
            self.names = {n: str(a.get("name") or n) for n, a in attributes.items()}

    def find(self, type_: str, ends: set[str], direction: Literal["in", "out"]) -> Typed:
        """The edges of a type that reach (``in``) or leave (``out``) one of ``ends``."""
        if self.by_type is not None:
            index = 1 if direction == "in" else 0
            found = [e for e in self.by_type.get(type_, []) if e[index] in ends]
        else:
            found = [(e.src, e.dst, e.type) for e in
                     self.store.edges_between([type_], sorted(ends), direction)
                     if e.current] if ends else []
        self.seen.update(dict.fromkeys(found))
        return found

    def sources(self, type_: str, targets: set[str]) -> set[str]:
        return {u for u, _, _ in self.find(type_, targets, "in")}

    def targets(self, type_: str, sources: set[str]) -> set[str]:
        return {v for _, v, _ in self.find(type_, sources, "out")}

    def names_of(self, ids: set[str]) -> dict[str, str]:
        missing = [i for i in ids if i not in self.names]
        if missing:
            self.names.update((n.id, n.name) for n in self.store.get_nodes(missing).values())
        return {i: self.names.get(i) or i for i in ids}


def _typed(graph: nx.MultiDiGraph[str]) -> Typed:
    found: list[tuple[str, str, Any]] = list(graph.edges(data="type"))
    return [(u, v, str(t)) for u, v, t in found]


# -- scope ------------------------------------------------------------------------------------

def _ketenpartners(directory: Directory) -> dict[str, dict[str, Any]]:
    """Id → name and type of every organisation that is a ketenpartner."""
    values = directory.store.node_values(ORGANISATION, ("role", "name", "partner_type"))
    return {org_id: v for org_id, v in values.items()
            if v.get("role", "ketenpartner") == "ketenpartner"}


def _scope(directory: Directory, edges: _Edges, partners: Mapping[str, Any],
           area: str | None, team: str | None) -> _Scope:
    teams = {n.id for n in directory.store.find_nodes(TEAM)}
    in_scope = set(partners)
    title = "Netwerk"
    if area:
        node, codes = directory.area_closure(area)
        teams = edges.sources("SERVES", codes | ancestors(directory, node.id))
        in_scope &= directory.organisations_in(codes | _parents(directory, codes))
        title = f"Netwerk {node.name}"
    if team:
        chosen = directory.resolve(team, TEAM)
        teams = {chosen.id}
        if not area:
            in_scope &= _team_partners(directory, edges, chosen.id)
        title = f"{title} · {chosen.name}" if area else f"Netwerk {chosen.name}"
    return _Scope(teams, in_scope, title)


def _parents(directory: Directory, codes: set[str]) -> set[str]:
    """The areas the given areas lie directly within (a wijk's gemeente)."""
    return {e.dst for e in directory.store.edges_between(["WITHIN"], codes, "out")
            if e.current}


def _team_partners(directory: Directory, edges: _Edges, team_id: str) -> set[str]:
    """Partners working in the team's areas, and those its members hold or know."""
    codes: set[str] = set()
    for code in sorted(edges.targets("SERVES", {team_id})):
        codes |= directory.area_closure(code)[1]
    found = directory.organisations_in(codes | _parents(directory, codes)) if codes else set()
    members = edges.sources("MEMBER_OF", {team_id})
    known = edges.targets("KNOWS", members)
    return found | edges.targets("LIAISON_FOR", members) | edges.targets("WORKS_AT", known)


# -- the picture ------------------------------------------------------------------------------

def _picture(edges: _Edges, partners: Mapping[str, Mapping[str, Any]],
             scope: _Scope) -> Picture:
    teams = scope.teams
    members = edges.sources("MEMBER_OF", teams)
    held = edges.find("LIAISON_FOR", scope.partners, "in")
    liaisons = {u for u, _, _ in held}
    in_a_team = {u for u, _, _ in edges.find("MEMBER_OF", liaisons, "out")}
    contacts = edges.sources("WORKS_AT", scope.partners) - members - liaisons
    areas = edges.targets("SERVES", teams)
    edges.find("KNOWS", members | liaisons | contacts, "out")
    names = edges.names_of(teams | areas | members | liaisons | contacts)
    holders = _holders(held, in_a_team)
    nodes: dict[str, dict[str, Any]] = {}
    for node_id in sorted(teams):
        nodes[node_id] = _node(names, node_id, "team", "team")
    for node_id in sorted(areas):
        nodes[node_id] = _node(names, node_id, "gebied", "werkgebied")
    for node_id in sorted((members | liaisons) - set(nodes)):
        nodes[node_id] = _node(names, node_id, "teamlid", "teamlid")
    for node_id in sorted(scope.partners):
        nodes[node_id] = _partner(node_id, partners[node_id], holders.get(node_id, 0))
    for node_id in sorted(contacts - set(nodes)):
        nodes[node_id] = _node(names, node_id, "contactpersoon", "contactpersoon")
    drawn = [{"src": u, "dst": v, "type": t} for u, v, t in edges.seen
             if u in nodes and v in nodes]
    drawn.sort(key=lambda e: (e["type"], e["src"], e["dst"]))
    return Picture(title=scope.title, nodes=list(nodes.values()), edges=drawn,
                   total=len(nodes))


def _holders(held: Typed, members: set[str]) -> dict[str, int]:
    """Partner → how many current team members hold its relation (as coverage counts)."""
    by_partner: dict[str, set[str]] = defaultdict(set)
    for u, v, _ in held:
        if u in members:
            by_partner[v].add(u)
    return {partner: len(people) for partner, people in by_partner.items()}


def _node(names: Mapping[str, str], node_id: str, group: str, what: str) -> dict[str, Any]:
    name = names.get(node_id, node_id)
    return {"id": node_id, "name": name, "group": group, "title": f"{what}: {name}"}


def _partner(node_id: str, values: Mapping[str, Any], holders: int) -> dict[str, Any]:
    name = str(values.get("name") or node_id)
    group = "partner" if holders >= 2 else "partner_een" if holders == 1 else "partner_geen"
    held = {0: "geen relatiebeheerder", 1: "één relatiebeheerder"}.get(
        holders, f"{holders} relatiebeheerders")
    kind = str(values.get("partner_type") or "overig").replace("_", " ")
    return {"id": node_id, "name": name, "group": group,
            "title": f"ketenpartner ({kind}): {name}; {held}"}


# -- making it smaller ------------------------------------------------------------------------

def shrink(picture: Picture, limit: int = LIMIT) -> Picture:
    """The picture with at most ``limit`` nodes: contact persons folded into their
    organisation first, then the nodes least worth keeping left out, each with a note."""
    if len(picture.nodes) <= limit:
        return picture
    total = picture.total
    picture = _fold_contacts(picture)
    picture.notes.append(
        f"Dit netwerk telt {_dutch(total)} knopen, te veel voor één overzichtelijke plaat. "
        "Contactpersonen zijn samengevoegd met hun organisatie.")
    if len(picture.nodes) > limit:
        picture = _cut(picture, limit)
        picture.notes.append(
            f"Alleen de eerste {_dutch(limit)} knopen worden getoond: teams, werkgebieden, "
            "teamleden en de ketenpartners met de meeste risico's en verbindingen. Kies een "
            "gemeente, wijk of team om alles te zien.")
    else:
        picture.notes.append("Kies een gemeente, wijk of team om ook de contactpersonen te "
                             "zien.")
    picture.total = total
    return picture


def _fold_contacts(picture: Picture) -> Picture:
    """Contact persons replaced by the organisation they work at: their KNOWS relations
    point at it, and its label counts them."""
    contacts = {n["id"] for n in picture.nodes if n["group"] == "contactpersoon"}
    works_at: dict[str, str] = {}
    for e in picture.edges:
        if e["type"] == "WORKS_AT" and e["src"] in contacts:
            works_at.setdefault(e["src"], e["dst"])
    counted: dict[str, int] = defaultdict(int)
    for org in works_at.values():
        counted[org] += 1
    nodes = [_with_contacts(n, counted.get(n["id"], 0)) for n in picture.nodes
             if n["id"] not in contacts]
    edges: dict[tuple[str, str, str], dict[str, str]] = {}
    for e in picture.edges:
        src, dst = works_at.get(e["src"], e["src"]), works_at.get(e["dst"], e["dst"])
        if e["type"] == "WORKS_AT" or src in contacts or dst in contacts or src == dst:
            continue
        edges.setdefault((src, dst, e["type"]), {"src": src, "dst": dst, "type": e["type"]})
    return Picture(picture.title, nodes, list(edges.values()), picture.total,
                   list(picture.notes))


def _with_contacts(node: dict[str, Any], count: int) -> dict[str, Any]:
    if not count:
        return node
    more = "1 contactpersoon" if count == 1 else f"{count} contactpersonen"
    return {**node, "name": f"{node['name']} (+{more})", "title": f"{node['title']}; {more}"}


def _cut(picture: Picture, limit: int) -> Picture:
    """The first ``limit`` nodes by group (``KEEP_ORDER``), then most connected first."""
    degree: dict[str, int] = defaultdict(int)
    for e in picture.edges:
        degree[e["src"]] += 1
        degree[e["dst"]] += 1
    rank = {group: i for i, group in enumerate(KEEP_ORDER)}
    ordered = sorted(picture.nodes, key=lambda n: (rank.get(n["group"], len(rank)),
                                                   -degree[n["id"]], n["name"].lower(), n["id"]))
    kept = ordered[:limit]
    ids = {n["id"] for n in kept}
    edges = [e for e in picture.edges if e["src"] in ids and e["dst"] in ids]
    return Picture(picture.title, kept, edges, picture.total, list(picture.notes))


def _dutch(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def kinds_of(nodes: Iterable[dict[str, Any]]) -> dict[str, int]:
    """How many nodes of each group, in legend order."""
    counts: dict[str, int] = defaultdict(int)
    for node in nodes:
        counts[node["group"]] += 1
    return {group: counts[group] for group in GROUPS if counts[group]}

