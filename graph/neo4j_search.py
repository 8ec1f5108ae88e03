"""``match_activities`` in Cypher: the search filters pushed down into one query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from directory.facets import ActivityFilter, ActivityRow
from directory.model import today_iso
from directory.textsearch import usable_terms
from graph.neo4j_schema import TEXT_INDEX

Rows = Callable[..., list[dict[str, Any]]]
_CURRENT = "(e.until IS NULL OR e.until > $today)"
_LUCENE_SPECIAL = set('+-&|!(){}[]^"~*?:\\/ ')


def lucene_term(term: str) -> str:
    """A term as a Lucene substring query: ``*term*`` with specials escaped."""
    escaped = "".join("\\" + c if c in _LUCENE_SPECIAL else c for c in term)
    return f"*{escaped}*"


def lucene_query(terms: Any, mode: str) -> str | None:
    groups = usable_terms(terms)
    if not groups:
        return None
    joiner = " AND " if mode == "all" else " OR "
    return joiner.join("(" + " OR ".join(lucene_term(t) for t in group) + ")" for group in groups)


def _conditions(where: ActivityFilter, params: dict[str, Any]) -> list[str]:
    clauses: list[str] = []
    if not where.include_stopped:
        clauses.append("f._active")
    if where.ids is not None:
        params["ids"] = sorted(where.ids)
        clauses.append("f.id IN $ids")
    if where.area_codes is not None:
        params["codes"] = sorted(where.area_codes)
        clauses.append(
            f"(EXISTS {{ MATCH (f)-[e:IN_AREA]->(x:Node) WHERE x.id IN $codes AND {_CURRENT} }}"
            f" OR (f.gemeente IN $codes AND NOT EXISTS {{ MATCH (f)-[e:IN_AREA]->() "
            f"WHERE {_CURRENT} }}))")
    if where.box is not None:
        params.update(zip(("lat0", "lat1", "lon0", "lon1"), where.box, strict=True))
        clauses.append("f.lat >= $lat0 AND f.lat <= $lat1 AND f.lon >= $lon0 "
                       "AND f.lon <= $lon1")
    if where.domains:
        params["domains"] = list(where.domains)
        clauses.append("any(d IN f.life_domains WHERE d IN $domains)")
    if where.targets:
        params["targets"] = list(where.targets)
        clauses.append("(any(t IN f.target_groups WHERE t IN $targets) OR "
                       "'iedereen' IN f.target_groups OR size(coalesce(f.target_groups, [])) = 0)")
    if where.days:
        params["days"] = list(where.days)
        clauses.append("any(d IN f._days WHERE d IN $days)")
    if where.free:
        clauses.append("f._free")
    if where.no_referral:
        clauses.append("NOT f._referral")
    return clauses


def _text_source(where: ActivityFilter, params: dict[str, Any]) -> str | None:
    """A subquery yielding ``f`` (an activity whose text matches, or whose organisation's
    name does) and ``via`` (matched through the organisation), straight from the index."""
    query = lucene_query(where.terms or [], where.mode)
    if query is None:
        return None
    params["q"] = query
    params["q_org"] = lucene_query(where.terms or [], "all")
    return (
        f"CALL () {{ CALL db.index.fulltext.queryNodes('{TEXT_INDEX}', $q) YIELD node "
        "WHERE node:Activity RETURN node AS f, false AS via "
        f"UNION ALL CALL db.index.fulltext.queryNodes('{TEXT_INDEX}', $q_org) YIELD node "
        "WHERE node:Organisation MATCH (f:Activity)-[e:OFFERED_BY]->(node) "
        f"WHERE {_CURRENT} RETURN f, true AS via }} "
        "WITH f, any(v IN collect(via) WHERE v) AS via")


def match_activities(rows: Rows, where: ActivityFilter, page: tuple[int, int] | None
                     ) -> tuple[list[ActivityRow], int]:
    """``GraphStore.match_activities`` in Cypher: one query (two with a page: the count)."""
    params: dict[str, Any] = {"today": today_iso()}
    clauses = _conditions(where, params)
    filters = " WHERE " + " AND ".join(clauses) if clauses else ""
    if where.terms is not None:
        source = _text_source(where, params)
        if source is None:
            return [], 0
        match = source + filters
    else:
        match = "MATCH (f:Node:Activity)" + filters + " WITH f, false AS via"
    columns = ("f.id AS id, f.title AS title, f._text AS text, f.lat AS lat, f.lon AS lon, "
               "via")
    if page is None:
        found_rows = rows(f"{match} RETURN {columns}", **params)
        total = len(found_rows)
    else:
        total = int(rows(f"{match} RETURN count(f) AS c", **params)[0]["c"])
        query = f"{match} RETURN {columns} ORDER BY f._title_key, f.id SKIP $offset"
        if page[1] >= 0:
            query += " LIMIT $limit"
        found_rows = rows(query, offset=page[0], limit=page[1], **params)
    return [ActivityRow(r["id"], r["title"], r["text"] or "", r["lat"], r["lon"],
                        bool(r["via"])) for r in found_rows], total
