"""The server store: the GraphStore protocol on a Neo4j 5 database over Bolt.

One driver (with its connection pool) per store; reads and writes outside an
explicit transaction run as managed transactions with the driver's retries;
batched ``UNWIND`` writes; parameters only (labels and relationship types are
checked against the model's fixed sets before they enter a pattern).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import networkx as nx
from neo4j import (
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationMinimumSeverity,
    Session,
    Transaction,
)

from directory.accounts import AccountStore
from directory.errors import BackendUnavailable, Conflict, NotFound
from directory.facets import ActivityFilter, ActivityRow
from directory.model import (
    ACTIVITY,
    EDGE_TYPES,
    ORGANISATION,
    AuditEntry,
    Edge,
    Node,
    now_iso,
    today_iso,
)
from directory.store import Direction, MatchMode
from directory.textsearch import search_text
from graph.common import RELATION_ACTIONS, dumps, property_key, scrub
from graph.neo4j_schema import (
    ACTIVITY_INDEX,
    ORGANISATION_INDEX,
    REFRESH_DERIVED,
    SCHEMA_VERSION,
    TEXT_INDEX,
    derived_defaults,
    edge_from,
    edge_row,
    label,
    node_from,
    node_row,
    rel_type,
    schema_statements,
    translated,
)
from graph.neo4j_search import lucene_query
from graph.neo4j_search import match_activities as cypher_match_activities
from graph.neo4j_search import rank_activities as cypher_rank_activities
from graph.neo4j_search import typo_candidates as cypher_typo_candidates

T = TypeVar("T")
Tx = Transaction | ManagedTransaction
BATCH = 5000


# Audit entries about a node: its own, and those of relations that end at it.
_ABOUT = ("(a.target = $target OR (a.action IN $relations AND "
          "(a.after CONTAINS $needle OR a.before CONTAINS $needle)))")


def _needle(node_id: str | None) -> str | None:
    return None if node_id is None else dumps({"dst": node_id})[1:-1]


# One edge by its id alone: one index lookup per relationship type.
_BY_ID = " UNION ".join(
    f"MATCH (a:Node)-[r:{t}]->(b:Node) WHERE r._id = $id "
    "RETURN type(r) AS t, a.id AS s, b.id AS d, properties(r) AS p" for t in EDGE_TYPES)


def _lock_writers(tx: Tx) -> None:
    """Take the store's write lock first: writers queue up instead of deadlocking
    (every write also takes the audit sequence, so they serialise there anyway)."""
    tx.run("MATCH (s:Sequence {name: 'audit'}) SET s.locked_at = timestamp()").consume()


DERIVED_FROM = ("OFFERED_BY", "IN_AREA")  # relations an activity's derived values read


def _new_row(node: Node) -> dict[str, Any]:
    """A node's stored row when it has no relations yet."""
    row = node_row(node)
    return {**row, **derived_defaults(node)} if node.kind == ACTIVITY else row


def _typed(types: Sequence[str]) -> str:
    """Relationship types, checked, as a pattern's type alternatives (``:A|B``)."""
    return ":" + "|".join(rel_type(t) for t in types) if types else ""


def _refresh_derived(tx: Tx, activity_ids: Iterable[str]) -> None:
    ids = sorted(set(activity_ids))
    for start in range(0, len(ids), BATCH):
        tx.run(REFRESH_DERIVED, ids=ids[start:start + BATCH]).consume()


