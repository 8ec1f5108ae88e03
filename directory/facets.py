"""What search filters on, per activity: derived once when it is stored, the same for
every backend (days from the RRULE, free from the cost, bit masks of vocabularies)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from directory import validation
from directory.model import Node
from directory.textsearch import Terms, search_text, title_words
from directory.vocabularies import LIFE_DOMAINS, TARGET_GROUPS, WEEKDAYS, Vocabulary

__all__ = ["ActivityFilter", "ActivityRow", "ActivityFacets", "activity_facets", "mask"]

EVERYONE = "iedereen"


@dataclass(frozen=True)
class ActivityFilter:
    """The filters of a search, resolved to plain values a store can apply.

    ``terms`` (None: no text condition) must all (``mode`` "all") or any be in the
    activity's search text, or all be in the name of the organisation offering it.
    ``area_codes``: placed (IN_AREA) in one of them, or not placed and its postcode's
    gemeente is one of them. ``box``: (lat_min, lat_max, lon_min, lon_max).
    ``targets`` match activities for any of them, for everyone, or for no stated group.
    """

    terms: Terms | None = None
    mode: str = "all"
    ids: frozenset[str] | None = None
    area_codes: frozenset[str] | None = None
    box: tuple[float, float, float, float] | None = None
    domains: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    days: tuple[str, ...] = ()
    free: bool = False
    no_referral: bool = False
    include_stopped: bool = False


@dataclass(frozen=True)
class ActivityRow:
    """An activity as the ranking needs it."""

    id: str
    title: str
    text: str
    lat: float | None
    lon: float | None
    via_organisation: bool = False


@dataclass(frozen=True)
class ActivityFacets:
    title_key: str
    title_words: str  # the title as ``textsearch.title_words`` spells it, for ranking
    text: str
    active: bool
    gemeente: str | None
    lat: float | None
    lon: float | None
    free: bool
    referral: bool
    life_domains: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    days: list[str] = field(default_factory=list)


def schedule_days(schedule: str | None) -> list[str]:
    """The weekday keys of an activity's RRULE ([] when absent or unreadable)."""
    if not schedule:
        return []
    try:
        return validation.rrule_days(schedule)
    except ValueError:
        return []


def activity_facets(node: Node, text: str | None = None) -> ActivityFacets:
    """The facets of an activity (``text``: its search text, when already computed)."""
    p: dict[str, Any] = node.props
    lat, lon = p.get("lat"), p.get("lon")
    return ActivityFacets(
        title_key=node.name.lower(), title_words=title_words(node.name),
        text=search_text(node) if text is None else text,
        active=p.get("status", "actief") == "actief", gemeente=p.get("gemeente"),
        lat=None if lat is None else float(lat), lon=None if lon is None else float(lon),
        free=validation.is_free(p.get("cost") or ""), referral=bool(p.get("referral_needed")),
        life_domains=list(p.get("life_domains") or []),
        target_groups=list(p.get("target_groups") or []),
        days=schedule_days(p.get("schedule")))


def mask(vocabulary: Vocabulary, keys: list[str] | tuple[str, ...]) -> int:
    """Keys of a vocabulary as bits (bit i = the i-th key)."""
    order = {key: i for i, key in enumerate(vocabulary.keys())}
    value = 0
    for key in keys:
        if key in order:
            value |= 1 << order[key]
    return value


def facet_masks(facets: ActivityFacets) -> tuple[int, int, int]:
    """(life domains, target groups, days) as bit masks."""
    return (mask(LIFE_DOMAINS, facets.life_domains), mask(TARGET_GROUPS, facets.target_groups),
            mask(WEEKDAYS, facets.days))
