"""Search: the right local activities for a resident, ranked, with who to call.

Free text copes with Dutch inflection and compounds, diacritics and small typos
(see ``relevance``); the filters and the contact cards are here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from directory import areas, validation
from directory.errors import ValidationError
from directory.facets import ActivityFilter, ActivityRow, schedule_days
from directory.model import Edge, Node
from directory.relevance import rank_text, text_rows
from directory.service import Directory
from directory.textsearch import Terms, query_terms
from directory.vocabularies import LIFE_DOMAINS, TARGET_GROUPS, WEEKDAYS

__all__ = ["SearchQuery", "search"]



@dataclass
class SearchQuery:
    """What a worker asks for; every filter is optional."""

    text: str = ""
    area: str | None = None
    domains: list[str] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    free: bool = False
    no_referral: bool = False
    targets: list[str] = field(default_factory=list)
    near: str | None = None
    km: float = 5.0
    limit: int = 20
    offset: int = 0
    include_stopped: bool = False

    def normalised(self) -> SearchQuery:
        """The query with vocabulary keys and a PC4 checked; ValidationError otherwise."""
        def keys(values: list[str], vocab: Any, name: str) -> list[str]:
            found = []
            for value in values:
                key = vocab.match(value)
                if key is None:
                    raise ValidationError.field(name, f"onbekende waarde '{value}'")
                found.append(key)
            return found

        days: list[str] = []
        for value in self.days:
            try:
                days += validation.parse_days(value)
            except ValueError as exc:
                raise ValidationError.field("day", str(exc)) from exc
        near = None
        if self.near:
            try:
                near = validation.postcode_pc4(self.near)
            except ValueError as exc:
                raise ValidationError.field("near", str(exc)) from exc
            if areas.pc4_centroid(near) is None:
                raise ValidationError.field("near", f"postcode {near} is onbekend")
        if self.km <= 0 or self.km > 300:
            raise ValidationError.field("km", "afstand moet tussen 0 en 300 km liggen")
        if self.limit < 0 or self.offset < 0:
            raise ValidationError.field("limit", "limit en offset mogen niet negatief zijn")
        return SearchQuery(
            text=self.text.strip(), area=self.area, near=near, km=self.km,
            domains=keys(self.domains, LIFE_DOMAINS, "domain"),
            targets=keys(self.targets, TARGET_GROUPS, "target"),
            days=keys(days, WEEKDAYS, "day"), free=self.free, no_referral=self.no_referral,
            limit=self.limit, offset=self.offset, include_stopped=self.include_stopped)


def search(directory: Directory, query: SearchQuery, *,
           show_contact_details: bool = True) -> dict[str, Any]:
    """``{"items": [...], "total": n}``: matching activities, best match first."""
    q = query.normalised()
    terms = query_terms(q.text) if q.text else None
    if q.text and not terms:
        return {"items": [], "total": 0}
    with directory.store.reading():  # one snapshot, one server transaction
        return _search(directory, q, terms, show_contact_details)


def _search(directory: Directory, q: SearchQuery, terms: Terms | None,
            show_contact_details: bool) -> dict[str, Any]:
    origin = areas.pc4_centroid(q.near) if q.near else None
    where = _filter(directory, q, origin)
    store = directory.store
    page = (q.offset, q.limit or -1)
    if terms is None and origin is None:  # every score is equal: the store pages by title
        rows, total = store.match_activities(where, page=page)
        ranked = [(0.0, row) for row in rows]
    elif origin is None:  # ranked by relevance alone: the store ranks and pages
        scored_page, total = rank_text(store, where, terms or [], page)
        ranked = [(score, row) for row, score in scored_page]
    else:  # nearness counts too: rank the (few) activities within reach here
        scored = text_rows(store, where, terms) if terms else [
            (row, 0.0) for row in store.match_activities(where)[0]]
        ranked = _rank(scored, origin, q.km)
        total = len(ranked)
        ranked = ranked[q.offset:q.offset + q.limit] if q.limit else ranked[q.offset:]
    return {"items": _items(directory, ranked, origin, show_contact_details), "total": total}


def _filter(directory: Directory, q: SearchQuery, origin: tuple[float, float] | None
            ) -> ActivityFilter:
    """The query's filters as plain values: area closure, bounding box, vocabulary keys."""
    codes = None
    if q.area:
        _, closure = directory.area_closure(q.area)
        codes = frozenset(closure)
    box = None
    if origin is not None:
        lat, lon = origin
        dlat = q.km / 111.0
        dlon = q.km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
        box = (lat - dlat, lat + dlat, lon - dlon, lon + dlon)
    return ActivityFilter(area_codes=codes, box=box, domains=tuple(q.domains),
                          targets=tuple(q.targets), days=tuple(q.days), free=q.free,
                          no_referral=q.no_referral, include_stopped=q.include_stopped)


