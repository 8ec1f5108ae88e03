"""The demo region: Rijk van Nijmegen and Rivierenland as plain records.

:func:`demo_records` turns the tables of :mod:`directory.demo_data` into :class:`Node` and
:class:`Edge` records (no store access). Area nodes are not created here: every store has
them with ``id`` equal to the CBS code, and the edges below point at those ids. The areas
are real; the people, phone numbers, addresses and e-mail addresses are invented. The
result is deterministic: one seeded :class:`random.Random` fills in addresses, phone
numbers and dates, and nothing depends on today's date.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta
from typing import Any

from directory.demo_data import (
    ACTIVITIES,
    AGREEMENTS,
    CONTACTS,
    EXTRA_WORKS_AT,
    GEMEENTEN,
    KNOWS,
    LIAISONS,
    ORGANISATIONS,
    PART_OF,
    TEAM_MEMBERS,
    TEAMS,
    TEMPLATES,
    WIJKEN,
)
from directory.demo_places import find_place
from directory.model import ACTIVITY, AGREEMENT, ORGANISATION, PERSON, TEAM, Edge, Node

__all__ = ["DEMO_GEMEENTEN", "DEMO_SEED", "SOURCE", "demo_records"]

DEMO_GEMEENTEN: tuple[str, ...] = tuple(row[0] for row in GEMEENTEN)
DEMO_SEED = 2026
SOURCE = "demo"

# Rijk van Nijmegen gemeenten get 024 numbers, Rivierenland 0344; large organisations 088.
_NIJMEGEN_REGION = frozenset({"GM0268", "GM1945", "GM0209", "GM0225", "GM0252", "GM0944",
                              "GM0296", "GM0668"})
_NATIONAL_TYPES = frozenset({"ggd", "politie"})
_STREETS = (
    "Kerkstraat", "Dorpsstraat", "Molenweg", "Julianastraat", "Schoolstraat", "Marktstraat",
    "Stationsstraat", "Beatrixlaan", "Wilhelminastraat", "Oranjestraat", "Lindelaan",
    "Eikenlaan", "Hoogstraat", "Prins Bernhardstraat", "Burgemeester Ketelaarstraat",
    "Wijkcentrumplein", "Van Heemstralaan", "Graafseweg", "Waalkade", "Lingedijk",
)
# Postcode letters: the letters PostNL uses (no F, I, O, Q, U, Y).
_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
_RESERVED_LETTERS = frozenset({"SA", "SD", "SS"})
_ASCII = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "ß": "ss", "'": "", " ": "", "-": ""})


def _gemeente_of(area: str) -> str:
    """The GM code of a wijk (``WK026807`` -> ``GM0268``) or of a gemeente itself."""
    return area if area.startswith("GM") else f"GM{area[2:6]}"


def _seat(gemeente: str) -> tuple[str, str, str]:
    for code, name, pc4, place in GEMEENTEN:
        if code == gemeente:
            return name, pc4, place
    raise KeyError(gemeente)


def _label(area: str) -> str:
    """A short place label for titles: the wijk's label or the gemeente's name."""
    return WIJKEN[area][0] if area in WIJKEN else _seat(area)[0]


class _Builder:
    """Fills in the generated details (addresses, phones, dates) from one seeded Random."""

    def __init__(self) -> None:
        self.rng = random.Random(DEMO_SEED)
        self.phones: set[str] = set()

    def location(self, area: str) -> dict[str, Any]:
        """Address, postcode, city and jittered PC4 centroid inside ``area``."""
        gemeente = _gemeente_of(area)
        if area in WIJKEN:
            _, pc4, place = WIJKEN[area]
        else:
            _, pc4, place = _seat(gemeente)
        city, lat, lon = find_place(gemeente, pc4, place)
        while True:
            letters = self.rng.choice(_LETTERS) + self.rng.choice(_LETTERS)
            if letters not in _RESERVED_LETTERS:
                break
        street = self.rng.choice(_STREETS)
        return {
            "address": f"{street} {self.rng.randint(1, 180)}",
            "postcode": f"{pc4} {letters}",
            "city": city.removesuffix(" Gld"),
            "lat": round(lat + self.rng.uniform(-0.003, 0.003), 5),
            "lon": round(lon + self.rng.uniform(-0.003, 0.003), 5),
        }

    def phone(self, kind: str) -> str:
        """A fictional, valid E.164 number: ``024``, ``0344``, ``088`` or ``06``."""
        while True:
            if kind == "024":
                number = f"+3124{self.rng.randint(3400000, 3899999)}"
            elif kind == "0344":
                number = f"+31344{self.rng.randint(610000, 699999)}"
            elif kind == "088":
                number = f"+3188{self.rng.randint(1000000, 9999999)}"
            else:
                number = f"+316{self.rng.randint(10000000, 59999999)}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def verified(self) -> str:
        """A last_verified_on date: about 15% before 2025-11-01, the rest early 2026."""
        if self.rng.random() < 0.15:
            return (date(2024, 3, 1) + timedelta(days=self.rng.randint(0, 590))).isoformat()
        return (date(2026, 1, 5) + timedelta(days=self.rng.randint(0, 90))).isoformat()

    def since(self, first_year: int, last_year: int) -> str:
        start = date(first_year, 1, 1)
        days = (date(last_year, 12, 1) - start).days
        return (start + timedelta(days=self.rng.randint(0, days))).isoformat()


def _node(node_id: str, kind: str, props: dict[str, Any]) -> Node:
    return Node(id=node_id, kind=kind, props=props, version=0, source=SOURCE,
                source_id=node_id)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower().translate(_ASCII))
    return folded.encode("ascii", "ignore").decode("ascii")


def _email(name: str, domain: str) -> str:
    """``Anouk de Vries`` at ``x.nl`` -> ``a.devries@x.example``.

    Invented people get addresses under the reserved ``.example`` top-level
    domain, so no demo address can ever reach a real mailbox.
    """
    first, _, rest = name.partition(" ")
    return f"{_ascii(first)[0]}.{_ascii(rest)}@{domain.rsplit('.', 1)[0]}.example"


def _phone_kind(role: str, partner_type: str, gemeente: str) -> str:
    if role in ("moederorganisatie", "financier") or partner_type in _NATIONAL_TYPES:
        return "088"
    return "024" if gemeente in _NIJMEGEN_REGION else "0344"


_GEMEENTE_WIDE_TYPES = frozenset({
    "ggd", "politie", "sociale_dienst", "gemeente", "woningcorporatie", "schuldhulp",
    "zorgverzekeraar", "specialistische_ggz", "verslavingszorg", "begeleid_wonen", "lvb_zorg",
    "bibliotheek", "vvt_thuiszorg", "vrijwilligers",
})


def _works_gemeente_wide(role: str, partner_type: str) -> bool:
    return role != "ketenpartner" or partner_type in _GEMEENTE_WIDE_TYPES


def _organisations(b: _Builder, nodes: list[Node], edges: list[Edge]) -> dict[str, str]:
    """Organisation nodes, ACTIVE_IN and PART_OF edges; returns slug -> domain."""
    domains: dict[str, str] = {}
    for slug, name, role, ptype, home, active_in, domain, description in ORGANISATIONS:
        gemeente = _gemeente_of(home)
        domains[slug] = domain
        props: dict[str, Any] = {
            "name": name, "role": role, "partner_type": ptype, "description": description,
            "website": f"https://www.{domain}", "email": f"info@{domain}",
            "phone": b.phone(_phone_kind(role, ptype, gemeente)),
            **b.location(home),
            "kvk": str(b.rng.randint(10000000, 99999999)),
        }
        nodes.append(_node(f"org-{slug}", ORGANISATION, props))
        since = b.since(2008, 2019)
        # Local partners (GP, wijkteam, welfare, …) work in their own wijk and the areas
        # listed; gemeente-wide services cover their whole gemeente.
        areas = [gemeente] if _works_gemeente_wide(role, ptype) else []
        for area in (home, *active_in.split()):
            if area not in areas:
                areas.append(area)
        edges.extend(Edge("ACTIVE_IN", f"org-{slug}", area, {}, since) for area in areas)
    for branch, whole in PART_OF:
        edges.append(Edge("PART_OF", f"org-{branch}", f"org-{whole}", {}, "2015-01-01"))
    return domains


def _teams(nodes: list[Node], edges: list[Edge]) -> None:
    for team_id, name, phase, started_on, served in TEAMS:
        nodes.append(_node(team_id, TEAM, {"name": name, "phase": phase,
                                           "started_on": started_on}))
        edges.extend(Edge("SERVES", team_id, area, {}, started_on) for area in served.split())


def _people(b: _Builder, domains: dict[str, str], nodes: list[Node],
            edges: list[Edge]) -> dict[str, str]:
    """Team members and contact persons with their work relations; returns id -> since."""
    started: dict[str, str] = {}
    for per_id, name, moeder, job_title, memberships in TEAM_MEMBERS:
        nodes.append(_node(per_id, PERSON, {
            "name": name, "job_title": job_title, "email": _email(name, domains[moeder]),
            "phone": b.phone("06"), "last_verified_on": b.verified(),
        }))
        first = min(m[3] for m in memberships)
        ended = [m[4] for m in memberships]
        until = max(ended) if all(ended) else None
        started[per_id] = first
        edges.append(Edge("EMPLOYED_BY", per_id, f"org-{moeder}", {}, first, until))
        for team_id, role, hours, since, end in memberships:
            edges.append(Edge("MEMBER_OF", per_id, team_id,
                              {"role": role, "hours_per_week": hours}, since, end or None))
    extra = {row[0]: row for row in EXTRA_WORKS_AT}
    for per_id, name, slug, job_title, since, until in CONTACTS:
        current = extra.get(per_id)
        title, domain = job_title, domains[slug]
        if current is not None and not current[4]:
            title, domain = current[2], domains[current[1]]
        gemeente = _gemeente_of(next(o[4] for o in ORGANISATIONS if o[0] == slug))
        phone_kind = "06" if b.rng.random() < 0.4 else ("024" if gemeente in _NIJMEGEN_REGION
                                                       else "0344")
        nodes.append(_node(per_id, PERSON, {
            "name": name, "job_title": title, "email": _email(name, domain),
            "phone": b.phone(phone_kind), "last_verified_on": b.verified(),
        }))
        started[per_id] = since
        edges.append(Edge("WORKS_AT", per_id, f"org-{slug}", {"job_title": job_title}, since,
                          until or None))
    for per_id, slug, job_title, since, until in EXTRA_WORKS_AT:
        edges.append(Edge("WORKS_AT", per_id, f"org-{slug}", {"job_title": job_title}, since,
                          until or None))
    for per_id, slug, since, until in LIAISONS:
        edges.append(Edge("LIAISON_FOR", per_id, f"org-{slug}", {}, since, until or None))
    for member, contact, since, last, note, until in KNOWS:
        edges.append(Edge("KNOWS", member, contact, {"last_contact_on": last, "note": note},
                          since, until or None))
    return started


def _activities(b: _Builder, domains: dict[str, str], started: dict[str, str],
                nodes: list[Node], edges: list[Edge]) -> None:
    for number, row in enumerate(ACTIVITIES, start=1):
        key, slug, area, byday, start, end, contact, status = row
        title, description, life, targets, cost, referral, languages, access = TEMPLATES[key]
        act_id = f"act-{number:04d}"
        props: dict[str, Any] = {
            "title": title.format(wijk=_label(area)), "description": description,
            "life_domains": life.split(), "target_groups": targets.split(),
            "schedule": f"FREQ=WEEKLY;BYDAY={byday}", "start_time": start, "end_time": end,
            **b.location(area),
            "cost": cost, "referral_needed": referral, "languages": languages.split(","),
            "accessibility": access,
            "url": f"https://www.{domains[slug]}/activiteiten/{act_id}",
            "status": status or "actief", "last_verified_on": b.verified(),
        }
        nodes.append(_node(act_id, ACTIVITY, props))
        since = b.since(2016, 2025)
        edges.append(Edge("OFFERED_BY", act_id, f"org-{slug}", {}, since))
        edges.append(Edge("IN_AREA", act_id, area, {}, since))
        if contact:
            edges.append(Edge("CONTACT", act_id, contact, {}, max(since, started[contact])))


def _agreements(nodes: list[Node], edges: list[Edge]) -> None:
    for agr_id, team_id, slug, kind, summary, review_on, since in AGREEMENTS:
        nodes.append(_node(agr_id, AGREEMENT, {"kind": kind, "summary": summary,
                                               "review_on": review_on}))
        edges.append(Edge("AGREED", team_id, agr_id, {}, since))
        edges.append(Edge("WITH", agr_id, f"org-{slug}", {}, since))


def demo_records() -> tuple[list[Node], list[Edge]]:
    """Nodes (not Area nodes) and edges of the demo region; deterministic."""
    builder = _Builder()
    nodes: list[Node] = []
    edges: list[Edge] = []
    domains = _organisations(builder, nodes, edges)
    _teams(nodes, edges)
    started = _people(builder, domains, nodes, edges)
    _activities(builder, domains, started, nodes, edges)
    _agreements(nodes, edges)
    return nodes, edges