def _dumps(value: Any) -> str | None:
    return None if value is None else dumps(value)


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class Neo4jStore:
    """GraphStore on Neo4j; ``url`` is ``neo4j://HOST:PORT[/DATABASE]`` or ``bolt://…``."""

    def __init__(self, url: str, user: str | None = None, password: str | None = None,
                 database: str | None = None) -> None:
        parts = urlsplit(url)
        self.database = database or parts.path.strip("/") or os.environ.get(
            "WIJKKAART_NEO4J_DATABASE") or None
        self.uri = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        self.url = url
        user = user if user is not None else os.environ.get("WIJKKAART_NEO4J_USER")
        password = password if password is not None else os.environ.get(
            "WIJKKAART_NEO4J_PASSWORD", "")
        with translated(self.url):
            self._driver: Driver = GraphDatabase.driver(
                self.uri, auth=(user, password) if user else None,
                connection_acquisition_timeout=20, max_transaction_retry_time=15,
                # the server's hints ("property does not exist yet" on an empty database)
                # are for developers; users see one clear line or nothing
                notifications_min_severity=NotificationMinimumSeverity.OFF)
            try:
                self._driver.verify_connectivity()
                with self._session() as session:  # the database exists and answers
                    session.run("RETURN 1").consume()
            except BaseException:
                self._driver.close()
                raise
        self._local = threading.local()

    # -- sessions and transactions ----------------------------------------------------------

    def _session(self) -> Session:
        return self._driver.session(database=self.database)

    @property
    def _tx(self) -> Transaction | None:
        return getattr(self._local, "tx", None)

    @contextmanager
    def transaction(self, actor: str = "system") -> Iterator[None]:
        if self._tx is not None:
            yield
            return
        with self._opened("tx") as tx:
            try:
                _lock_writers(tx)
                yield
            except BaseException:
                tx.rollback()
                raise
            else:
                tx.commit()

    @contextmanager
    def reading(self) -> Iterator[None]:
        if self._tx is not None or getattr(self._local, "reading", None) is not None:
            yield
            return
        with self._opened("reading"):  # nothing written: closing rolls it back
            yield

    @contextmanager
    def _opened(self, slot: str) -> Iterator[Transaction]:
        """A server transaction that this thread's reads and writes use (``slot``: ``tx``
        or ``reading``) while the block runs; closed after it."""
        with translated(self.url), self._session() as session:
            tx = session.begin_transaction()
            setattr(self._local, slot, tx)
            try:
                yield tx
            finally:
                setattr(self._local, slot, None)
                tx.close()

    def _write(self, work: Callable[[Tx], T]) -> T:
        if self._tx is not None:
            with translated(self.url):
                return work(self._tx)

        def locked(tx: Tx) -> T:
            _lock_writers(tx)
            return work(tx)

        with translated(self.url), self._session() as session:
            return session.execute_write(locked)

    def _read(self, work: Callable[[Tx], T]) -> T:
        tx = self._tx or getattr(self._local, "reading", None)
        if tx is not None:
            with translated(self.url):
                return work(tx)
        with translated(self.url), self._session() as session:
            return session.execute_read(work)

    def _rows(self, query: str, write: bool = False, **params: Any) -> list[dict[str, Any]]:
        def work(tx: Tx) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(query, params)]
        return self._write(work) if write else self._read(work)

    def _value(self, query: str, **params: Any) -> Any:
        """The first value of the one record a read query returns, as the driver gives it
        (``Record.data()`` would walk a long list once more)."""
        def work(tx: Tx) -> Any:
            record = tx.run(query, params).single()
            return None if record is None else record[0]
        return self._read(work)

    def init(self) -> None:
        with translated(self.url), self._session() as session:
            # Every command calls init: a current store is only read here, never written.
            found = session.run("OPTIONAL MATCH (s:Sequence {name: 'schema'}) "
                                "RETURN s.value AS v").single()
            if found is not None and found["v"] is not None and int(
                    found["v"]) >= SCHEMA_VERSION:
                return
            for statement in schema_statements():
                session.run(statement).consume()
            session.run("CALL db.awaitIndexes(300)").consume()
            session.run("UNWIND ['audit', 'edge'] AS name MERGE (s:Sequence {name: name}) "
                        "ON CREATE SET s.value = 0").consume()
            self._upgrade(session)

    @staticmethod
    def _upgrade(session: Session) -> None:
        """Bring stored activities to ``SCHEMA_VERSION``: each gets its whole stored row
        again (``node_row``: search facets, ``_title_words`` (version 2), ``_facets`` and
        ``_point`` (version 3)), and gets its derived values (version 3)."""
        while True:
            rows = [node_row(node_from(r["p"])) for r in session.run(
                "MATCH (f:Activity) WHERE f._facets IS NULL OR (f._point IS NULL AND "
                "f.lat IS NOT NULL AND f.lon IS NOT NULL) "
                "RETURN properties(f) AS p LIMIT 5000")]
            if not rows:
                break
            session.run("UNWIND $rows AS r MATCH (f:Node {id: r.id}) SET f += r",
                        rows=rows).consume()
        while True:  # version 3: what their relations say (``REFRESH_DERIVED``)
            ids = [r["id"] for r in session.run(
                "MATCH (f:Activity) WHERE f._areas IS NULL RETURN f.id AS id LIMIT $n",
                n=BATCH)]
            if not ids:
                break
            session.execute_write(_refresh_derived, ids)
        session.run("MERGE (s:Sequence {name: 'schema'}) SET s.value = $v",
                    v=SCHEMA_VERSION).consume()

    def close(self) -> None:
        self._driver.close()

    def accounts(self) -> AccountStore:
        """The web app's accounts: ``:Account`` nodes, never part of the directory graph."""
        from graph.neo4j_accounts import Neo4jAccounts

        return Neo4jAccounts(self)

    # -- ids --------------------------------------------------------------------------------

    @staticmethod
    def _next_ids(tx: Tx, name: str, count: int) -> list[int]:
        record = tx.run("MATCH (s:Sequence {name: $name}) SET s.value = s.value + $count "
                        "RETURN s.value AS last", name=name, count=count).single()
        if record is None:
            raise BackendUnavailable("de database is nog niet aangemaakt: voer eerst "
                                     "'wijkkaart init' uit")
        last = int(record["last"])
        return list(range(last - count + 1, last + 1))

    def _audit_rows(self, tx: Tx, rows: list[dict[str, Any]]) -> None:
        ids = self._next_ids(tx, "audit", len(rows))
        for row, audit_id in zip(rows, ids, strict=True):
            row["id"] = audit_id
        tx.run("UNWIND $rows AS row CREATE (a:Audit) SET a = row", rows=rows).consume()

    # -- nodes ------------------------------------------------------------------------------

    def get_node(self, node_id: str) -> Node:
        rows = self._rows("MATCH (n:Node {id: $id}) RETURN properties(n) AS p", id=node_id)
        if not rows:
            raise NotFound(f"niet gevonden: {node_id}")
        return node_from(rows[0]["p"])

    def get_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        wanted = list(dict.fromkeys(ids))
        rows = self._rows("UNWIND $ids AS id MATCH (n:Node {id: id}) RETURN properties(n) AS p",
                          ids=wanted) if wanted else []
        return {row["p"]["id"]: node_from(row["p"]) for row in rows}

    def find_nodes(self, kind: str | None = None, where: Mapping[str, Any] | None = None, *,
                   limit: int | None = None, offset: int = 0) -> list[Node]:
        match = f"MATCH (n:{label(kind)})" if kind else "MATCH (n:Node)"
        clauses, params = self._where(where)
        query = match + (" WHERE " + " AND ".join(clauses) if clauses else "")
        query += " RETURN properties(n) AS p ORDER BY toLower(n._name), n.id SKIP $offset"
        if limit is not None:
            query += " LIMIT $limit"
        rows = self._rows(query, offset=offset, limit=limit, **params)
        return [node_from(row["p"]) for row in rows]

    @staticmethod
    def _where(where: Mapping[str, Any] | None) -> tuple[list[str], dict[str, Any]]:
        clauses: list[str] = []
        params: dict[str, Any] = {}
        for i, (key, value) in enumerate((where or {}).items()):
            name = {"source": "_source", "source_id": "_source_id"}.get(key, key)
            clauses.append(f"n[$k{i}] = $v{i}")
            params[f"k{i}"], params[f"v{i}"] = name, value
        return clauses, params

    def count_nodes(self, kind: str | None = None) -> int:
        query = f"MATCH (n:{label(kind)})" if kind else "MATCH (n:Node)"
        return int(self._rows(query + " RETURN count(n) AS c")[0]["c"])

    def node_values(self, kind: str, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        names = [property_key(key) for key in keys]
        # the id and underscored names are the store's own bookkeeping, never props
        props = [None if k == "id" or k.startswith("_") else k for k in names]
        rows = self._rows(f"MATCH (n:{label(kind)}) RETURN n.id AS id, "
                          "[k IN $keys | CASE WHEN k IS NULL THEN null ELSE n[k] END] AS v",
                          keys=props)
        return {row["id"]: {k: v for k, v in zip(names, row["v"], strict=True) if v is not None}
                for row in rows}

    def put_node(self, node: Node, *, actor: str = "system") -> Node:
        return self.put_nodes([node], actor=actor)[0]

    def put_nodes(self, nodes: Sequence[Node], *, actor: str = "system") -> list[Node]:
        stamp = now_iso()

        def work(tx: Tx) -> list[Node]:
            stored = self._create(tx, [n for n in nodes if n.version == 0], stamp, actor)
            stored += [self._update(tx, n, stamp, actor) for n in nodes if n.version != 0]
            return stored

        by_id = {n.id: n for n in self._write(work)}
        return [by_id[n.id] for n in nodes]

    def _create(self, tx: Tx, nodes: Sequence[Node], stamp: str, actor: str) -> list[Node]:
        stored = [Node(n.id, n.kind, dict(n.props), 1, n.created_at or stamp,
                       n.updated_at or stamp, n.source, n.source_id) for n in nodes]
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for node in stored:
            by_kind.setdefault(label(node.kind), []).append(_new_row(node))
        for kind, rows in by_kind.items():
            for start in range(0, len(rows), BATCH):
                tx.run(f"UNWIND $rows AS row CREATE (n:Node:{kind}) SET n = row",
                       rows=rows[start:start + BATCH]).consume()
        if stored:
            self._audit_rows(tx, [{"at": stamp, "actor": actor, "action": "create",
                                   "target": n.id, "before": None,
                                   "after": _dumps(n.as_dict())} for n in stored])
        return stored

    def _update(self, tx: Tx, node: Node, stamp: str, actor: str) -> Node:
        # Take the write lock first, then read: a concurrent writer cannot slip in between.
        record = tx.run("MATCH (n:Node {id: $id}) SET n._lock = true RETURN properties(n) AS p",
                        id=node.id).single()
        if record is None:
            raise NotFound(f"niet gevonden: {node.id}")
        before = node_from(record["p"])
        if before.version != node.version:
            raise Conflict(
                f"{before.name or node.id} is intussen door iemand anders gewijzigd "
                f"(versie {node.version}, opgeslagen {before.version})")
        after = Node(node.id, before.kind, dict(node.props), before.version + 1,
                     before.created_at, stamp, node.source, node.source_id)
        tx.run("MATCH (n:Node {id: $id}) SET n = $row", id=node.id, row=node_row(after)).consume()
        if after.kind == ACTIVITY:
            _refresh_derived(tx, [node.id])
        elif after.kind == ORGANISATION and search_text(after) != search_text(before):
            # its activities are found by its name: only a new name changes them
            _refresh_derived(tx, [r["id"] for r in tx.run(
                "MATCH (f:Activity)-[:OFFERED_BY]->(:Node {id: $id}) RETURN f.id AS id",
                id=node.id)])
        self._audit_rows(tx, [{"at": stamp, "actor": actor, "action": "update", "target": node.id,
                               "before": _dumps(before.as_dict()),
                               "after": _dumps(after.as_dict())}])
        return after

    def delete_node(self, node_id: str, *, version: int, actor: str = "system") -> None:
        def work(tx: Tx) -> None:
            record = tx.run(
                "MATCH (n:Node {id: $id}) SET n._lock = true "
                "RETURN properties(n) AS p, COUNT { (n)--() } AS degree", id=node_id).single()
            if record is None:
                raise NotFound(f"niet gevonden: {node_id}")
            before = node_from(record["p"])
            if before.version != version:
                raise Conflict(f"{before.name} is intussen door iemand anders gewijzigd")
            if record["degree"]:
                raise Conflict(
                    f"{before.name} heeft nog relaties; beëindig die in plaats van te verwijderen")
            tx.run("MATCH (n:Node {id: $id}) DELETE n", id=node_id).consume()
            self._audit_rows(tx, [{"at": now_iso(), "actor": actor, "action": "delete",
                                   "target": node_id, "before": _dumps(before.as_dict()),
                                   "after": None}])
        self._write(work)

    # -- edges ------------------------------------------------------------------------------

    def add_edge(self, edge: Edge, *, actor: str = "system") -> Edge:
        return self.add_edges([edge], actor=actor)[0]

    def add_edges(self, edges: Sequence[Edge], *, actor: str = "system") -> list[Edge]:
        stamp = now_iso()

        def work(tx: Tx) -> list[Edge]:
            ids = self._next_ids(tx, "edge", len(edges)) if edges else []
            stored = [Edge(e.type, e.src, e.dst, dict(e.props), e.since or today_iso(), e.until,
                           edge_id) for e, edge_id in zip(edges, ids, strict=True)]
            by_type: dict[str, list[dict[str, Any]]] = {}
            for e in stored:
                by_type.setdefault(rel_type(e.type), []).append(
                    {"src": e.src, "dst": e.dst, "props": edge_row(e)})
            for type_name, rows in by_type.items():
                for start in range(0, len(rows), BATCH):
                    chunk = rows[start:start + BATCH]
                    made = tx.run(
                        "UNWIND $rows AS row MATCH (a:Node {id: row.src}) "
                        "MATCH (b:Node {id: row.dst}) "
                        f"CREATE (a)-[r:{type_name}]->(b) SET r = row.props RETURN count(r) AS c",
                        rows=chunk).single()
                    if made is None or made["c"] != len(chunk):
                        raise NotFound(f"relatie {type_name} verwijst naar iets dat niet bestaat")
            # once per activity, however many of its relations came in
            _refresh_derived(tx, [e.src for e in stored if e.type in DERIVED_FROM])
            if stored:
                self._audit_rows(tx, [{"at": stamp, "actor": actor, "action": "relate",
                                       "target": e.src, "before": None,
                                       "after": _dumps(e.as_dict())} for e in stored])
            return stored

        return self._write(work)

    def get_edge(self, edge_id: int) -> Edge:
        rows = self._rows(f"CALL () {{ {_BY_ID} }} RETURN t, s, d, p", id=edge_id)
        if not rows:
            raise NotFound(f"relatie {edge_id} niet gevonden")
        row = rows[0]
        return edge_from(row["t"], row["s"], row["d"], row["p"])

    def update_edge(self, edge: Edge, *, actor: str = "system") -> Edge:
        return self.update_edges([edge], actor=actor)[0]

    def update_edges(self, edges: Sequence[Edge], *, actor: str = "system") -> list[Edge]:
        if any(edge.id is None for edge in edges):
            raise NotFound("relatie zonder id")
        stamp = now_iso()

        def work(tx: Tx) -> list[Edge]:
            befores = self._edges_by_id(tx, edges)
            afters = [Edge(b.type, b.src, b.dst, dict(e.props), e.since, e.until, e.id)
                      for e, b in zip(edges, befores, strict=True)]
            by_type: dict[str, list[dict[str, Any]]] = {}
            for after in afters:
                by_type.setdefault(rel_type(after.type), []).append(
                    {"src": after.src, "id": after.id, "row": edge_row(after)})
            for type_name, rows in by_type.items():
                tx.run("UNWIND $rows AS row MATCH (a:Node {id: row.src})-"
                       f"[r:{type_name}]->() WHERE r._id = row.id SET r = row.row",
                       rows=rows).consume()
            _refresh_derived(tx, [a.src for a in afters if a.type in DERIVED_FROM])
            self._audit_rows(tx, [
                {"at": stamp, "actor": actor,
                 "action": "end" if b.until is None and a.until else "update_relation",
                 "target": b.src, "before": _dumps(b.as_dict()), "after": _dumps(a.as_dict())}
                for b, a in zip(befores, afters, strict=True)])
            return afters

        return self._write(work) if edges else []

    @staticmethod
    def _edges_by_id(tx: Tx, edges: Sequence[Edge]) -> list[Edge]:
        """The stored version of each edge (looked up by its type and source, then id)."""
        found: dict[int, Edge] = {}
        by_type: dict[str, list[dict[str, Any]]] = {}
        for e in edges:
            by_type.setdefault(rel_type(e.type), []).append({"src": e.src, "id": e.id})
        for type_name, rows in by_type.items():
            for record in tx.run(
                    "UNWIND $rows AS row MATCH (a:Node {id: row.src})-"
                    f"[r:{type_name}]->(b:Node) WHERE r._id = row.id "
                    "RETURN a.id AS s, b.id AS d, properties(r) AS p", rows=rows):
                edge = edge_from(type_name, record["s"], record["d"], record["p"])
                found[edge.id or 0] = edge
        for edge_id in [e.id for e in edges if e.id not in found]:
            # the caller's type or source was not the stored one: look it up by id alone
            alone = tx.run(f"CALL () {{ {_BY_ID} }} RETURN t, s, d, p", id=edge_id).single()
            if alone is None:
                raise NotFound(f"relatie {edge_id} niet gevonden")
            found[edge_id or 0] = edge_from(alone["t"], alone["s"], alone["d"], alone["p"])
        return [found[e.id or 0] for e in edges]

    def edges(self, node_id: str | None = None, *, types: Sequence[str] | None = None,
              direction: Direction = "both", current: bool | None = None) -> list[Edge]:
        if node_id is None:
            return self._edge_query("MATCH (a:Node)-[r{t}]->(b:Node)", {}, types, current)
        found: list[Edge] = []
        if direction in ("out", "both"):
            found += self._edge_query("MATCH (a:Node {{id: $id}})-[r{t}]->(b:Node)",
                                      {"id": node_id}, types, current)
        if direction in ("in", "both"):
            found += self._edge_query("MATCH (a:Node)-[r{t}]->(b:Node {{id: $id}})",
                                      {"id": node_id}, types, current)
        unique = {e.id: e for e in found}
        return [unique[k] for k in sorted(unique)]  # type: ignore[type-var]

    def edges_between(self, types: Sequence[str], node_ids: Iterable[str],
                      direction: Direction = "out") -> list[Edge]:
        pattern = ("UNWIND $ids AS id MATCH (a:Node {{id: id}})-[r{t}]->(b:Node)"
                   if direction == "out" else
                   "UNWIND $ids AS id MATCH (a:Node)-[r{t}]->(b:Node {{id: id}})")
        ids = list(dict.fromkeys(node_ids))
        return self._edge_query(pattern, {"ids": ids}, types, None) if ids else []

    def neighbours(self, node_ids: Iterable[str], types: Sequence[str],
                   direction: Direction = "out") -> tuple[list[Edge], dict[str, Node]]:
        ids = list(dict.fromkeys(node_ids))
        if not ids:
            return [], {}
        typed = _typed(types)
        arrow = {"out": f"-[r{typed}]->", "in": f"<-[r{typed}]-", "both": f"-[r{typed}]-"}[
            direction]
        record = self._rows(  # one record: nodes and edges in lists
            f"UNWIND $ids AS id MATCH (a:Node {{id: id}}) OPTIONAL MATCH (a){arrow}(b:Node) "
            "WITH collect(DISTINCT a) + collect(DISTINCT b) AS ns, "
            "collect(DISTINCT r) AS rs RETURN [n IN ns | properties(n)] AS nodes, "
            "[r IN rs | [type(r), startNode(r).id, endNode(r).id, properties(r)]] AS edges",
            ids=ids)[0]
        nodes = {p["id"]: node_from(p) for p in record["nodes"]}
        edges = sorted((edge_from(t, src, dst, props) for t, src, dst, props in record["edges"]),
                       key=lambda e: e.id or 0)
        return edges, nodes

    def _edge_query(self, match: str, params: dict[str, Any], types: Sequence[str] | None,
                    current: bool | None) -> list[Edge]:
        """``match`` with ``{t}`` where the relationship's types go: in the pattern, only
        those relationships are read."""
        match = match.format(t=_typed(types or []))
        clauses = []
        if current is not None:
            clauses.append("(r.until IS NULL OR r.until > $today)" if current
                           else "(r.until IS NOT NULL AND r.until <= $today)")
            params["today"] = today_iso()
        query = match + (" WHERE " + " AND ".join(clauses) if clauses else "")
        query += (" RETURN type(r) AS t, a.id AS s, b.id AS d, properties(r) AS p"
                  " ORDER BY r._id")
        return [edge_from(row["t"], row["s"], row["d"], row["p"])
                for row in self._rows(query, **params)]

    # -- search, audit, projection, dump ----------------------------------------------------

    def text_candidates(self, terms: Sequence[str | Sequence[str]], kind: str, *,
                        mode: MatchMode = "all", limit: int = 1000) -> list[tuple[str, float]]:
        if kind in (ACTIVITY, ORGANISATION):  # their own index; its best hits, no more
            field = "_text" if kind == ACTIVITY else None
            query = lucene_query(terms, mode, field=field)
            if query is None:
                return []
            index = ACTIVITY_INDEX if kind == ACTIVITY else ORGANISATION_INDEX
            found = self._value(  # one record: a record costs the driver more than a row
                f"CALL db.index.fulltext.queryNodes('{index}', $q, {{limit: $limit}}) "
                "YIELD node, score RETURN collect([node.id, score]) AS hits",
                q=query, limit=limit)
            return [(node_id, float(score)) for node_id, score in found]
        query = lucene_query(terms, mode)
        if query is None:
            return []
        rows = self._rows(
            f"CALL db.index.fulltext.queryNodes('{TEXT_INDEX}', $q) YIELD node, score "
            "WHERE node._kind = $kind RETURN node.id AS id, score LIMIT $limit",
            q=query, kind=label(kind), limit=limit)
        return [(row["id"], float(row["score"])) for row in rows]

    def typo_candidates(self, where: ActivityFilter, pieces: Sequence[Sequence[str]],
                        limit: int) -> list[ActivityRow]:
        return cypher_typo_candidates(self._read, where, pieces, limit)

    def match_activities(self, where: ActivityFilter, *, page: tuple[int, int] | None = None
                         ) -> tuple[list[ActivityRow], int]:
        return cypher_match_activities(self._read, where, page)

    def rank_activities(self, where: ActivityFilter, page: tuple[int, int]
                        ) -> tuple[list[tuple[ActivityRow, float]], int]:
        return cypher_rank_activities(self._read, where, page)

    def projection(self, types: Sequence[str] | None = None) -> nx.MultiDiGraph[str]:
        params: dict[str, Any] = {"today": today_iso()}
        where = "(r.until IS NULL OR r.until > $today)"
        if types:
            where += " AND type(r) IN $types"
            params["types"] = [rel_type(t) for t in types]
        rows = self._rows(
            f"MATCH (a:Node)-[r]->(b:Node) WHERE {where} RETURN a.id AS s, a._kind AS sk, "
            "a._name AS sn, b.id AS d, b._kind AS dk, b._name AS dn, type(r) AS t, "
            "properties(r) AS p", **params)
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        for row in rows:
            graph.add_node(row["s"], kind=row["sk"], name=row["sn"])
            graph.add_node(row["d"], kind=row["dk"], name=row["dn"])
            edge = edge_from(row["t"], row["s"], row["d"], row["p"])
            graph.add_edge(edge.src, edge.dst, key=edge.id, type=edge.type, **edge.props)
        return graph

    def audit(self, target: str | None = None, *, limit: int = 100,
              involving: bool = False) -> list[AuditEntry]:
        if target is None:
            match = "MATCH (a:Audit)"
        else:
            match = f"MATCH (a:Audit) WHERE {_ABOUT}" if involving else \
                "MATCH (a:Audit {target: $target})"
        query = match + " RETURN properties(a) AS p ORDER BY a.id DESC"
        if limit >= 0:
            query += " LIMIT $limit"
        rows = self._rows(query, target=target, limit=limit, needle=_needle(target),
                          relations=list(RELATION_ACTIONS))
        return [AuditEntry(id=p["id"], at=p["at"], actor=p["actor"], action=p["action"],
                           target=p["target"], before=_loads(p.get("before")),
                           after=_loads(p.get("after"))) for p in (r["p"] for r in rows)]

    def erase_audit_values(self, target: str, fields: Sequence[str], *, actor: str) -> None:
        def work(tx: Tx) -> None:
            rows = [r.data() for r in tx.run(
                f"MATCH (a:Audit) WHERE {_ABOUT} RETURN a.id AS id, a.before AS b, "
                "a.after AS f", target=target, needle=_needle(target),
                relations=list(RELATION_ACTIONS))]
            scrubbed = [{"id": r["id"], "before": scrub(r["b"], fields),
                         "after": scrub(r["f"], fields)} for r in rows]
            tx.run("UNWIND $rows AS row MATCH (a:Audit {id: row.id}) "
                   "SET a.before = row.before, a.after = row.after", rows=scrubbed).consume()
            self._audit_rows(tx, [{"at": now_iso(), "actor": actor, "action": "erase",
                                   "target": target, "before": None,
                                   "after": _dumps({"erased_fields": list(fields)})}])
        self._write(work)

    def dump(self) -> Iterator[dict[str, Any]]:
        for row in self._rows("MATCH (n:Node) RETURN properties(n) AS p ORDER BY n.id"):
            yield {"node": node_from(row["p"]).as_dict()}
        for edge in self.edges():
            yield {"edge": edge.as_dict()}
        for entry in reversed(self.audit(limit=-1)):
            yield {"audit": entry.as_dict()}

    def load(self, records: Iterable[dict[str, Any]]) -> None:
        nodes: list[Node] = []
        edges: list[Edge] = []
        audits: list[dict[str, Any]] = []
        for record in records:
            if "node" in record:
                nodes.append(Node.from_dict(record["node"]))
            elif "edge" in record:
                edges.append(Edge.from_dict(record["edge"]))
            elif "audit" in record:
                a = dict(record["audit"])
                audits.append({**a, "before": _dumps(a["before"]), "after": _dumps(a["after"])})

        def work(tx: Tx) -> None:
            tx.run("MATCH (n) WHERE n:Node OR n:Audit OR n:Sequence DETACH DELETE n").consume()
            self._load_all(tx, nodes, edges, audits)
        self._write(work)

    @staticmethod
    def _load_all(tx: Tx, nodes: list[Node], edges: list[Edge],
                  audits: list[dict[str, Any]]) -> None:
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for node in nodes:
            by_kind.setdefault(label(node.kind), []).append(_new_row(node))
        for kind, rows in by_kind.items():
            for start in range(0, len(rows), BATCH):
                tx.run(f"UNWIND $rows AS row CREATE (n:Node:{kind}) SET n = row",
                       rows=rows[start:start + BATCH]).consume()
        by_type: dict[str, list[dict[str, Any]]] = {}
        for e in edges:
            by_type.setdefault(rel_type(e.type), []).append(
                {"src": e.src, "dst": e.dst, "props": edge_row(e)})
        for type_name, rows in by_type.items():
            for start in range(0, len(rows), BATCH):
                tx.run("UNWIND $rows AS row MATCH (a:Node {id: row.src}) "
                       f"MATCH (b:Node {{id: row.dst}}) CREATE (a)-[r:{type_name}]->(b) "
                       "SET r = row.props", rows=rows[start:start + BATCH]).consume()
        _refresh_derived(tx, [e.src for e in edges if e.type in DERIVED_FROM])
        for start in range(0, len(audits), BATCH):
            tx.run("UNWIND $rows AS row CREATE (a:Audit) SET a = row",
                   rows=audits[start:start + BATCH]).consume()
        for name, last in (("edge", max((e.id or 0 for e in edges), default=0)),
                           ("audit", max((a["id"] for a in audits), default=0))):
            tx.run("MERGE (s:Sequence {name: $name}) SET s.value = $last",
                   name=name, last=last).consume()

    def backup(self, path: str) -> None:
        from graph.dumpfile import write_dump

        write_dump(path, self.dump())