def _rank(scored: list[tuple[ActivityRow, float]], origin: tuple[float, float] | None,
          km: float) -> list[tuple[float, ActivityRow]]:
    """Best first: relevance plus nearness, then nearest, then title, then id."""
    keyed = []
    for row, score in scored:
        distance = None
        if origin is not None:
            if row.lat is None or row.lon is None:
                continue
            distance = areas.haversine_km(origin[0], origin[1], row.lat, row.lon)
            if distance > km:
                continue
            score += 1.0 - min(distance / km, 1.0)
        keyed.append((-round(score, 6), distance or 0.0, row.title.lower(), row.id, row))
    keyed.sort(key=lambda item: item[:4])
    return [(-neg, row) for neg, _, _, _, row in keyed]


def _distance(node: Node, origin: tuple[float, float] | None) -> float | None:
    lat, lon = node.props.get("lat"), node.props.get("lon")
    if origin is None or lat is None or lon is None:
        return None
    return areas.haversine_km(origin[0], origin[1], float(lat), float(lon))


def activity_days(node: Node) -> list[str]:
    """The weekday keys of an activity's schedule."""
    return schedule_days(node.props.get("schedule"))


def _items(directory: Directory, ranked: list[tuple[float, ActivityRow]],
           origin: tuple[float, float] | None, show_contact_details: bool
           ) -> list[dict[str, Any]]:
    """Result cards for a page of activities, in a fixed number of store calls."""
    from directory.people import contact_card, known_by_many

    store = directory.store
    ids = [row.id for _, row in ranked]
    edges, nodes = store.neighbours(ids, ["OFFERED_BY", "IN_AREA", "CONTACT"], "out")
    out = [e for e in edges if e.current]
    ends = {e.dst: nodes[e.dst] for e in out if e.dst in nodes}
    contacts = {e.dst for e in out if e.type == "CONTACT" and e.dst in ends}
    colleagues = known_by_many(directory, sorted(contacts)) if contacts else {}
    items = []
    for score, row in ranked:
        if row.id not in nodes:
            continue
        mine = [e for e in out if e.src == row.id and e.dst in ends]
        contact = next((ends[e.dst] for e in mine if e.type == "CONTACT"), None)
        card = (contact_card(directory, contact, show_contact_details, colleagues[contact.id])
                if contact else None)
        items.append(_item(nodes[row.id], score, origin, mine, ends, card))
    return items


def _item(node: Node, score: float, origin: tuple[float, float] | None, edges: list[Edge],
          ends: dict[str, Node], contact: dict[str, Any] | None) -> dict[str, Any]:
    p = node.props
    org = next((ends[e.dst] for e in edges if e.type == "OFFERED_BY"), None)
    area_nodes = [ends[e.dst] for e in edges if e.type == "IN_AREA"]
    distance = _distance(node, origin)
    cost = p.get("cost") or ""
    return {
        "id": node.id, "title": node.name, "description": p.get("description", ""),
        "organisation": org.ref() if org else None,
        "areas": [{"code": a.id, "name": a.name} for a in area_nodes],
        "gemeente": p.get("gemeente"),
        "life_domains": p.get("life_domains") or [], "target_groups": p.get("target_groups") or [],
        "days": activity_days(node), "start": p.get("start_time"), "end": p.get("end_time"),
        "address": p.get("address"), "postcode": p.get("postcode"), "city": p.get("city"),
        "cost": cost, "free": validation.is_free(cost),
        "referral_needed": bool(p.get("referral_needed")),
        "contact": contact,
        "distance_km": None if distance is None else round(distance, 2),
        "score": round(score, 4), "url": p.get("url"),
    }
