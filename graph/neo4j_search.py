"""``match_activities``, ``rank_activities`` and ``typo_candidates`` in Cypher: search pushed
down into the server.

The matching activities come from one of four places, chosen per query:

* the activity index (``ACTIVITY_INDEX``), when there is no distance or id list: the text
  terms, the filters as facet tokens and the area as codes, so Lucene alone answers the
  count, and its score *is* the product's relevance (constant-score clauses: 1 for the
  text, +1 in the title, +0.5 at the start of a title word; see ``ranked_query``). The
  few activities the index cannot show (relations with an end date, several
  organisations) are looked up exactly;
* the point index, for a distance;
* the area nodes (an index seek, then the activities placed there), for what the index
  path does not take (an "any" search in an area), the text checked with ``CONTAINS``;
* the given ids.

A page is then sorted from the hits when they are few, or read in title order from the
``(_title_key, id)`` index, skipping what does not match, when they are many. Either way
only the page leaves the server, ranked exactly as ``directory.relevance``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from directory.facets import EVERYONE, ActivityFilter, ActivityRow
from directory.model import today_iso
from directory.textsearch import usable_terms
from graph.neo4j_schema import ACTIVITY_INDEX, ORGANISATION_INDEX

Read = Callable[[Callable[[Any], Any]], Any]
Ranked = tuple[list[tuple[ActivityRow, float]], int]
SORT_LIMIT = 2000  # up to this many hits are sorted; beyond, the title index is walked
_CURRENT = "(e.until IS NULL OR e.until > $today)"
_LUCENE_SPECIAL = set('+-&|!(){}[]^"~*?:\\/ ')
_PLAIN = re.compile(r"[0-9a-z]")
_ROW = "f.id AS id, f.title AS title, f.lat AS lat, f.lon AS lon, f._title_key AS k"


def _escape(term: str) -> str:
    return "".join("\\" + c if c in _LUCENE_SPECIAL else c for c in term)


def lucene_term(term: str) -> str:
    """A term as a Lucene substring query: ``*term*`` with specials escaped."""
    return f"*{_escape(term)}*"


def lucene_query(terms: Any, mode: str, field: str | None = None) -> str | None:
    """Terms as a Lucene query on ``field`` (default: every field of the index)."""
    groups = usable_terms(terms)
    if not groups:
        return None
    prefix = f"{field}:" if field else ""
    joiner = " AND " if mode == "all" else " OR "
    return joiner.join("(" + " OR ".join(prefix + lucene_term(t) for t in group) + ")"
                       for group in groups)


def _one_of(field: str, alternatives: Sequence[str], start: bool = False) -> str:
    """One constant-score Lucene query: a word of ``field`` contains (``start``: begins
    with) one of the alternatives; a regular expression when there are several, so that
    a word matching two of them still scores once."""
    if len(alternatives) == 1:
        return (f"{field}:{_escape(alternatives[0])}*" if start
                else f"{field}:{lucene_term(alternatives[0])}")
    pattern = "|".join("".join(c if _PLAIN.match(c) else "\\" + c for c in alt)
                       for alt in alternatives)
    return f"{field}:/{'' if start else '.*'}({pattern}).*/"


def facet_clauses(where: ActivityFilter) -> list[str]:
    """The filters (except distance and ids) as required clauses on the facet tokens of
    ``graph.neo4j_schema.facet_tokens`` and on ``_areas``, adding nothing to the score;
    activities whose placement has an end date are left to ``_irregular_area``."""
    groups: list[list[str]] = []
    if not where.include_stopped:
        groups.append(["active"])
    if where.domains:
        groups.append([f"d_{key}" for key in where.domains])
    if where.targets:
        groups.append([f"t_{key}" for key in (*where.targets, EVERYONE)])
    if where.days:
        groups.append([f"day_{key}" for key in where.days])
    if where.free:
        groups.append(["free"])
    if where.no_referral:
        groups.append(["noref"])
    clauses = ["+(" + " ".join("_facets:" + _escape(t.replace(" ", "_")) for t in group)
               + ")^0" for group in groups]
    if where.area_codes:  # placed there, or placed nowhere and in it by gemeente
        clauses.append("+(" + " ".join("_areas:" + _escape(code)
                                       for code in sorted(where.area_codes)) + ")^0")
    return clauses


def ranked_query(groups: Sequence[Sequence[str]], where: ActivityFilter) -> str:
    """Every term in the text, the filters, and per term 1 more when it is in the title and
    0.5 more at the start of a title word: the Lucene score is ``len(groups)`` times
    ``directory.relevance.raw_relevance`` (constant-score clauses simply add up)."""
    clauses = []
    for group in groups:
        clauses += ["+" + _one_of("_text", group), _one_of("_title_words", group),
                    _one_of("_title_words", group, start=True) + "^0.5"]
    return " ".join(clauses + facet_clauses(where))


def _conditions(where: ActivityFilter, params: dict[str, Any]) -> list[str]:
    """Cypher conditions on ``f`` for the filters other than the area (``_area_source``
    starts from the areas instead) and the ids (a source too, without an area)."""
    clauses: list[str] = []
    if not where.include_stopped:
        clauses.append("f._active")
    if where.ids is not None and where.area_codes is not None:
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
    query = lucene_query(where.terms or [], where.mode, field="_text")
    if query is None:
        return None
    params["q"] = query
    params["q_org"] = lucene_query(where.terms or [], "all")
    return (
        f"CALL () {{ CALL db.index.fulltext.queryNodes('{ACTIVITY_INDEX}', $q) YIELD node "
        "RETURN node AS f, false AS via "
        f"UNION ALL CALL db.index.fulltext.queryNodes('{ORGANISATION_INDEX}', $q_org) "
        "YIELD node MATCH (f:Activity)-[e:OFFERED_BY]->(node) "
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


def _box_source(where: ActivityFilter, params: dict[str, Any]) -> str:
    """A subquery yielding ``f``: the activities within the bounding box, from the point
    index (``_conditions`` checks the box on ``lat``/``lon`` too)."""
    assert where.box is not None
    lat0, lat1, lon0, lon1 = where.box
    params.update(corner0={"latitude": lat0, "longitude": lon0},
                  corner1={"latitude": lat1, "longitude": lon1})
    return ("CALL () { MATCH (f:Activity) WHERE point.withinBBox(f._point, point($corner0), "
            "point($corner1)) RETURN f } ")


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
    clauses = _conditions(where, params)
    filters = " WHERE " + " AND ".join(clauses) if clauses else ""
    if where.area_codes is not None or where.box is not None:
        source = (_area_source(where, params) if where.area_codes is not None
                  else _box_source(where, params))
        if where.terms is None:
            return source + "WITH f, false AS via" + filters
        text = _text_in_area(where, params)
        return None if text is None else source + text + "WITH f, via" + filters
    if where.terms is not None:
        text_source = _text_source(where, params)
        if text_source is None:
            return None
        if where.ids is not None:
            params["ids"] = sorted(where.ids)
            filters = " WHERE " + " AND ".join([*clauses, "f.id IN $ids"])
        return text_source + filters
    if where.ids is not None:  # each id is an index seek
        params["ids"] = sorted(where.ids)
        return ("UNWIND $ids AS i MATCH (f:Node {id: i}) WHERE f:Activity"
                + (" AND " + " AND ".join(clauses) if clauses else "") + " WITH f, false AS via")
    return "MATCH (f:Node:Activity)" + filters + " WITH f, false AS via"


def _by_index(where: ActivityFilter) -> bool:
    """Whether the activity index can find the matches (no distance or id list; an area
    of at most ``MAX_AREA_CODES`` codes)."""
    return (where.box is None and where.ids is None
            and (where.area_codes is None or 0 < len(where.area_codes) <= MAX_AREA_CODES))


MAX_AREA_CODES = 1000  # a Lucene query holds at most 1024 clauses
# In one of the areas: placed there, or not placed and in one by its postcode's gemeente.
_MEMBER = (f"(EXISTS {{ MATCH (f)-[e:IN_AREA]->(x) WHERE {_CURRENT} AND x.id IN $codes }} "
           f"OR (f.gemeente IN $codes AND NOT EXISTS {{ MATCH (f)-[e:IN_AREA]->() "
           f"WHERE {_CURRENT} }}))")
_INDEXED_MEMBER = "any(c IN split(f._areas, ' ') WHERE c IN $codes)"


def _irregular_area(where: ActivityFilter, params: dict[str, Any]) -> str:
    """The activities in the areas that ``_areas`` does not show (a placement with an end
    date): few, through the index on ``_area_dated``, each checked exactly."""
    params["codes"] = sorted(where.area_codes or ())
    clauses = ["f._area_dated > 0", _MEMBER, f"NOT {_INDEXED_MEMBER}",
               *_conditions(where, params)]
    return (f"MATCH (f:Activity) USING INDEX f:Activity(_area_dated) "
            f"WHERE {' AND '.join(clauses)} ")


def _query_nodes(query: str, yields: str = "node AS f, score") -> str:
    return f"CALL db.index.fulltext.queryNodes('{ACTIVITY_INDEX}', {query}) YIELD {yields} "


def _title_walk(where: ActivityFilter, params: dict[str, Any], extra: Sequence[str] = ()
                ) -> str:
    """The activities matching the filters (and ``extra`` conditions), read in title order
    from the ``(_title_key, id)`` index: cheap when many match, as it stops at the page."""
    clauses = ["f._title_key IS NOT NULL AND f.id IS NOT NULL", *_conditions(where, params),
               *extra]
    return (f"MATCH (f:Activity) USING INDEX f:Activity(_title_key, id) "
            f"WHERE {' AND '.join(clauses)} ")


def _rows_of(records: list[dict[str, Any]]) -> list[ActivityRow]:
    return [ActivityRow(r["id"], r["title"], r.get("text") or "", r["lat"], r["lon"],
                        bool(r.get("via"))) for r in records]


def match_activities(read: Read, where: ActivityFilter, page: tuple[int, int] | None
                     ) -> tuple[list[ActivityRow], int]:
    """``GraphStore.match_activities`` in Cypher, in one read transaction."""
    if page is not None and where.terms is None and _by_index(where):
        return _page_by_index(read, where, page)
    params: dict[str, Any] = {"today": today_iso()}
    match = _matching(where, params)
    if match is None:
        return [], 0
    row = "[x IN rows | [x[0].id, x[0].title, x[0]._text, x[0].lat, x[0].lon, x[1]]]"
    if page is None:  # possibly thousands: one record (a record costs the driver most)
        query = f"{match} WITH collect([f, via]) AS rows RETURN size(rows) AS total, {row} AS rows"
    else:  # the count and the page from one pass over the matches
        query = (f"{match} WITH f, via ORDER BY f._title_key, f.id "
                 "WITH collect([f, via]) AS found WITH size(found) AS total, "
                 f"found[$offset..$end] AS rows RETURN total, {row} AS rows")
        params.update(offset=page[0], end=page[0] + page[1] if page[1] >= 0 else 2**31 - 1)

    def work(tx: Any) -> tuple[list[dict[str, Any]], int]:
        record = tx.run(query, params).single()
        keys = ("id", "title", "text", "lat", "lon", "via")
        return [dict(zip(keys, r, strict=True)) for r in record["rows"]], int(record["total"])

    found, total = read(work)
    return _rows_of(found), total


def typo_candidates(read: Read, where: ActivityFilter, pieces: Sequence[Sequence[str]],
                    limit: int) -> list[ActivityRow]:
    """``GraphStore.typo_candidates`` in one statement: each entry's best hits from the
    activity index; the first entry's nodes, read as they come out of the index, kept when
    among the others' hits and passing the filters (no second lookup by id)."""
    queries = [lucene_query([(piece,) for piece in entry], "any", field="_text")
               for entry in pieces]
    if not queries:
        return []
    params: dict[str, Any] = {"today": today_iso(), "limit": limit}
    calls, clauses = [], []
    for n, query in enumerate(queries):
        if query is None:
            return []
        params[f"q{n}"] = query
        calls.append(f"CALL () {{ CALL db.index.fulltext.queryNodes('{ACTIVITY_INDEX}', "
                     f"$q{n}, {{limit: $limit}}) YIELD node "
                     f"RETURN {'collect(node)' if n == 0 else 'collect(node.id)'} AS c{n} }} ")
        if n:
            clauses.append(f"f.id IN c{n}")
    clauses += _conditions(replace(where, ids=None), params)
    if where.ids is not None:
        params["ids"] = sorted(where.ids)
        clauses.append("f.id IN $ids")
    if where.area_codes is not None:
        params["codes"] = sorted(where.area_codes)
        clauses.append(_MEMBER)
    query = ("".join(calls) + "UNWIND c0 AS f WITH f" + "".join(f", c{n}" for n in
             range(1, len(queries))) + (" WHERE " + " AND ".join(clauses) if clauses else "")
             + " RETURN collect([f.id, f.title, f._text, f.lat, f.lon]) AS rows")

    def work(tx: Any) -> list[list[Any]]:
        return list(tx.run(query, params).single()["rows"])

    return [ActivityRow(i, title, text or "", lat, lon) for i, title, text, lat, lon
            in read(work)]


