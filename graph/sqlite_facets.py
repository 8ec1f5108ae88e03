"""The embedded store's activity facets: a narrow table search filters and ranks on in SQL.

One row per activity (title key, title words, folded text, status, gemeente, position,
free, referral, and bit masks of life domains, target groups and days), kept in step
with the nodes table inside the same transactions. Ranking reproduces
``directory.relevance`` exactly, so only the requested page leaves SQLite.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from directory.facets import ActivityFilter, ActivityRow, activity_facets, facet_masks, mask
from directory.model import ACTIVITY, Node, today_iso
from directory.textsearch import usable_terms
from directory.vocabularies import LIFE_DOMAINS, TARGET_GROUPS, WEEKDAYS

Read = Callable[[str, Any], list[Any]]

SCHEMA = """
CREATE TABLE IF NOT EXISTS activity_facets (
    node_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    title_words TEXT NOT NULL,
    text TEXT NOT NULL,
    active INTEGER NOT NULL,
    gemeente TEXT,
    lat REAL,
    lon REAL,
    free INTEGER NOT NULL,
    referral INTEGER NOT NULL,
    domains INTEGER NOT NULL,
    targets INTEGER NOT NULL,
    days INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS activity_facets_title ON activity_facets (title_key, node_id);
CREATE INDEX IF NOT EXISTS activity_facets_lat ON activity_facets (lat);
CREATE INDEX IF NOT EXISTS activity_facets_gemeente ON activity_facets (gemeente);
"""

_EVERYONE = mask(TARGET_GROUPS, ["iedereen"])
_CURRENT = "(e.until IS NULL OR e.until > :today)"


def _fts_query(groups: list[tuple[str, ...]], joiner: str) -> str:
    return joiner.join("(" + " OR ".join('"' + t.replace('"', '""') + '"' for t in group) + ")"
                       for group in groups)


def index_facets(conn: sqlite3.Connection, nodes: Sequence[Node],
                 texts: dict[str, str] | None = None) -> None:
    """Insert or replace the facet rows of the activities among ``nodes`` (``texts``: their
    search texts by id, when already computed)."""
    rows = []
    for node in nodes:
        if node.kind != ACTIVITY:
            continue
        f = activity_facets(node, (texts or {}).get(node.id))
        domains, targets, days = facet_masks(f)
        rows.append((node.id, node.name, f.title_key, f.title_words, f.text,
                     int(f.active), f.gemeente, f.lat, f.lon, int(f.free), int(f.referral),
                     domains, targets, days))
    conn.executemany("INSERT OR REPLACE INTO activity_facets VALUES "
                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def rebuild_if_needed(conn: sqlite3.Connection, load: Callable[[], list[Node]]) -> None:
    """Fill the facets of a store made before they existed."""
    facets = conn.execute("SELECT count(*) FROM activity_facets").fetchone()[0]
    activities = conn.execute("SELECT count(*) FROM nodes WHERE kind = ?",
                              (ACTIVITY,)).fetchone()[0]
    if facets != activities:
        conn.execute("DELETE FROM activity_facets")
        index_facets(conn, load())


def _conditions(where: ActivityFilter, params: dict[str, Any]) -> list[str]:
    clauses: list[str] = []
    if not where.include_stopped:
        clauses.append("f.active = 1")
    if where.ids is not None:
        params["ids"] = json.dumps(sorted(where.ids))
        clauses.append("f.node_id IN (SELECT value FROM json_each(:ids))")
    if where.area_codes is not None:
        params["codes"] = json.dumps(sorted(where.area_codes))
        clauses.append(
            "(f.node_id IN (SELECT e.src FROM edges e WHERE e.type = 'IN_AREA' AND "
            f"e.dst IN (SELECT value FROM json_each(:codes)) AND {_CURRENT}) OR "
            "(f.gemeente IN (SELECT value FROM json_each(:codes)) AND NOT EXISTS "
            "(SELECT 1 FROM edges e WHERE e.src = f.node_id AND e.type = 'IN_AREA' AND "
            f"{_CURRENT})))")
    if where.box is not None:
        params.update(zip(("lat0", "lat1", "lon0", "lon1"), where.box, strict=True))
        clauses.append("f.lat BETWEEN :lat0 AND :lat1 AND f.lon BETWEEN :lon0 AND :lon1")
    if where.domains:
        params["domains"] = mask(LIFE_DOMAINS, where.domains)
        clauses.append("(f.domains & :domains) != 0")
    if where.targets:
        params["targets"], params["everyone"] = mask(TARGET_GROUPS, where.targets), _EVERYONE
        clauses.append("((f.targets & :targets) != 0 OR (f.targets & :everyone) != 0 "
                       "OR f.targets = 0)")
    if where.days:
        params["days"] = mask(WEEKDAYS, where.days)
        clauses.append("(f.days & :days) != 0")
    if where.free:
        clauses.append("f.free = 1")
    if where.no_referral:
        clauses.append("f.referral = 0")
    return clauses


def _text_condition(where: ActivityFilter, params: dict[str, Any], read: Read
                    ) -> tuple[str | None, set[str]]:
    """The SQL condition of the text terms, and the ids matched through their organisation."""
    groups = usable_terms(where.terms or [])
    if not groups:
        return "0", set()
    params["q"] = _fts_query(groups, " AND " if where.mode == "all" else " OR ")
    params["q_org"] = _fts_query(groups, " AND ")
    via = {row[0] for row in read(
        "SELECT e.src FROM edges e WHERE e.type = 'OFFERED_BY' AND "
        "(e.until IS NULL OR e.until > ?) AND e.dst IN (SELECT node_id FROM search "
        "WHERE search MATCH ? AND kind = 'Organisation')", (params["today"], params["q_org"]))}
    params["via"] = json.dumps(sorted(via))
    return ("(f.node_id IN (SELECT node_id FROM search WHERE search MATCH :q AND "
            "kind = 'Activity') OR f.node_id IN (SELECT value FROM json_each(:via)))"), via


def match_activities(read: Read, where: ActivityFilter, page: tuple[int, int] | None
                     ) -> tuple[list[ActivityRow], int]:
    """``GraphStore.match_activities`` on the facets table."""
    params: dict[str, Any] = {"today": today_iso()}
    clauses = _conditions(where, params)
    via: set[str] = set()
    if where.terms is not None:
        condition, via = _text_condition(where, params, read)
        clauses.append(condition or "0")
    sql_where = " WHERE " + " AND ".join(clauses) if clauses else ""
    columns = "f.node_id, f.title, f.text, f.lat, f.lon"
    if page is None:
        rows = read(f"SELECT {columns} FROM activity_facets f{sql_where}", params)
        total = len(rows)
    else:
        total = int(read(f"SELECT count(*) FROM activity_facets f{sql_where}", params)[0][0])
        params["limit"], params["offset"] = page[1], page[0]
        rows = read(f"SELECT {columns} FROM activity_facets f{sql_where} "
                    "ORDER BY f.title_key, f.node_id LIMIT :limit OFFSET :offset",
                    params)
    return [ActivityRow(r[0], r[1], r[2], r[3], r[4], r[0] in via) for r in rows], total


def _best(group: tuple[str, ...], index: int, params: dict[str, Any]) -> str:
    """SQL for one term's best score: as ``directory.relevance.raw_relevance``."""
    cases = []
    for number, alt in enumerate(group):
        name = f"t{index}_{number}"
        params[name] = alt
        cases.append(f"CASE WHEN instr(f.title_words, :{name}) > 0 THEN "
                     f"CASE WHEN instr(f.title_words, ' ' || :{name}) > 0 THEN 2.5 ELSE 2.0 END "
                     f"WHEN instr(f.text, :{name}) > 0 THEN 1.0 ELSE 0.0 END")
    return cases[0] if len(cases) == 1 else "max(" + ", ".join(cases) + ")"


def rank_activities(read: Read, where: ActivityFilter, page: tuple[int, int]
                    ) -> tuple[list[tuple[ActivityRow, float]], int]:
    """``GraphStore.rank_activities`` on the facets table: one query, the total counted
    by a window function before the page is cut."""
    terms = where.terms or []
    if not terms:
        return [], 0
    params: dict[str, Any] = {"today": today_iso()}
    clauses = _conditions(where, params)
    condition, via = _text_condition(where, params, read)
    clauses.append(condition or "0")
    total_score = " + ".join(_best(tuple(group), i, params) for i, group in enumerate(terms))
    offset, limit = page
    params["limit"], params["offset"] = limit, offset
    rows = read(
        "SELECT node_id, title, lat, lon, via, CASE WHEN via AND s < 1.0 THEN 1.0 ELSE s END "
        "AS score, count(*) OVER () FROM (SELECT f.node_id, f.title, f.title_key, f.lat, "
        f"f.lon, f.node_id IN (SELECT value FROM json_each(:via)) AS via, "
        f"({total_score}) / {len(terms)}.0 AS s FROM activity_facets f WHERE "
        + " AND ".join(clauses) + ") ORDER BY score DESC, title_key, node_id "
        "LIMIT :limit OFFSET :offset", params)
    if rows:
        total = int(rows[0][6])
    else:
        total = int(read("SELECT count(*) FROM activity_facets f WHERE "
                         + " AND ".join(clauses), params)[0][0]) if offset else 0
    return [(ActivityRow(r[0], r[1], "", r[2], r[3], r[0] in via), round(float(r[5]), 4))
            for r in rows], total
