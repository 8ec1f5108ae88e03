"""Helpers every store shares: canonical JSON, property names in queries, scrubbing
personal fields from audit JSON, and protocol methods composed of other ones (for a store
with no round trips to save)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from directory.errors import ValidationError
from directory.facets import ActivityFilter, ActivityRow
from directory.model import ACTIVITY, Edge, Node

RELATION_ACTIONS = ("relate", "end", "update_relation")

# One encoder for the whole process: ``json.dumps`` with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))

dumps: Callable[[Any], str] = _ENCODER.encode
"""Canonical JSON: sorted keys, no spaces, UTF-8 kept."""


_MARK = "\x00encoded\x00"
_MARK_JSON = dumps(_MARK)


def dumps_with(record: dict[str, Any], key: str, encoded: str) -> str:
    """``dumps(record)`` when the JSON of ``record[key]`` is already at hand (the props of a
    node in its audit entry): that value is put in as it is instead of encoded again."""
    text = dumps({**record, key: _MARK})
    if text.count(_MARK_JSON) != 1:  # the marker text occurs elsewhere too: play safe
        return dumps(record)
    return text.replace(_MARK_JSON, encoded)


def property_key(key: str) -> str:
    """A property name checked for use inside a query: letters, digits and underscores."""
    if not key.replace("_", "").isalnum():
        raise ValidationError.field(key, "ongeldige eigenschapsnaam")
    return key


def scrub(text: str | None, fields: Sequence[str]) -> str | None:
    """An audit record (node or edge as JSON) with the named fields, top-level or in
    ``props``, set to null."""
    if text is None:
        return None
    data = json.loads(text)
    props = data.get("props")
    for target in (data, props if isinstance(props, dict) else {}):
        for name in fields:
            if name in target:
                target[name] = None
    return dumps(data)


def neighbours_by_parts(store: Any, node_ids: Iterable[str], types: Sequence[str],
                        direction: str) -> tuple[list[Edge], dict[str, Node]]:
    """``GraphStore.neighbours`` from ``edges_between`` and ``get_nodes`` (an embedded
    store has no round trips to save)."""
    ids = list(dict.fromkeys(node_ids))
    ways = ("out", "in") if direction == "both" else (direction,)
    edges = {e.id: e for way in ways for e in store.edges_between(types, ids, way)}
    found = [edges[key] for key in sorted(edges, key=lambda k: k or 0)]
    nodes = store.get_nodes(set(ids) | {e.src for e in found} | {e.dst for e in found})
    return found, nodes


def typo_candidates_by_parts(store: Any, where: ActivityFilter,
                             pieces: Sequence[Sequence[str]], limit: int) -> list[ActivityRow]:
    """``GraphStore.typo_candidates`` from ``text_candidates`` and ``match_activities``."""
    candidates: set[str] | None = None
    for entry in pieces:
        hits = store.text_candidates([(piece,) for piece in entry], ACTIVITY, mode="any",
                                     limit=limit)
        ids = {node_id for node_id, _ in hits}
        candidates = ids if candidates is None else candidates & ids
    if where.ids is not None and candidates is not None:
        candidates &= where.ids
    if not candidates:
        return []
    rows, _ = store.match_activities(replace(where, terms=None, ids=frozenset(candidates)))
    return list(rows)