def _page_by_index(read: Read, where: ActivityFilter, page: tuple[int, int]
                   ) -> tuple[list[ActivityRow], int]:
    """A page in title order of the activities matching only filters: the count from the
    facet tokens, the page sorted from the hits when few, else walked in title order."""
    offset, limit = page
    wanted = offset + limit if limit >= 0 else 2**31 - 1
    params: dict[str, Any] = {"today": today_iso(), "wanted": wanted,
                              "q": " ".join(facet_clauses(where))}
    extra = _irregular_area(where, params) if where.area_codes else None
    columns = ("f.id AS id, f.title AS title, f._text AS text, f.lat AS lat, f.lon AS lon, "
               "f._title_key AS k")
    first = f"WITH f ORDER BY f._title_key, f.id LIMIT $wanted RETURN {columns}"

    def work(tx: Any) -> tuple[list[dict[str, Any]], int]:
        if params["q"]:
            total = int(tx.run(_query_nodes("$q", "node") + "RETURN count(*) AS c",
                               params).single()["c"])
        else:
            total = int(tx.run("MATCH (f:Activity) RETURN count(f) AS c").single()["c"])
        irregular = [r.data() for r in tx.run(extra + first, params)] if extra else []
        total += len(irregular)
        if total <= offset or limit == 0:
            return [], total
        if params["q"] and total <= SORT_LIMIT:
            found = [r.data() for r in tx.run(_query_nodes("$q") + first, params)]
        else:  # many: in title order, each checked (an area exactly)
            # in the area: its ``_areas`` say so, or (a placement with an end date) exactly
            member = ([f"({_INDEXED_MEMBER} OR (f._area_dated > 0 AND {_MEMBER}))"]
                      if where.area_codes else [])
            found = [r.data() for r in tx.run(_title_walk(where, params, member) + first,
                                              params)]
            irregular = []
        found = sorted(found + irregular, key=lambda r: (r["k"], r["id"]))
        return found[offset:wanted], total

    found, total = read(work)
    return _rows_of(found), total


