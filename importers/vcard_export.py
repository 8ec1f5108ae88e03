"""vCard export (``--format vcard``): contact persons as one vCard 3.0 file.

Which people (the scope):

* ``--organisation O``: the people working at O now (``WORKS_AT``);
* ``--team T``: the team's partner contacts: the people working at the organisations a
  member is relatiebeheerder for (``LIAISON_FOR``) and the people a member knows
  (``KNOWS``); not the members themselves, whose cards their employer keeps;
* ``--area A``: the people working at organisations active in A (or its wijken and buurten)
  and the contact persons of activities there;
* no scope: every person, except erased ones. Several scopes: the people in all of them.

vCard 3.0, not 4.0: Outlook reads 2.1 and 3.0 only; phones and Google read 3.0 too.
Phone and e-mail are written only when asked (``--include-contacts``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

import vobject

from directory.model import ORGANISATION, PERSON, TEAM, Node
from directory.service import Directory
from importers.registry import ExportScope
from importers.vcard import SOURCE

__all__ = ["Card", "format_card", "format_vcards", "select_people", "export_vcard"]


@dataclass(frozen=True)
class Card:
    """What one exported card says."""

    name: str
    uid: str
    job_title: str = ""
    organisation: str = ""
    phone: str = ""
    email: str = ""


def format_card(card: Card) -> str:
    """One vCard 3.0 (CRLF lines, folded at 75 octets, escaped)."""
    vcard = vobject.vCard()
    vcard.add("fn").value = card.name
    given, _, family = card.name.partition(" ")
    vcard.add("n").value = vobject.vcard.Name(family=family, given=given)
    if card.organisation:
        vcard.add("org").value = [card.organisation]
    if card.job_title:
        vcard.add("title").value = card.job_title
    if card.phone:
        tel = vcard.add("tel")
        tel.value = card.phone
        tel.params["TYPE"] = ["WORK", "VOICE"]
    if card.email:
        mail = vcard.add("email")
        mail.value = card.email
        mail.params["TYPE"] = ["INTERNET", "WORK"]
    vcard.add("uid").value = card.uid
    text: str = vcard.serialize()
    return text


def format_vcards(cards: Iterable[Card]) -> str:
    """A whole .vcf file."""
    return "".join(format_card(card) for card in cards)


def _works_at(directory: Directory, org_ids: Iterable[str]) -> set[str]:
    edges = directory.store.edges_between(["WORKS_AT"], list(org_ids), direction="in")
    return {e.src for e in edges if e.current}


def _team_contacts(directory: Directory, ref: str) -> set[str]:
    team = directory.resolve(ref, TEAM)
    members = {e.src for e in directory.current(team.id, ["MEMBER_OF"], "in")}
    out = directory.store.edges_between(["LIAISON_FOR", "KNOWS"], list(members), "out")
    partners = {e.dst for e in out if e.current and e.type == "LIAISON_FOR"}
    known = {e.dst for e in out if e.current and e.type == "KNOWS"}
    return (_works_at(directory, partners) | known) - members


def _area_people(directory: Directory, ref: str) -> set[str]:
    _, codes = directory.area_closure(ref)
    people = _works_at(directory, directory.organisations_in(codes))
    activities = directory.activities_in(codes, include_stopped=False)
    contacts = directory.store.edges_between(["CONTACT"], list(activities), "out")
    return people | {e.dst for e in contacts if e.current}


def select_people(directory: Directory, scope: ExportScope) -> list[Node]:
    """The people a scope covers, by name; erased people never."""
    chosen: set[str] | None = None
    if scope.organisation:
        org = directory.resolve(scope.organisation, ORGANISATION)
        chosen = _works_at(directory, [org.id])
    for ref, select in ((scope.team, _team_contacts), (scope.area, _area_people)):
        if ref:
            found = select(directory, ref)
            chosen = found if chosen is None else chosen & found
    if chosen is None:
        nodes = directory.store.find_nodes(PERSON)
    else:
        nodes = list(directory.store.get_nodes(chosen).values())
    people = [n for n in nodes if n.kind == PERSON and not n.props.get("erased_on")]
    return sorted(people, key=lambda n: (n.name.casefold(), n.id))


def _organisation_of(directory: Directory, person: Node, scope: ExportScope,
                     names: dict[str, str]) -> tuple[str, str]:
    """(organisation name, job title at it) of a person's current work."""
    edges = directory.current(person.id, ["WORKS_AT"])
    if not edges:
        return "", ""
    wanted = None
    if scope.organisation:
        wanted = directory.resolve(scope.organisation, ORGANISATION).id
    edges.sort(key=lambda e: (e.dst != wanted, names.get(e.dst, ""), e.dst))
    return names.get(edges[0].dst, ""), str(edges[0].props.get("job_title") or "")


def card_of(directory: Directory, person: Node, scope: ExportScope,
            names: dict[str, str]) -> Card:
    """The card of one person; phone and e-mail only when the scope asks for them."""
    organisation, title_there = _organisation_of(directory, person, scope, names)
    props = person.props
    uid = person.source_id if person.source == SOURCE and person.source_id else person.id
    return Card(name=person.name, uid=uid,
                job_title=str(props.get("job_title") or title_there),
                organisation=organisation,
                phone=str(props.get("phone") or "") if scope.include_contacts else "",
                email=str(props.get("email") or "") if scope.include_contacts else "")


def export_vcard(directory: Directory, out: BinaryIO, scope: ExportScope) -> int:
    """Registry exporter for ``--format vcard``: the number of cards written."""
    people = select_people(directory, scope)
    names = {o.id: o.name for o in directory.store.find_nodes(ORGANISATION)}
    cards = [card_of(directory, person, scope, names) for person in people]
    out.write(format_vcards(cards).encode("utf-8"))
    return len(cards)
