"""Overdracht: move a leaving team member's relations to a colleague, and the handover document.

Relations are never moved in place: the old one ends today and a new one
starts, so history shows who held the relation when.
"""

from __future__ import annotations

from typing import Any

from directory.errors import ValidationError
from directory.model import PERSON, Edge, Node, today_iso
from directory.people import roles_of
from directory.service import Directory
from directory.vocabularies import AGREEMENT_KINDS, TEAM_ROLES

__all__ = ["handover", "handover_document", "handover_markdown", "MOVED_TYPES"]

# (relationship type, the leaving person's side): "src" = they are the source.
MOVED_TYPES = (("LIAISON_FOR", "src"), ("KNOWS", "src"), ("KNOWS", "dst"), ("CONTACT", "dst"))


def _active_member(directory: Directory, person: Node) -> list[Edge]:
    return directory.store.edges(person.id, types=["MEMBER_OF"], direction="out", current=True)


def handover(directory: Directory, from_ref: str, to_ref: str, *,
             dry_run: bool = False) -> dict[str, Any]:
    """Plan (``dry_run``) or carry out the handover; one transaction, all or nothing."""
    leaving = directory.resolve(from_ref, PERSON)
    taking = directory.resolve(to_ref, PERSON)
    if leaving.id == taking.id:
        raise ValidationError.field("to", "de collega moet iemand anders zijn")
    if not directory.store.edges(leaving.id, types=["MEMBER_OF"], direction="out"):
        raise ValidationError.field(
            "from", f"{leaving.name} is nooit teamlid geweest; overdracht is voor de relaties "
                    "van een vertrekkend teamlid")
    if not _active_member(directory, taking):
        raise ValidationError.field(
            "to", f"{taking.name} is geen actief teamlid; overdracht kan alleen naar een "
                  "collega die nu in een team zit")
    store = directory.store
    plan: list[tuple[Edge, Edge]] = []
    held = {(e.type, e.dst if e.src == taking.id else e.src)
            for e in store.edges(taking.id, current=True)}
    for edge in store.edges(leaving.id, current=True):
        side = "src" if edge.src == leaving.id else "dst"
        if (edge.type, side) not in MOVED_TYPES:
            continue
        other = edge.dst if side == "src" else edge.src
        if other == taking.id:
            continue
        src, dst = (taking.id, other) if side == "src" else (other, taking.id)
        plan.append((edge, Edge(edge.type, src, dst, dict(edge.props), since=today_iso())))
    others = store.get_nodes(e.dst if e.src == leaving.id else e.src for e, _ in plan)
    moved = [{"type": old.type,
              "other": others[old.dst if old.src == leaving.id else old.src].ref(),
              "already_held": (new.type, new.dst if new.src == taking.id else new.src) in held}
             for old, new in plan]
    if not dry_run and plan:
        with store.transaction(directory.actor):
            for old, _ in plan:
                old.until = today_iso()
            store.update_edges([old for old, _ in plan], actor=directory.actor)
            store.add_edges([new for _, new in plan
                             if (new.type, new.dst if new.src == taking.id else new.src)
                             not in held], actor=directory.actor)
    return {"from": leaving.ref(), "to": taking.ref(), "moved": moved, "dry_run": dry_run}


def handover_document(directory: Directory, ref: str) -> dict[str, Any]:
    """Everything a person holds: teams, partners, warm contacts, agreements, activities."""
    person = directory.resolve(ref, PERSON)
    store = directory.store
    edges = store.edges(person.id, current=True)
    ids = {e.dst if e.src == person.id else e.src for e in edges}
    nodes = store.get_nodes(ids)

    def refs(type_: str, side: str) -> list[dict[str, Any]]:
        found = []
        for e in edges:
            if e.type != type_ or (e.src if side == "src" else e.dst) != person.id:
                continue
            other = nodes.get(e.dst if side == "src" else e.src)
            if other is not None:
                found.append({**other.ref(), "since": e.since, **e.props})
        return sorted(found, key=lambda item: item["name"].lower())

    roles = roles_of(directory, person.id)
    return {
        "person": {**person.ref(), "job_title": person.props.get("job_title")},
        "date": today_iso(),
        "teams": refs("MEMBER_OF", "src"),
        "partners": refs("LIAISON_FOR", "src"),
        "contacts": refs("KNOWS", "src") + refs("KNOWS", "dst"),
        "activities": refs("CONTACT", "dst"),
        "agreements": [{**a.ref(), "kind": a.props.get("kind"),
                        "review_on": a.props.get("review_on")} for a in roles["agreements"]],
    }


def handover_markdown(document: dict[str, Any]) -> str:
    """The handover document as Markdown, in Dutch, ready to print or mail."""
    person = document["person"]
    lines = [f"# Overdrachtsdocument {person['name']}", "",
             f"Functie: {person.get('job_title') or '-'}  ", f"Datum: {document['date']}", ""]
    sections = (("Teams", "teams"), ("Ketenpartners (relatiebeheer)", "partners"),
                ("Warme contacten", "contacts"), ("Activiteiten (contactpersoon)", "activities"),
                ("Samenwerkingsafspraken van het team", "agreements"))
    for title, key in sections:
        lines += [f"## {title}", ""]
        items = document[key]
        if not items:
            lines += ["_Geen._", ""]
            continue
        for item in items:
            extra = _details(key, item)
            suffix = f" ({'; '.join(extra)})" if extra else ""
            lines.append(f"- {item['name']} [{item['id']}]{suffix}")
        lines.append("")
    return "\n".join(lines)


def _details(section: str, item: dict[str, Any]) -> list[str]:
    """The Dutch details shown after an item of the handover document."""
    extra = [f"sinds {item['since']}"] if item.get("since") else []
    if section == "teams" and item.get("role"):
        extra.append(f"rol: {TEAM_ROLES.label(item['role'])}")
    if section == "contacts":
        if item.get("last_contact_on"):
            extra.append(f"laatste contact: {item['last_contact_on']}")
        if item.get("note"):
            extra.append(f"notitie: {item['note']}")
    if section == "agreements":
        if item.get("kind"):
            extra.append(f"soort: {AGREEMENT_KINDS.label(item['kind'])}")
        if item.get("review_on"):
            extra.append(f"evalueren op: {item['review_on']}")
    return extra