# One term group's best score for ``f``: as ``directory.relevance.raw_relevance``.
_BEST = ("reduce(best = 0.0, s IN [a IN g | CASE WHEN f._title_words CONTAINS a THEN "
         "CASE WHEN f._title_words CONTAINS (' ' + a) THEN 2.5 ELSE 2.0 END "
         "WHEN f._text CONTAINS a THEN 1.0 ELSE 0.0 END] | "
         "CASE WHEN s > best THEN s ELSE best END)")
_SUM = f"reduce(total = 0.0, g IN $score_terms | total + {_BEST})"
_SCORE = f"{_SUM} / size($score_terms)"
_HAS_ALL = "all(g IN $score_terms WHERE any(a IN g WHERE f._text CONTAINS a))"


def rank_activities(read: Read, where: ActivityFilter, page: tuple[int, int]) -> Ranked:
    """``GraphStore.rank_activities`` in Cypher: the count and the ranked page, in one
    read transaction; only the page's rows come back."""
    groups = [tuple(t) for t in where.terms or []]
    indexed = where.mode == "all" and bool(groups) and usable_terms(groups) == groups
    if indexed and _by_index(where):
        return _rank_by_index(read, where, groups, page)
    params: dict[str, Any] = {"today": today_iso(), "score_terms": [list(g) for g in groups]}
    match = _matching(where, params)
    if match is None or not groups:
        return [], 0
    offset, limit = page
    params.update(offset=offset, end=offset + limit if limit >= 0 else 2**31 - 1)
    ranked = (f"{match} WITH f, via, {_SCORE} AS s "  # the count and the page in one pass
              "WITH f, via, CASE WHEN via AND s < 1.0 THEN 1.0 ELSE s END AS score "
              "ORDER BY score DESC, f._title_key, f.id WITH collect([f, via, score]) AS found "
              "RETURN size(found) AS total, [x IN found[$offset..$end] | [x[0].id, x[0].title, "
              "x[0].lat, x[0].lon, x[1], x[2]]] AS rows")

    def work(tx: Any) -> tuple[list[dict[str, Any]], int]:
        record = tx.run(ranked, params).single()
        keys = ("id", "title", "lat", "lon", "via", "score")
        return [dict(zip(keys, r, strict=True)) for r in record["rows"]], int(record["total"])

    found, total = read(work)
    return [(row, round(float(r["score"]), 4))
            for row, r in zip(_rows_of(found), found, strict=True)], total


