"""Search: the right local activities for a resident, ranked, with who to call.

Free text copes with Dutch inflection and compounds (stems as substrings),
diacritics (folded) and small typos (trigram candidates checked with rapidfuzz).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from directory import areas, validation
from directory.errors import ValidationError
from directory.model import ACTIVITY, ORGANISATION, Node
from directory.service import Directory
from directory.text import fold
from directory.textsearch import query_terms, search_text, trigrams, words
from directory.vocabularies import LIFE_DOMAINS, TARGET_GROUPS, WEEKDAYS

__all__ = ["SearchQuery", "search"]

TYPO_THRESHOLD = 80.0
CANDIDATE_LIMIT = 5000
# Added when every query term is in the title, so title matches rank above
# matches found only in a description or through the organisation.
TITLE_BONUS = 1.0


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
    scores = _text_scores(directory, q.text) if q.text else None
    if scores is not None:
        candidates = list(directory.store.get_nodes(scores).values())
    else:
        candidates = directory.store.find_nodes(ACTIVITY)
    if q.area:
        allowed = _activities_in_area(directory, q.area)
        candidates = [n for n in candidates if n.id in allowed]
    origin = areas.pc4_centroid(q.near) if q.near else None
    terms = query_terms(q.text) if q.text else []
    ranked: list[tuple[float, float, str, Node]] = []
    for node in candidates:
        distance = _distance(node, origin)
        if not _passes(node, q, distance):
            continue
        score = scores.get(node.id, 0.0) if scores is not None else 0.0
        if terms and _in_title(node, terms):
            score += TITLE_BONUS
        if distance is not None:
            score += 1.0 - min(distance / q.km, 1.0)
        ranked.append((-round(score, 6), distance or 0.0, node.name.lower(), node))
    ranked.sort(key=lambda item: item[:3])
    page = ranked[q.offset:q.offset + q.limit] if q.limit else ranked[q.offset:]
    items = [_item(directory, node, -neg, origin, show_contact_details)
             for neg, _, _, node in page]
    return {"items": items, "total": len(ranked)}


def _text_scores(directory: Directory, text: str) -> dict[str, float]:
    """Activity id → text relevance (higher is better)."""
    terms = query_terms(text)
    if not terms:
        return {}
    store = directory.store
    hits = store.text_candidates(terms, ACTIVITY, mode="all", limit=CANDIDATE_LIMIT)
    if not hits and len(terms) > 1:
        hits = store.text_candidates(terms, ACTIVITY, mode="any", limit=CANDIDATE_LIMIT)
    scores = _normalise(hits)
    for org_id, org_score in _normalise(store.text_candidates(terms, ORGANISATION, limit=50)
                                        ).items():
        for edge in store.edges(org_id, types=["OFFERED_BY"], direction="in", current=True):
            scores[edge.src] = max(scores.get(edge.src, 0.0), 0.8 * org_score)
    if not scores:
        scores = _typo_scores(directory, terms)
    return scores


def _in_title(node: Node, terms: list[str]) -> bool:
    title = fold(node.name)
    return all(term in title for term in terms)


def _normalise(hits: list[tuple[str, float]]) -> dict[str, float]:
    if not hits:
        return {}
    best = max(score for _, score in hits) or 1.0
    return {node_id: 1.0 + score / best for node_id, score in hits}


def _typo_scores(directory: Directory, terms: list[str]) -> dict[str, float]:
    """Activities containing a word within a small edit distance of every term."""
    scores: dict[str, float] = {}
    for term in terms:
        grams = trigrams(term)
        if not grams:
            return {}
        hits = directory.store.text_candidates(grams, ACTIVITY, mode="any", limit=500)
        nodes = directory.store.get_nodes(node_id for node_id, _ in hits)
        term_scores: dict[str, float] = {}
        for node_id, node in nodes.items():
            best = max((fuzz.ratio(term, word[:len(term) + 2]) for word in
                        words(search_text(node))), default=0.0)
            if best >= TYPO_THRESHOLD:
                term_scores[node_id] = best / 100.0
        scores = term_scores if not scores else {
            k: scores[k] + v for k, v in term_scores.items() if k in scores}
        if not scores:
            return {}
    return scores


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
