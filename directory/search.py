"""Search: the right local activities for a resident, ranked, with who to call.

Free text copes with Dutch inflection and compounds, diacritics and small typos
(see ``relevance``); the filters and the contact cards are here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from directory import areas, validation
from directory.errors import ValidationError
from directory.model import ACTIVITY, Node
from directory.relevance import text_matches
from directory.service import Directory
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
    scores: dict[str, float] | None = None
    if q.text:
        scores, found = text_matches(directory.store, q.text)
        candidates = list(found.values())
    else:
        candidates = directory.store.find_nodes(ACTIVITY)
    if q.area:
        allowed = _activities_in_area(directory, q.area)
        candidates = [n for n in candidates if n.id in allowed]
    origin = areas.pc4_centroid(q.near) if q.near else None
    ranked: list[tuple[float, float, str, str, Node]] = []
    for node in candidates:
        distance = _distance(node, origin)
        if not _passes(node, q, distance):
            continue
        score = scores.get(node.id, 0.0) if scores is not None else 0.0
        if distance is not None:
            score += 1.0 - min(distance / q.km, 1.0)
        ranked.append((-round(score, 6), distance or 0.0, node.name.lower(), node.id, node))
    ranked.sort(key=lambda item: item[:4])
    page = ranked[q.offset:q.offset + q.limit] if q.limit else ranked[q.offset:]
    items = [_item(directory, node, -neg, origin, show_contact_details)
             for neg, _, _, _, node in page]
    return {"items": items, "total": len(ranked)}


def _activities_in_area(directory: Directory, area_ref: str) -> set[str]:
    """Ids of activities placed in the area or anywhere within it; an activity without a
    place counts for the gemeente of its postcode."""
    _, codes = directory.area_closure(area_ref)
    placed = directory.store.edges_between(["IN_AREA"], codes, direction="in")
    found = {edge.src for edge in placed if edge.current}
    if any(code.startswith("GM") for code in codes):
        known = directory.placed("IN_AREA")
        found |= {n.id for n in directory.store.find_nodes(ACTIVITY)
                  if n.id not in known and n.props.get("gemeente") in codes}
    return found


def _distance(node: Node, origin: tuple[float, float] | None) -> float | None:
    lat, lon = node.props.get("lat"), node.props.get("lon")
    if origin is None or lat is None or lon is None:
        return None
    return areas.haversine_km(origin[0], origin[1], float(lat), float(lon))


def activity_days(node: Node) -> list[str]:
    schedule = node.props.get("schedule")
    if not schedule:
        return []
    try:
        return validation.rrule_days(schedule)
    except ValueError:
        return []


def _passes(node: Node, q: SearchQuery, distance: float | None) -> bool:
    p = node.props
    if not q.include_stopped and p.get("status", "actief") != "actief":
        return False
    if q.near and (distance is None or distance > q.km):
        return False
    if q.domains and not set(q.domains) & set(p.get("life_domains") or []):
        return False
    if q.targets:
        groups = set(p.get("target_groups") or [])
        if not (set(q.targets) & groups or "iedereen" in groups or not groups):
            return False
    if q.days and not set(q.days) & set(activity_days(node)):
        return False
    if q.free and not validation.is_free(p.get("cost") or ""):
        return False
    return not (q.no_referral and p.get("referral_needed"))


def _item(directory: Directory, node: Node, score: float, origin: tuple[float, float] | None,
          show_contact_details: bool) -> dict[str, Any]:
    from directory.people import contact_card

    p = node.props
    store = directory.store
    out = store.edges(node.id, types=["OFFERED_BY", "IN_AREA", "CONTACT"], direction="out",
                      current=True)
    ends = store.get_nodes(e.dst for e in out)
    org = next((ends[e.dst] for e in out if e.type == "OFFERED_BY" and e.dst in ends), None)
    area_nodes = [ends[e.dst] for e in out if e.type == "IN_AREA" and e.dst in ends]
    contact = next((ends[e.dst] for e in out if e.type == "CONTACT" and e.dst in ends), None)
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
        "contact": contact_card(directory, contact, show_contact_details) if contact else None,
        "distance_km": None if distance is None else round(distance, 2),
        "score": round(score, 4), "url": p.get("url"),
    }