def _mark_via(tx: Any, rows: list[dict[str, Any]], params: dict[str, Any]
              ) -> list[dict[str, Any]]:
    """A page's own matches whose organisation's name matches too are ``via`` as well."""
    mine = [r["id"] for r in rows if not r.get("via")]
    if not mine:
        return rows
    also = {r["id"] for r in tx.run(
        "UNWIND $ids AS i MATCH (f:Node {id: i}) WHERE EXISTS { MATCH (f)-[e:OFFERED_BY]"
        f"->(o:Organisation) WHERE {_CURRENT} AND all(g IN $score_terms WHERE "
        "any(a IN g WHERE o._text CONTAINS a)) } RETURN i AS id", params, ids=mine)}
    return [{**r, "via": r.get("via") or r["id"] in also} for r in rows]


def via_query(groups: Sequence[Sequence[str]], where: ActivityFilter) -> str:
    """Activities found only through the name of an organisation offering them (every term
    in ``_org``, not every term in their own text), scored on their own text as in
    ``ranked_query``; such a match scores at least ``len(groups)`` (applied after)."""
    org = " ".join("+" + _one_of("_org", group) for group in groups)
    own = " ".join("+" + _one_of("_text", group) for group in groups)
    clauses = [f"+({org})^0", f"-({own})"]
    for group in groups:
        clauses += [_one_of("_text", group), _one_of("_title_words", group),
                    _one_of("_title_words", group, start=True) + "^0.5"]
    return " ".join(clauses + facet_clauses(where))


