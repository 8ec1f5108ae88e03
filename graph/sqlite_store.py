"""The embedded store: the GraphStore protocol on one SQLite file.

WAL mode, foreign keys on, an FTS5 trigram index over folded text, every write
in a transaction, optimistic locking on ``version`` and an audit row per change.
One connection per thread, so a web server's thread pool can share one store.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import networkx as nx

from directory.accounts import AccountStore
from directory.errors import BackendUnavailable, Conflict, NotFound, ValidationError
from directory.facets import ActivityFilter, ActivityRow
from directory.model import (
    ACTIVITY,
    NAME_PROPERTY,
    AuditEntry,
    Edge,
    Node,
    now_iso,
    today_iso,
)
from directory.store import Direction, MatchMode
from directory.textsearch import search_text, usable_terms
from graph.common import (
    RELATION_ACTIONS,
    dumps,
    dumps_with,
    neighbours_by_parts,
    property_key,
    scrub,
    typo_candidates_by_parts,
)
from graph.sqlite_facets import SCHEMA as FACETS_SCHEMA
from graph.sqlite_facets import index_facets, rebuild_if_needed
from graph.sqlite_facets import match_activities as facets_match
from graph.sqlite_facets import rank_activities as facets_rank

SCHEMA_VERSION = 4  # 4: activity facets keep title_words

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    props TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    source TEXT,
    source_id TEXT
);
CREATE INDEX IF NOT EXISTS nodes_kind_name ON nodes (kind, name, id);
CREATE UNIQUE INDEX IF NOT EXISTS nodes_source ON nodes (source, source_id)
    WHERE source IS NOT NULL AND source_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS edges (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    src TEXT NOT NULL REFERENCES nodes (id),
    dst TEXT NOT NULL REFERENCES nodes (id),
    props TEXT NOT NULL,
    since TEXT,
    until TEXT
);
CREATE INDEX IF NOT EXISTS edges_src ON edges (src, type);
CREATE INDEX IF NOT EXISTS edges_dst ON edges (dst, type);
CREATE INDEX IF NOT EXISTS edges_type ON edges (type);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT,
    after TEXT
);
CREATE INDEX IF NOT EXISTS audit_target ON audit (target, id);
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5 (
    text, kind UNINDEXED, node_id UNINDEXED, tokenize = 'trigram'
);
"""

# Audit entries about a node: its own, and those of relations that end at it.
_ABOUT = ("(target = ? OR (action IN ('relate', 'end', 'update_relation') AND "
          "(json_extract(after, '$.dst') = ? OR json_extract(before, '$.dst') = ?)))")
assert all(action in _ABOUT for action in RELATION_ACTIONS)

_DELETE_TEXT = "DELETE FROM search WHERE rowid = (SELECT rowid FROM nodes WHERE id = ?)"

_NODE_COLUMNS = "id, kind, props, version, created_at, updated_at, source, source_id"


def _props(text: str) -> dict[str, Any]:
    """Stored props as a fresh dict; the common empty ones without running the decoder."""
    if text == "{}":
        return {}
    props: dict[str, Any] = json.loads(text)
    return props


def _node_from_row(row: Sequence[Any]) -> Node:
    return Node(id=row[0], kind=row[1], props=_props(row[2]), version=row[3],
                created_at=row[4], updated_at=row[5], source=row[6], source_id=row[7])


def _edge_from_row(row: Sequence[Any]) -> Edge:
    # positional and with the empty props inline: this runs for every edge read
    return Edge(row[1], row[2], row[3], {} if row[4] == "{}" else json.loads(row[4]),
                row[5], row[6], row[0])


def _decode_all(texts: list[str]) -> list[Any]:
    """Many JSON texts decoded at once (one decoder call instead of one per text)."""
    decoded: list[Any] = json.loads("[" + ",".join(texts) + "]")
    return decoded


