"""People: contact cards with warm contacts, and the AVG rights (export and erasure).

A person's phone and e-mail appear only when the caller may see them.
"""

from __future__ import annotations

from typing import Any

from directory.model import AGREEMENT, PERSON, TEAM, Node, now_iso, today_iso
from directory.service import Directory
from directory.validation import display_phone

PERSONAL_FIELDS = ("name", "job_title", "email", "phone", "last_verified_on", "note")
ERASED_NAME = "verwijderde persoon"


def contact_card(directory: Directory, person: Node, show_details: bool,
                 colleagues: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A contact person as a worker needs them: who, how to reach, which colleague knows them
    (``colleagues`` when already looked up with ``known_by_many``)."""
    p = person.props
    card: dict[str, Any] = {"id": person.id, "name": person.name, "job_title": p.get("job_title")}
    if show_details:
        card["phone"] = display_phone(p["phone"]) if p.get("phone") else None
        card["email"] = p.get("email")
    card["known_by"] = colleagues if colleagues is not None else known_by(directory, person.id)
    return card


def known_by(directory: Directory, person_id: str) -> list[dict[str, Any]]:
    """Team members with a current warm contact (KNOWS) with this person, and their team."""
    return known_by_many(directory, [person_id])[person_id]


def known_by_many(directory: Directory, person_ids: list[str]
                  ) -> dict[str, list[dict[str, Any]]]:
    """``known_by`` for many people at once, in a fixed number of store calls."""
    store = directory.store
    wanted = set(person_ids)
    knowing, people = store.neighbours(sorted(wanted), ["KNOWS"], "both")
    knows = [e for e in knowing if e.current]
    pairs = {(e.src, e.dst) if e.src in wanted else (e.dst, e.src) for e in knows}
    pairs |= {(e.dst, e.src) for e in knows if e.dst in wanted}
    others = {other for _, other in pairs}
    memberships, in_teams = (store.neighbours(sorted(others), ["MEMBER_OF"], "out")
                             if others else ([], {}))
    teams = {e.src: e.dst for e in memberships if e.current}
    nodes = {**people, **in_teams}
    result: dict[str, list[dict[str, Any]]] = {person: [] for person in person_ids}
    for person, other in sorted(pairs):
        if other == person or other not in teams or other not in nodes:
            continue
        team = nodes.get(teams[other])
        result[person].append({"id": other, "name": nodes[other].name,
                               "team": team.name if team else None})
    return result


def export_person(directory: Directory, ref: str) -> dict[str, Any]:
    """Everything the directory holds about one person (AVG right of access)."""
    person = directory.resolve(ref, PERSON)
    store = directory.store
    edges = store.edges(person.id)
    others = store.get_nodes({e.src if e.dst == person.id else e.dst for e in edges})
    return {
        "exported_at": now_iso(),
        "person": person.as_dict(),
        "relations": [
            {"type": e.type, "direction": "out" if e.src == person.id else "in",
             "other": others[e.dst if e.src == person.id else e.src].ref(),
             "props": e.props, "since": e.since, "until": e.until}
            for e in edges if (e.dst if e.src == person.id else e.src) in others],
        "audit": [entry.as_dict() for entry in store.audit(person.id, limit=-1, involving=True)],
    }


def erase_person(directory: Directory, ref: str) -> Node:
    """Remove a person's personal data; relations stay as anonymised, ended history."""
    person = directory.resolve(ref, PERSON)
    store = directory.store
    today = today_iso()
    with store.transaction(directory.actor):
        for edge in store.edges(person.id):
            changed = False
            if edge.type == "KNOWS" and edge.props.get("note"):
                edge.props = {k: v for k, v in edge.props.items() if k != "note"}
                changed = True
            if edge.until is None or edge.until > today:
                # nobody can reach an erased person: the relation becomes history
                edge.until = max(today, edge.since or today)
                changed = True
            if changed:
                store.update_edge(edge, actor=directory.actor)
        person.props = {"name": ERASED_NAME, "erased_on": now_iso()[:10]}
        erased = store.put_node(person, actor=directory.actor)
        store.erase_audit_values(person.id, PERSONAL_FIELDS, actor=directory.actor)
    return erased


def roles_of(directory: Directory, person_id: str) -> dict[str, list[Node]]:
    """The teams a person is a current member of, and the agreements of those teams."""
    store = directory.store
    member = store.edges(person_id, types=["MEMBER_OF"], direction="out", current=True)
    teams = [n for n in store.get_nodes(e.dst for e in member).values() if n.kind == TEAM]
    agreed = store.edges_between(["AGREED"], [t.id for t in teams], direction="out")
    agreements = [n for n in store.get_nodes(e.dst for e in agreed if e.current).values()
                  if n.kind == AGREEMENT]
    return {"teams": teams, "agreements": agreements}