_ORG_HAS_ALL = "all(g IN $score_terms WHERE any(a IN g WHERE coalesce(f._org, '') CONTAINS a))"
# What ``_org`` leaves out: relations with an end date (still current) and activities that
# several organisations offer; both are few, and found through their own indexes.
_IRREGULAR_VIA = (
    "CALL () { MATCH (f:Activity)-[e:OFFERED_BY]->(o:Organisation) "
    "USING INDEX e:OFFERED_BY(until) WHERE e.until > $today "
    "RETURN f, o UNION MATCH (f:Activity) USING INDEX f:Activity(_orgs) WHERE f._orgs > 1 "
    "MATCH (f)-[e:OFFERED_BY]->(o:Organisation) WHERE e.until IS NULL RETURN f, o } "
    "WITH f, o WHERE all(g IN $score_terms WHERE any(a IN g WHERE o._text CONTAINS a)) ")


def _rank_by_index(read: Read, where: ActivityFilter, groups: list[tuple[str, ...]],
                   page: tuple[int, int]) -> Ranked:
    """Ranking by the activity index's score (``ranked_query``: ``len(groups)`` times the
    relevance; ``via_query`` for matches through the organisation, which score at least
    ``len(groups)``). The scores' histograms give the count and the lowest score on the
    page (the floor), all from the index. The hits above the floor come from the index,
    best first; at the floor they are sorted when few. Many at the lowest score (every
    term in the text, none in the title, or only through the organisation) are read in
    title order from the title index instead: such titles do not cluster. Activities
    that ``_org`` or ``_areas`` do not show (relations with an end date, several
    organisations) are looked up and ranked here."""
    n = len(groups)
    params: dict[str, Any] = {
        "today": today_iso(), "q": ranked_query(groups, where), "q_via": via_query(groups, where),
        "score_terms": [list(g) for g in groups], "n": float(n)}
    conditions = _conditions(where, params)
    offset, limit = page

    def histogram(tx: Any, query: str) -> dict[float, int]:
        return {float(r["s"]): int(r["c"]) for r in tx.run(
            _query_nodes(query, "score") + "RETURN score AS s, count(*) AS c", params)}

    def top(tx: Any, query: str, count: int, via: bool, wanted: int
            ) -> list[dict[str, Any]]:
        """The first ``wanted`` of the ``count`` best hits of a query (the index hands over
        exactly the best ``count``)."""
        if count <= 0:
            return []
        return [{**r.data(), "via": via} for r in tx.run(
            _query_nodes(query + ", {limit: $top}") + "WITH f, score "
            "ORDER BY score DESC, f._title_key, f.id LIMIT $wanted "  # read the rest after
            f"RETURN {_ROW}, score", params, top=count, wanted=wanted)]

    irregular = " AND ".join([*conditions, f"NOT {_HAS_ALL}", f"NOT {_ORG_HAS_ALL}",
                              *([_INDEXED_MEMBER] if where.area_codes else [])])
    # in the areas, though ``_areas`` does not show it: own match or via the organisation
    in_area = "" if not where.area_codes else (
        _irregular_area(where, params) + f"WITH f, {_HAS_ALL} AS own, EXISTS {{ MATCH (f)"
        f"-[e:OFFERED_BY]->(o:Organisation) WHERE {_CURRENT} AND all(g IN $score_terms "
        "WHERE any(a IN g WHERE o._text CONTAINS a)) } AS via WHERE own OR via "
        f"WITH f, own, {_SUM} AS s RETURN {_ROW}, "
        "CASE WHEN NOT own AND s < $n THEN $n ELSE s END AS score, NOT own AS via")

    def work(tx: Any) -> tuple[list[dict[str, Any]], int]:
        own = histogram(tx, "$q")
        via = histogram(tx, "$q_via")
        dated = [{**r.data(), "via": True} for r in tx.run(
            f"{_IRREGULAR_VIA} AND {irregular} WITH DISTINCT f WITH f, {_SUM} AS s "
            f"RETURN {_ROW}, CASE WHEN s < $n THEN $n ELSE s END AS score", params)]
        if in_area:
            dated += [r.data() for r in tx.run(in_area, params)]
        tiers = dict(own)
        for score, count in via.items():
            tiers[max(score, n)] = tiers.get(max(score, n), 0) + count
        for row in dated:
            tiers[row["score"]] = tiers.get(row["score"], 0) + 1
        total = sum(tiers.values())
        if total <= offset or limit == 0:
            return [], total
        wanted = offset + limit if limit >= 0 else total
        floor, reached = 0.0, 0
        for score in sorted(tiers, reverse=True):
            floor, reached = score, reached + tiers[score]
            if reached >= wanted:
                break

        def at_least(hist: dict[float, int], score: float) -> int:
            return sum(c for s, c in hist.items() if s >= score)

        found = [r for r in dated if r["score"] >= floor]
        own_base = own.get(float(n), 0) if floor == n else 0
        via_base = at_least(via, -1.0) - at_least(via, n + 0.25) if floor == n else 0
        if where.area_codes or own_base + via_base <= SORT_LIMIT:
            # few at the floor (or in an area, where a walk could read every title): the
            # index's best, sorted
            found += top(tx, "$q", at_least(own, floor), False, wanted)
            found += top(tx, "$q_via", at_least(via, n + 0.25 if floor == n else floor),
                         True, wanted)
            if via_base:
                found += [{**r.data(), "via": True} for r in tx.run(
                    _query_nodes("$q_via") + "WITH f, score WHERE score <= $n "
                    f"WITH f ORDER BY f._title_key, f.id LIMIT $wanted RETURN {_ROW}, $n AS score",
                    params, wanted=wanted)]
        else:  # many at the lowest score: above it from the index, at it in title order
            found += top(tx, "$q", at_least(own, n + 0.25), False, wanted)
            found += top(tx, "$q_via", at_least(via, n + 0.25), True, wanted)
            own_at = f"({_HAS_ALL} AND {_SUM} = $n)"
            via_at = f"(NOT {_HAS_ALL} AND {_ORG_HAS_ALL} AND {_SUM} <= $n)"
            found += [r.data() for r in tx.run(
                _title_walk(where, params, [f"({own_at} OR {via_at})"])
                + f"RETURN {_ROW}, $n AS score, NOT {_HAS_ALL} AS via ORDER BY k, id "
                "LIMIT $wanted", params, wanted=wanted)]
        found.sort(key=lambda r: (-r["score"], r["k"], r["id"]))
        return _mark_via(tx, found[offset:wanted], params), total

    found, total = read(work)
    return [(row, round(float(r["score"]) / n, 4))
            for row, r in zip(_rows_of(found), found, strict=True)], total

