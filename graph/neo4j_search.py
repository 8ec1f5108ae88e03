"""``match_activities`` and ``rank_activities`` in Cypher: search pushed down into the server.

Where the query names an area, the candidates come from the area's nodes (an index seek,
then the few activities placed there) and the text is checked with ``CONTAINS``;
otherwise from the full-text index. Ranking reproduces ``directory.relevance`` exactly
on the stored ``_title_words`` and ``_text``, so only the requested page leaves the server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from directory.facets import ActivityFilter, ActivityRow
from directory.model import today_iso
from directory.textsearch import usable_terms
from graph.neo4j_schema import TEXT_INDEX

Rows = Callable[..., list[dict[str, Any]]]
Read = Callable[[Callable[[Any], Any]], Any]
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
    """Cypher conditions on ``f`` for the filters other than the area (``_area_source``
    starts from the areas instead)."""
    clauses: list[str] = []
    if not where.include_stopped:
        clauses.append("f._active")
    if where.ids is not None:
        params["ids"] = sorted(where.ids)
        clauses.append("f.id IN $ids")
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


def _area_source(where: ActivityFilter, params: dict[str, Any]) -> str:
    """A subquery yielding ``f``: the activities placed in one of the areas, or not placed
    and in one of them by their postcode's gemeente; driven by the area nodes' index."""
    params["codes"] = sorted(where.area_codes or ())
    return (
        "CALL () { MATCH (x:Node) WHERE x.id IN $codes "
        f"MATCH (f:Activity)-[e:IN_AREA]->(x) WHERE {_CURRENT} RETURN f "
        "UNION MATCH (f:Activity) WHERE f.gemeente IN $codes AND NOT EXISTS "
        f"{{ MATCH (f)-[e:IN_AREA]->() WHERE {_CURRENT} }} RETURN f }} ")


def _text_in_area(where: ActivityFilter, params: dict[str, Any]) -> str | None:
    """After an area source: keep ``f`` whose own text or organisation's name matches the
    terms (as the full-text index would) and say which (``via``)."""
    groups = usable_terms(where.terms or [])
    if not groups:
        return None
    params["groups"] = [list(g) for g in groups]
    quantifier = "all" if where.mode == "all" else "any"
    return (
        f"WITH f, {quantifier}(g IN $groups WHERE any(a IN g WHERE f._text CONTAINS a)) AS own, "
        "EXISTS { MATCH (f)-[e:OFFERED_BY]->(o:Organisation) WHERE "
        f"{_CURRENT} AND all(g IN $groups WHERE any(a IN g WHERE o._text CONTAINS a)) }} AS via "
        "WHERE own OR via ")


def _matching(where: ActivityFilter, params: dict[str, Any]) -> str | None:
    """The Cypher that binds every matching ``f`` with its ``via`` (None: nothing can)."""
    by_area = where.area_codes is not None
    clauses = _conditions(where, params)
    filters = " WHERE " + " AND ".join(clauses) if clauses else ""
    if by_area:
        source = _area_source(where, params)
        if where.terms is None:
            return source + "WITH f, false AS via" + filters
        text = _text_in_area(where, params)
        return None if text is None else source + text + "WITH f, via" + filters
    if where.terms is not None:
        text_source = _text_source(where, params)
        return None if text_source is None else text_source + filters
    return "MATCH (f:Node:Activity)" + filters + " WITH f, false AS via"


def match_activities(rows: Rows, where: ActivityFilter, page: tuple[int, int] | None
                     ) -> tuple[list[ActivityRow], int]:
    """``GraphStore.match_activities`` in Cypher: one query (two with a page: the count)."""
    params: dict[str, Any] = {"today": today_iso()}
    found = _matching(where, params)
    if found is None:
        return [], 0
    match = found
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


# One term group's best score for ``f``: as ``directory.relevance.raw_relevance``.
_BEST = ("reduce(best = 0.0, s IN [a IN g | CASE WHEN f._title_words CONTAINS a THEN "
         "CASE WHEN f._title_words CONTAINS (' ' + a) THEN 2.5 ELSE 2.0 END "
         "WHEN f._text CONTAINS a THEN 1.0 ELSE 0.0 END] | "
         "CASE WHEN s > best THEN s ELSE best END)")
_SCORE = (f"reduce(total = 0.0, g IN $score_terms | total + {_BEST}) / size($score_terms)")


def rank_activities(read: Read, where: ActivityFilter, page: tuple[int, int]
                    ) -> tuple[list[tuple[ActivityRow, float]], int]:
    """``GraphStore.rank_activities`` in Cypher: the count and the ranked page, in one
    read transaction; only the page's rows come back."""
    params: dict[str, Any] = {"today": today_iso(),
                              "score_terms": [list(t) for t in where.terms or []]}
    match = _matching(where, params)
    if match is None or not params["score_terms"]:
        return [], 0
    offset, limit = page
    ranked = (f"{match} WITH f, via, {_SCORE} AS s "
              "WITH f, via, CASE WHEN via AND s < 1.0 THEN 1.0 ELSE s END AS score "
              "ORDER BY score DESC, f._title_key, f.id SKIP $offset "
              + ("LIMIT $limit " if limit >= 0 else "")
              + "RETURN f.id AS id, f.title AS title, f.lat AS lat, f.lon AS lon, via, score")

    def work(tx: Any) -> tuple[list[dict[str, Any]], int]:
        total = int(tx.run(f"{match} RETURN count(f) AS c", params).single()["c"])
        if total <= offset or limit == 0:
            return [], total
        return [r.data() for r in tx.run(ranked, params, offset=offset, limit=limit)], total

    found, total = read(work)
    return [(ActivityRow(r["id"], r["title"], "", r["lat"], r["lon"], bool(r["via"])),
             round(float(r["score"]), 4)) for r in found], total
