"""Relations edited on a Beheer form: the current other end of each ``Link``, the choices a
select offers, and the planned change (end the shown relation, start the chosen one).

A changed relation is ended, never deleted, so the history stays visible; other current
relations of the same type (an organisation active in several wijken) are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from directory.errors import Conflict, Detail, NotFound, ValidationError
from directory.model import AREA, Edge, Node, today_iso
from directory.service import Directory
from web.auth import Account, allows
from web.pages.beheer_forms import KindForm, Link

__all__ = ["Change", "current_links", "link_choices", "plan_links", "apply_links",
           "editable", "names_of"]

MAX_CHOICES = 2000


@dataclass
class Change:
    """What saving a form does to one link."""

    link: Link
    end: Edge | None
    start: str | None  # id of the new other end


def editable(link: Link, form: KindForm, user: Account | None) -> bool:
    return allows(user, link.role or form.write_role)


def _edges(directory: Directory, node_id: str, link: Link) -> list[Edge]:
    edges = directory.store.edges(node_id, types=[link.type], direction=link.direction,
                                  current=True)
    return sorted(edges, key=lambda e: (e.since or "", e.id or 0))


def _other(edge: Edge, link: Link) -> str:
    return edge.dst if link.direction == "out" else edge.src


def current_links(directory: Directory, form: KindForm, node_id: str | None
                  ) -> tuple[dict[str, str], dict[str, list[Node]]]:
    """Per link: the id the form shows (the oldest current relation) and every current
    other end (to mention the rest)."""
    shown: dict[str, str] = {}
    everyone: dict[str, list[Node]] = {}
    for link in form.links:
        edges = _edges(directory, node_id, link) if node_id else []
        others = directory.store.get_nodes(_other(e, link) for e in edges)
        everyone[link.name] = [others[_other(e, link)] for e in edges if _other(e, link) in others]
        shown[link.name] = _other(edges[0], link) if edges else ""
    return shown, everyone


def link_choices(directory: Directory, form: KindForm) -> dict[str, list[tuple[str, str]]]:
    """The options of each select link: (id, name), by name."""
    choices: dict[str, list[tuple[str, str]]] = {}
    for link in form.links:
        if link.widget == "select":
            nodes = directory.store.find_nodes(link.target, limit=MAX_CHOICES)
            choices[link.name] = [(n.id, n.name) for n in nodes]
    return choices


def _target(directory: Directory, link: Link, ref: str) -> Node:
    if link.target == AREA:
        return directory.resolve(ref, AREA)
    node = directory.store.get_node(ref)
    if node.kind != link.target:
        raise NotFound(ref)
    return node


def plan_links(directory: Directory, form: KindForm, node_id: str | None,
               given: dict[str, str], user: Account | None
               ) -> tuple[list[Change], list[Detail]]:
    """The changes the submitted link values ask for, or what is wrong with them."""
    changes: list[Change] = []
    problems: list[Detail] = []
    for link in form.links:
        if not editable(link, form, user):
            continue
        edges = _edges(directory, node_id, link) if node_id else []
        shown = edges[0] if edges else None
        wanted = given.get(link.name, "").strip()
        if wanted == (_other(shown, link) if shown else ""):
            continue
        target_id = None
        if wanted:
            try:
                target_id = _target(directory, link, wanted).id
            except NotFound:
                problems.append(Detail(link.name, f"'{wanted}' is niet gevonden"))
                continue
            except Conflict as exc:
                problems.append(Detail(link.name, str(exc)))
                continue
        if shown is not None and target_id == _other(shown, link):
            continue  # an area typed by name that is the current one
        changes.append(Change(link, shown, target_id))
    return changes, problems


def apply_links(directory: Directory, node_id: str, changes: list[Change]) -> None:
    """End and start the relations (call inside the save's transaction)."""
    today = today_iso()
    ended = []
    for change in changes:
        if change.end is not None:
            change.end.until = max(today, change.end.since or today)
            ended.append(change.end)
    if ended:
        directory.store.update_edges(ended, actor=directory.actor)
    for change in changes:
        if change.start is None:
            continue
        link = change.link
        src, dst = (node_id, change.start) if link.direction == "out" else (change.start,
                                                                              node_id)
        try:
            directory.relate(link.type, src, dst)
        except ValidationError as exc:
            raise ValidationError("", [Detail(link.name, d.message) for d in exc.details]
                                  ) from exc


def names_of(nodes: dict[str, list[Node]]) -> dict[str, Any]:
    return {name: [n.name for n in found] for name, found in nodes.items()}