def _present(names: Sequence[str], values: list[Any]) -> dict[str, Any]:
    """Names with their values, leaving out the ones that are null or missing."""
    return {k: v for k, v in zip(names, values, strict=False) if v is not None}


def _graph_of(edges: Sequence[Sequence[Any]], ends: Sequence[Sequence[Any]]
              ) -> nx.MultiDiGraph[str]:
    """The projection from edge rows (id, type, src, dst, props) and rows of (id, kind,
    name) covering their ends: nodes with ``kind``/``name``, edges keyed by id with
    ``type`` and their props."""
    named = {row[0]: {"kind": row[1], "name": row[2]} for row in ends}
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    graph.add_nodes_from((node, named[node]) for node in dict.fromkeys(
        end for row in edges for end in (row[2], row[3])))
    for row in edges:
        graph.add_edge(row[2], row[3], key=row[0], type=row[1], **_props(row[4]))
    return graph


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SqliteStore:
    """GraphStore on an SQLite file (``:memory:`` is refused: threads need one file)."""

    def __init__(self, path: str) -> None:
        self.path = os.path.abspath(os.path.expanduser(path))
        self.url = f"sqlite:///{self.path}"
        folder = os.path.dirname(self.path)
        if not os.path.isdir(folder):
            raise BackendUnavailable(f"map bestaat niet: {folder}")
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._conn()  # fail early when the file cannot be opened

    # -- connections and transactions ------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, isolation_level=None,
                                       check_same_thread=False, timeout=30)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA foreign_keys=ON")
                conn.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.DatabaseError as exc:
                raise BackendUnavailable(f"kan database {self.path} niet openen: {exc}") from exc
            self._local.conn = conn
            self._local.depth = 0
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def transaction(self, actor: str = "system") -> Iterator[None]:
        with self._scope("BEGIN IMMEDIATE"):
            yield

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._scope("BEGIN"):  # deferred: a read snapshot, no write lock
            yield

    @contextmanager
    def _scope(self, begin: str) -> Iterator[None]:
        """One SQLite transaction opened with ``begin``; nested scopes join the outer one."""
        conn = self._conn()
        if self._local.depth:
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        try:
            conn.execute(begin)
        except sqlite3.OperationalError as exc:
            raise BackendUnavailable(f"database is bezet of onbereikbaar: {exc}") from exc
        self._local.depth = 1
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
        finally:
            self._local.depth = 0

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._conn().execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                raise BackendUnavailable(
                    "de database is nog niet aangemaakt: voer eerst 'wijkkaart init' uit"
                ) from exc
            raise

    def _stored_version(self) -> int | None:
        """The schema version the file says it has (None: a new or foreign file)."""
        try:
            row = self._conn().execute(
                "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError:  # no meta table yet, or not a database (said below)
            return None
        return int(row[0]) if row is not None else None

    def init(self) -> None:
        # Every command calls init: a current store is only read here, never written
        # (every schema change raises SCHEMA_VERSION, so "current" means "complete").
        if self._stored_version() == SCHEMA_VERSION:
            return
        conn = self._conn()
        try:
            conn.executescript(SCHEMA + FACETS_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise BackendUnavailable(f"{self.path} is geen Wijkkaart-database: {exc}") from exc
        with self.transaction("init"):
            stored = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                                  ).fetchone()
            if stored is not None and int(stored[0]) < 3:  # full-text rows keyed by node id
                conn.execute("DELETE FROM search")
                self._index(self.find_nodes(), replace=False)
            if stored is not None and int(stored[0]) < 4:  # facets gained title_words
                conn.execute("DROP TABLE activity_facets")
                for statement in FACETS_SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
            rebuild_if_needed(conn, lambda: self.find_nodes(ACTIVITY))
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                         (str(SCHEMA_VERSION),))

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def accounts(self) -> AccountStore:
        """The web app's accounts, kept in this file apart from the graph."""
        from graph.sqlite_accounts import SqliteAccounts

        return SqliteAccounts(self)

    # -- nodes ---------------------------------------------------------------------------

    def get_node(self, node_id: str) -> Node:
        rows = self._read(f"SELECT {_NODE_COLUMNS} FROM nodes WHERE id = ?", (node_id,))
        if not rows:
            raise NotFound(f"niet gevonden: {node_id}")
        return _node_from_row(rows[0])

    def get_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Node] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._read(f"SELECT {_NODE_COLUMNS} FROM nodes WHERE id IN ({marks})",
                                  chunk):
                found[row[0]] = _node_from_row(row)
        return found

    def find_nodes(self, kind: str | None = None, where: Mapping[str, Any] | None = None, *,
                   limit: int | None = None, offset: int = 0) -> list[Node]:
        clauses, params = self._where(kind, where)
        sql = f"SELECT {_NODE_COLUMNS} FROM nodes"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
        return [_node_from_row(row) for row in self._read(sql, params)]

    @staticmethod
    def _where(kind: str | None, where: Mapping[str, Any] | None) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if kind is not None:
            clauses.append("kind = ?")
            params.append(kind)
        name_key = None if kind is None else NAME_PROPERTY.get(kind, "name")
        for key, value in (where or {}).items():
            if key in ("source", "source_id", "id"):
                clauses.append(f"{key} = ?")
            elif key.replace("_", "").isalnum():
                if key == name_key and isinstance(value, str):
                    # the indexed name column holds this property's text: it finds the few
                    # candidates, the property itself still decides
                    clauses.append("name = ?")
                    params.append(value)
                clauses.append(f"json_extract(props, '$.{key}') = ?")
            else:
                raise ValidationError.field(key, "ongeldige eigenschapsnaam")
            params.append(int(value) if isinstance(value, bool) else value)
        return clauses, params

    def count_nodes(self, kind: str | None = None) -> int:
        if kind is None:
            return int(self._read("SELECT count(*) FROM nodes")[0][0])
        return int(self._read("SELECT count(*) FROM nodes WHERE kind = ?", (kind,))[0][0])

    def node_values(self, kind: str, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        names = [property_key(key) for key in keys]
        if not names:
            return {row[0]: {} for row in self._read("SELECT id FROM nodes WHERE kind = ?",
                                                     (kind,))}
        # json_extract with two or more paths parses props once and answers one JSON
        # array of the values (null where missing), keeping lists and booleans as they are
        paths = ", ".join(f"'$.{k}'" for k in (names if len(names) > 1 else names * 2))
        rows = self._read(f"SELECT id, json_extract(props, {paths}) FROM nodes WHERE kind = ?",
                          (kind,))
        found = _decode_all([row[1] for row in rows])
        return {row[0]: dict(zip(names, values, strict=False)) if None not in values
                else _present(names, values) for row, values in zip(rows, found, strict=True)}

    def put_node(self, node: Node, *, actor: str = "system") -> Node:
        return self.put_nodes([node], actor=actor)[0]

    def put_nodes(self, nodes: Sequence[Node], *, actor: str = "system") -> list[Node]:
        stamp = now_iso()
        new = [node for node in nodes if node.version == 0]
        old = [node for node in nodes if node.version != 0]
        with self.transaction(actor):
            stored = self._insert_nodes(new, stamp, actor) if new else []
            stored += [self._update_node(node, stamp, actor) for node in old]
        by_id = {node.id: node for node in stored}
        return [by_id[node.id] for node in nodes]

    def _insert_nodes(self, nodes: Sequence[Node], stamp: str, actor: str) -> list[Node]:
        conn = self._conn()
        stored = [Node(n.id, n.kind, dict(n.props), 1, n.created_at or stamp,
                       n.updated_at or stamp, n.source, n.source_id) for n in nodes]
        props = [dumps(n.props) for n in stored]  # encoded once, for the row and the audit
        try:
            conn.executemany(
                "INSERT INTO nodes (id, kind, name, props, version, created_at, updated_at,"
                " source, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(n.id, n.kind, n.name, p, 1, n.created_at, n.updated_at, n.source,
                  n.source_id) for n, p in zip(stored, props, strict=True)])
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"bestaat al (id of bronsleutel dubbel): {exc}") from exc
        self._index(stored, replace=False)
        conn.executemany(
            "INSERT INTO audit (at, actor, action, target, before, after)"
            " VALUES (?, ?, 'create', ?, NULL, ?)",
            [(stamp, actor, n.id, dumps_with(n.as_dict(), "props", p))
             for n, p in zip(stored, props, strict=True)])
        return stored

    def _update_node(self, node: Node, stamp: str, actor: str) -> Node:
        before = self.get_node(node.id)
        if before.version != node.version:
            raise Conflict(
                f"{before.name or node.id} is intussen door iemand anders gewijzigd "
                f"(versie {node.version}, opgeslagen {before.version})")
        after = Node(id=node.id, kind=before.kind, props=dict(node.props),
                     version=before.version + 1, created_at=before.created_at,
                     updated_at=stamp, source=node.source, source_id=node.source_id)
        try:
            cursor = self._conn().execute(
                "UPDATE nodes SET name = ?, props = ?, version = ?, updated_at = ?, source = ?,"
                " source_id = ? WHERE id = ? AND version = ?",
                (after.name, dumps(after.props), after.version, stamp, after.source,
                 after.source_id, node.id, node.version))
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"bronsleutel bestaat al bij een andere knoop: {exc}") from exc
        if cursor.rowcount != 1:
            raise Conflict(f"{node.id} is intussen door iemand anders gewijzigd")
        self._index([after], replace=True)
        self._audit(actor, "update", node.id, before.as_dict(), after.as_dict(), stamp)
        return after

    def _index(self, nodes: Sequence[Node], *, replace: bool) -> None:
        # A node's full-text row has the node's own rowid, so replacing or deleting it is
        # a key lookup rather than a scan of the whole index (nothing here VACUUMs).
        conn = self._conn()
        rowid = self._rowids([n.id for n in nodes])
        if replace:
            conn.executemany("DELETE FROM search WHERE rowid = ?", [(rowid[n.id],) for n in nodes])
        rows = [(rowid[n.id], search_text(n), n.kind, n.id) for n in nodes]
        conn.executemany("INSERT INTO search (rowid, text, kind, node_id) VALUES (?, ?, ?, ?)",
                         [row for row in rows if row[1]])
        index_facets(conn, nodes, {node_id: text for _, text, _, node_id in rows})

    def _rowids(self, ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update((row[1], row[0]) for row in self._conn().execute(
                f"SELECT rowid, id FROM nodes WHERE id IN ({marks})", chunk))
        return found

    def delete_node(self, node_id: str, *, version: int, actor: str = "system") -> None:
        with self.transaction(actor):
            before = self.get_node(node_id)
            if before.version != version:
                raise Conflict(f"{before.name} is intussen door iemand anders gewijzigd")
            if self.edges(node_id):
                raise Conflict(
                    f"{before.name} heeft nog relaties; beëindig die in plaats van te verwijderen")
            conn = self._conn()
            conn.execute(_DELETE_TEXT, (node_id,))
            conn.execute("DELETE FROM activity_facets WHERE node_id = ?", (node_id,))
            conn.execute("DELETE FROM nodes WHERE id = ?", (node_id,))
            self._audit(actor, "delete", node_id, before.as_dict(), None, now_iso())

    def _audit(self, actor: str, action: str, target: str, before: dict[str, Any] | None,
               after: dict[str, Any] | None, stamp: str) -> None:
        self._conn().execute(
            "INSERT INTO audit (at, actor, action, target, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (stamp, actor, action, target, None if before is None else dumps(before),
             None if after is None else dumps(after)))

    # -- edges ---------------------------------------------------------------------------

    def add_edge(self, edge: Edge, *, actor: str = "system") -> Edge:
        return self.add_edges([edge], actor=actor)[0]

    def add_edges(self, edges: Sequence[Edge], *, actor: str = "system") -> list[Edge]:
        stamp = now_iso()
        with self.transaction(actor):
            conn = self._conn()
            stored = self._numbered(edges, self._next_edge_id() if edges else 1)
            try:
                conn.executemany(
                    "INSERT INTO edges (id, type, src, dst, props, since, until)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(e.id, e.type, e.src, e.dst, dumps(e.props), e.since, e.until)
                     for e in stored])
            except sqlite3.IntegrityError as exc:
                raise self._dangling(stored) from exc
            conn.executemany(
                "INSERT INTO audit (at, actor, action, target, before, after)"
                " VALUES (?, ?, 'relate', ?, NULL, ?)",
                [(stamp, actor, e.src, dumps(e.as_dict())) for e in stored])
        return stored

    def _next_edge_id(self) -> int:
        """The id the next edge gets (as SQLite would pick it); call inside a write
        transaction, so no other writer can take it first."""
        row = self._conn().execute("SELECT coalesce(max(id), 0) FROM edges").fetchone()
        return int(row[0]) + 1

    @staticmethod
    def _numbered(edges: Sequence[Edge], first: int) -> list[Edge]:
        """The edges as they will be stored: consecutive ids from ``first``, since today
        when not given."""
        today = today_iso()
        return [Edge(e.type, e.src, e.dst, dict(e.props), e.since or today, e.until, edge_id)
                for edge_id, e in enumerate(edges, start=first)]

    def _dangling(self, edges: Sequence[Edge]) -> NotFound:
        """The error for a batch that failed its foreign keys, naming the first edge with
        an end that does not exist."""
        ends = {end for e in edges for end in (e.src, e.dst)}
        existing = set(self.get_nodes(ends))
        for e in edges:
            if e.src not in existing or e.dst not in existing:
                return NotFound(f"relatie {e.type} verwijst naar iets dat niet bestaat: "
                                f"{e.src} → {e.dst}")
        return NotFound("relatie verwijst naar iets dat niet bestaat")

    def get_edge(self, edge_id: int) -> Edge:
        rows = self._read("SELECT id, type, src, dst, props, since, until FROM edges"
                          " WHERE id = ?", (edge_id,))
        if not rows:
            raise NotFound(f"relatie {edge_id} niet gevonden")
        return _edge_from_row(rows[0])

    def update_edge(self, edge: Edge, *, actor: str = "system") -> Edge:
        if edge.id is None:
            raise NotFound("relatie zonder id")
        with self.transaction(actor):
            before = self.get_edge(edge.id)
            self._conn().execute("UPDATE edges SET props = ?, since = ?, until = ? WHERE id = ?",
                                 (dumps(edge.props), edge.since, edge.until, edge.id))
            after = Edge(type=before.type, src=before.src, dst=before.dst,
                         props=dict(edge.props), since=edge.since, until=edge.until, id=edge.id)
            action = "end" if before.until is None and edge.until else "update_relation"
            self._audit(actor, action, before.src, before.as_dict(), after.as_dict(), now_iso())
        return after

    def update_edges(self, edges: Sequence[Edge], *, actor: str = "system") -> list[Edge]:
        with self.transaction(actor):
            return [self.update_edge(edge, actor=actor) for edge in edges]

    def edges(self, node_id: str | None = None, *, types: Sequence[str] | None = None,
              direction: Direction = "both", current: bool | None = None) -> list[Edge]:
        clauses: list[str] = []
        params: list[Any] = []
        if node_id is not None:
            if direction == "out":
                clauses.append("src = ?")
                params.append(node_id)
            elif direction == "in":
                clauses.append("dst = ?")
                params.append(node_id)
            else:
                clauses.append("(src = ? OR dst = ?)")
                params += [node_id, node_id]
        return self._select_edges(clauses, params, types, current)

    def edges_between(self, types: Sequence[str], node_ids: Iterable[str],
                      direction: Direction = "out") -> list[Edge]:
        column = "src" if direction == "out" else "dst"
        ids = list(dict.fromkeys(node_ids))
        found: list[Edge] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            clause = f"{column} IN ({','.join('?' * len(chunk))})"
            found += self._select_edges([clause], list(chunk), types, None)
        return found

    def neighbours(self, node_ids: Iterable[str], types: Sequence[str],
                   direction: Direction = "out") -> tuple[list[Edge], dict[str, Node]]:
        return neighbours_by_parts(self, node_ids, types, direction)

    def _select_edges(self, clauses: list[str], params: list[Any],
                      types: Sequence[str] | None, current: bool | None) -> list[Edge]:
        if types:
            # With a node given, its src/dst index is the selective one: "+type" keeps
            # SQLite from walking the type index over every edge of that type instead.
            column = "+type" if clauses else "type"
            clauses.append(f"{column} IN ({','.join('?' * len(types))})")
            params += list(types)
        if current is not None:
            today = today_iso()
            clauses.append("(until IS NULL OR until > ?)" if current
                           else "(until IS NOT NULL AND until <= ?)")
            params.append(today)
        sql = "SELECT id, type, src, dst, props, since, until FROM edges"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return [_edge_from_row(row) for row in self._read(sql + " ORDER BY id", params)]

    # -- search, audit, dump ---------------------------------------------------------------

    def text_candidates(self, terms: Sequence[str | Sequence[str]], kind: str, *,
                        mode: MatchMode = "all", limit: int = 1000) -> list[tuple[str, float]]:
        groups = usable_terms(terms)
        if not groups:
            return []
        joiner = " AND " if mode == "all" else " OR "
        query = joiner.join("(" + " OR ".join(_fts_phrase(t) for t in group) + ")"
                            for group in groups)
        rows = self._read(
            "SELECT node_id, -bm25(search) FROM search WHERE search MATCH ? AND kind = ?"
            " ORDER BY bm25(search) LIMIT ?", (query, kind, limit))
        return [(row[0], float(row[1])) for row in rows]

    def typo_candidates(self, where: ActivityFilter, pieces: Sequence[Sequence[str]],
                        limit: int) -> list[ActivityRow]:
        return typo_candidates_by_parts(self, where, pieces, limit)

    def match_activities(self, where: ActivityFilter, *, page: tuple[int, int] | None = None
                         ) -> tuple[list[ActivityRow], int]:
        return facets_match(self._read, where, page)

    def rank_activities(self, where: ActivityFilter, page: tuple[int, int]
                        ) -> tuple[list[tuple[ActivityRow, float]], int]:
        return facets_rank(self._read, where, page)

    def projection(self, types: Sequence[str] | None = None) -> nx.MultiDiGraph[str]:
        typed = f" AND type IN ({','.join('?' * len(types))})" if types else ""
        edges = self._read("SELECT id, type, src, dst, props FROM edges WHERE"
                           f" (until IS NULL OR until > ?){typed} ORDER BY id",
                           [today_iso(), *(types or ())])
        # the kind and name of every end, from the nodes' columns (no props decoded); read
        # second and for ended edges too, so it covers every end even if an edge was added
        # or ended in between (edges are never removed, nodes with edges never deleted)
        ends = self._read(f"SELECT id, kind, name FROM nodes WHERE id IN (SELECT src FROM edges"
                          f" WHERE 1{typed} UNION SELECT dst FROM edges WHERE 1{typed})",
                          [*(types or ()), *(types or ())])
        return _graph_of(edges, ends)

    def audit(self, target: str | None = None, *, limit: int = 100,
              involving: bool = False) -> list[AuditEntry]:
        sql = "SELECT id, at, actor, action, target, before, after FROM audit"
        params: list[Any] = []
        if target is not None:
            sql += " WHERE " + _ABOUT if involving else " WHERE target = ?"
            params += [target, target, target] if involving else [target]
        rows = self._read(sql + " ORDER BY id DESC LIMIT ?", params + [limit])
        return [AuditEntry(id=r[0], at=r[1], actor=r[2], action=r[3], target=r[4],
                           before=None if r[5] is None else json.loads(r[5]),
                           after=None if r[6] is None else json.loads(r[6])) for r in rows]

    def erase_audit_values(self, target: str, fields: Sequence[str], *, actor: str) -> None:
        with self.transaction(actor):
            conn = self._conn()
            rows = conn.execute("SELECT id, before, after FROM audit WHERE " + _ABOUT,
                                (target, target, target)).fetchall()
            for audit_id, before, after in rows:
                conn.execute("UPDATE audit SET before = ?, after = ? WHERE id = ?",
                             (scrub(before, fields), scrub(after, fields), audit_id))
            self._audit(actor, "erase", target, None, {"erased_fields": list(fields)},
                        now_iso())

    def dump(self) -> Iterator[dict[str, Any]]:
        nodes, edges, audit = self._snapshot()
        for row in nodes:
            yield {"node": _node_from_row(row).as_dict()}
        for row in edges:
            yield {"edge": _edge_from_row(row).as_dict()}
        for entry in audit[::-1]:
            yield {"audit": entry.as_dict()}

    def _snapshot(self) -> tuple[list[Any], list[Any], list[AuditEntry]]:
        """Nodes, edges and audit read in one read transaction: one consistent state."""
        conn = self._conn()
        outer = bool(self._local.depth)
        if not outer:
            conn.execute("BEGIN")
        try:
            nodes = self._read(f"SELECT {_NODE_COLUMNS} FROM nodes ORDER BY id")
            edges = self._read("SELECT id, type, src, dst, props, since, until FROM edges"
                               " ORDER BY id")
            audit = self.audit(limit=-1)
        finally:
            if not outer:
                conn.execute("COMMIT")
        return nodes, edges, audit

    def load(self, records: Iterable[dict[str, Any]]) -> None:
        with self.transaction("restore"):
            conn = self._conn()
            for table in ("search", "activity_facets", "audit", "edges", "nodes"):
                conn.execute(f"DELETE FROM {table}")
            nodes: list[Node] = []
            for record in records:
                if "node" in record:
                    nodes.append(Node.from_dict(record["node"]))
                    continue
                if nodes:
                    self._load_nodes(nodes)
                    nodes = []
                if "edge" in record:
                    e = Edge.from_dict(record["edge"])
                    conn.execute("INSERT INTO edges (id, type, src, dst, props, since, until)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 (e.id, e.type, e.src, e.dst, dumps(e.props), e.since, e.until))
                elif "audit" in record:
                    a = record["audit"]
                    conn.execute(
                        "INSERT INTO audit (id, at, actor, action, target, before, after)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (a["id"], a["at"], a["actor"], a["action"], a["target"],
                         None if a["before"] is None else dumps(a["before"]),
                         None if a["after"] is None else dumps(a["after"])))
            if nodes:
                self._load_nodes(nodes)

    def _load_nodes(self, nodes: list[Node]) -> None:
        self._conn().executemany(
            "INSERT INTO nodes (id, kind, name, props, version, created_at, updated_at,"
            " source, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(n.id, n.kind, n.name, dumps(n.props), n.version, n.created_at, n.updated_at,
              n.source, n.source_id) for n in nodes])
        self._index(nodes, replace=False)

    def backup(self, path: str) -> None:
        target = os.path.abspath(os.path.expanduser(path))
        if os.path.exists(target):
            raise Conflict(f"{target} bestaat al; kies een nieuwe bestandsnaam")
        try:
            dest = sqlite3.connect(target)
        except sqlite3.DatabaseError as exc:
            raise ValidationError.field("pad", f"kan {target} niet schrijven: {exc}") from exc
        try:
            self._conn().backup(dest)
        finally:
            dest.close()

