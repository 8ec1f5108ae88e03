"""The server-store benchmark: import and search of the national directory on Neo4j.

Starts a Neo4j Community server from the jars the tests use (``tests/neo4j_launcher.py``,
with a larger heap and page cache), or uses the one at ``WIJKKAART_BENCH_NEO4J_URI`` (it
must be empty), opens :class:`graph.neo4j_store.Neo4jStore` on it, loads the areas with
``Directory.init`` and streams the generated directory (:mod:`bench.generate`) through the
product's bulk path (``put_nodes`` / ``add_edges`` in one transaction per batch). In the same
run, batch by batch, the same rows go in with bare Cypher: ``UNWIND $rows AS row CREATE
(n:RawNode) SET n = row`` for nodes and ``UNWIND … MATCH … MATCH … CREATE (a)-[:RAW_REL]->(b)``
for edges, with a uniqueness constraint on ``RawNode.id``. Then the fixed query mix of the
SQLite run (:func:`bench.run.query_mix`) is timed against ``directory.search.search`` and
against a bare ``db.index.fulltext.queryNodes`` on the product's activity index with the
terms as the product's Lucene text query, ``LIMIT 20`` (queries without text: one bare
``MATCH (n:Activity) WHERE … LIMIT 20``). For text queries it also times the bare count of
the same hits, the floor under the product's exact ``total``.

    python -m bench.run_neo4j --scale 0.25            # table on stdout, JSON in bench/out/
    python -m bench.run_neo4j --scale 0.25 --trace    # also time every Cypher call of search
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.generate import SEED, NationalDirectory, batched
from bench.run import (
    ACTOR,
    OUT,
    Timer,
    _log,
    _stats,
    code_version,
    machine,
    query_mix,
    search_lines,
    verdict_lines,
)
from directory import areas
from directory.model import Edge, Node
from directory.search import SearchQuery, search
from directory.service import Directory
from directory.textsearch import query_terms
from graph.neo4j_schema import ACTIVITY_INDEX, edge_row, node_row
from graph.neo4j_search import lucene_query
from graph.neo4j_store import Neo4jStore

TESTS = Path(__file__).resolve().parent.parent / "tests"

TARGETS = {
    "search_p95_ratio": 1.5,      # product p95 ≤ 1.5 × raw full-text p95
    "search_p95_ms": 60.0,        # and ≤ 60 ms
    "import_ratio": 0.5,          # product rows/s ≥ 50% of raw UNWIND rows/s
}

RAW_NODES = "UNWIND $rows AS row CREATE (n:RawNode) SET n = row"
RAW_EDGES = ("UNWIND $rows AS row MATCH (a:RawNode {id: row.src}) "
             "MATCH (b:RawNode {id: row.dst}) CREATE (a)-[r:RAW_REL]->(b) SET r = row.props")
RAW_TEXT = (f"CALL db.index.fulltext.queryNodes('{ACTIVITY_INDEX}', $q) YIELD node, score "
            "RETURN node.id AS id LIMIT 20")
RAW_COUNT = (f"CALL db.index.fulltext.queryNodes('{ACTIVITY_INDEX}', $q) YIELD node "
             "RETURN count(*) AS c")


# --- the raw Cypher baseline --------------------------------------------------------------------

class RawCypher:
    """The same rows with nothing but the driver: one managed write per batch, bare UNWIND."""

    def __init__(self, store: Neo4jStore) -> None:
        self.driver = store._driver
        self.database = store.database
        self._run("CREATE CONSTRAINT raw_node_id IF NOT EXISTS FOR (n:RawNode) "
                  "REQUIRE n.id IS UNIQUE")
        self._run("CALL db.awaitIndexes(300)")
        # the areas the edges point at, copied untimed (Directory.init made the product's)
        self._run("MATCH (n:Area) CREATE (r:RawNode) SET r = properties(n)")

    @classmethod
    def attach(cls, store: Neo4jStore) -> RawCypher:
        """The baseline on a server whose raw copy an earlier run already made."""
        raw = cls.__new__(cls)
        raw.driver, raw.database = store._driver, store.database
        return raw

    def _run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        with self.driver.session(database=self.database) as session:
            return session.execute_write(
                lambda tx: [r.data() for r in tx.run(query, params)])

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        with self.driver.session(database=self.database) as session:
            return session.execute_read(
                lambda tx: [r.data() for r in tx.run(query, params)])

    @staticmethod
    def node_rows(nodes: Sequence[Node]) -> list[dict[str, Any]]:
        return [node_row(n) for n in nodes]

    @staticmethod
    def edge_rows(edges: Sequence[Edge], first_id: int) -> list[dict[str, Any]]:
        return [{"src": e.src, "dst": e.dst,
                 "props": edge_row(Edge(e.type, e.src, e.dst, e.props, e.since, e.until, i))}
                for i, e in enumerate(edges, first_id)]

    def insert_nodes(self, rows: list[dict[str, Any]]) -> None:
        with self.driver.session(database=self.database) as session:
            session.execute_write(lambda tx: tx.run(RAW_NODES, rows=rows).consume())

    def insert_edges(self, rows: list[dict[str, Any]]) -> None:
        with self.driver.session(database=self.database) as session:
            session.execute_write(lambda tx: tx.run(RAW_EDGES, rows=rows).consume())

    def filtered(self, q: SearchQuery) -> list[dict[str, Any]]:
        """The filters of a query without text as one bare Cypher MATCH on the props."""
        clauses = ["n.status = 'actief'"]
        params: dict[str, Any] = {}
        if q.area:
            clauses.append("n.gemeente = $area")
            params["area"] = q.area
        if q.domains:
            clauses.append("any(d IN n.life_domains WHERE d IN $domains)")
            params["domains"] = q.domains
        if q.targets:
            clauses.append("any(t IN n.target_groups WHERE t IN $targets)")
            params["targets"] = [*q.targets, "iedereen"]
        if q.days:
            codes = {"ma": "MO", "di": "TU", "wo": "WE", "do": "TH", "vr": "FR", "za": "SA",
                     "zo": "SU"}
            clauses.append("any(c IN $codes WHERE n.schedule CONTAINS c)")
            params["codes"] = [codes[d] for d in q.days]
        if q.free:
            clauses.append("n.cost = 'gratis'")
        if q.no_referral:
            clauses.append("NOT n.referral_needed")
        if q.near:
            centre = areas.pc4_centroid(q.near)
            assert centre is not None
            dlat, dlon = q.km / 111.0, q.km / 68.0
            clauses.append("n.lat >= $lat0 AND n.lat <= $lat1 AND n.lon >= $lon0 "
                           "AND n.lon <= $lon1")
            params.update(lat0=centre[0] - dlat, lat1=centre[0] + dlat,
                          lon0=centre[1] - dlon, lon1=centre[1] + dlon)
        return self.read(f"MATCH (n:Activity) WHERE {' AND '.join(clauses)} "
                         "RETURN n.id AS id LIMIT 20", **params)

    @staticmethod
    def text_query(q: SearchQuery) -> str | None:
        """The product's Lucene text query for ``q`` (None: no text to search)."""
        return lucene_query(query_terms(q.text), "all", field="_text") if q.text else None

    def count(self, q: SearchQuery) -> int | None:
        """The bare count of a text query's hits: the floor under an exact ``total``
        (None: the query has no text to count)."""
        lucene = self.text_query(q)
        return None if lucene is None else int(self.read(RAW_COUNT, q=lucene)[0]["c"])

    def query(self, q: SearchQuery) -> list[dict[str, Any]]:
        lucene = self.text_query(q)
        return self.read(RAW_TEXT, q=lucene) if lucene else self.filtered(q.normalised())


# --- measurements -------------------------------------------------------------------------------

def measure_import(directory: Directory, raw: RawCypher, national: NationalDirectory,
                   batch: int) -> dict[str, Any]:
    store = directory.store
    product_nodes, product_edges = Timer(), Timer()
    raw_prep_nodes, raw_exec_nodes = Timer(), Timer()
    raw_prep_edges, raw_exec_edges = Timer(), Timer()
    n_nodes = n_edges = 0
    started = time.perf_counter()
    for nodes in batched(national.nodes(), batch):
        with product_nodes(), store.transaction(ACTOR):
            store.put_nodes(nodes, actor=ACTOR)
        with raw_prep_nodes():
            rows = raw.node_rows(nodes)
        with raw_exec_nodes():
            raw.insert_nodes(rows)
        n_nodes += len(nodes)
        if n_nodes % (batch * 20) == 0:
            _log(f"  {n_nodes:,} nodes ({time.perf_counter() - started:.0f} s)")
    for edges in batched(national.edges(), batch):
        with product_edges(), store.transaction(ACTOR):
            store.add_edges(edges, actor=ACTOR)
        with raw_prep_edges():
            erows = raw.edge_rows(edges, n_edges + 1)
        with raw_exec_edges():
            raw.insert_edges(erows)
        n_edges += len(edges)
        if n_edges % (batch * 40) == 0:
            _log(f"  {n_edges:,} edges ({time.perf_counter() - started:.0f} s)")
    rows = n_nodes + n_edges
    product_s = product_nodes.seconds + product_edges.seconds
    raw_node_s = raw_prep_nodes.seconds + raw_exec_nodes.seconds
    raw_edge_s = raw_prep_edges.seconds + raw_exec_edges.seconds
    raw_s = raw_node_s + raw_edge_s
    raw_exec_s = raw_exec_nodes.seconds + raw_exec_edges.seconds
    return {
        "batch": batch, "nodes": n_nodes, "edges": n_edges, "rows": rows,
        "product_s": round(product_s, 2), "product_rows_per_s": round(rows / product_s),
        "product_nodes_per_s": round(n_nodes / product_nodes.seconds),
        "product_edges_per_s": round(n_edges / product_edges.seconds),
        "raw_s": round(raw_s, 2), "raw_rows_per_s": round(rows / raw_s),
        "raw_nodes_per_s": round(n_nodes / raw_node_s),
        "raw_edges_per_s": round(n_edges / raw_edge_s),
        "raw_serialise_s": round(raw_prep_nodes.seconds + raw_prep_edges.seconds, 2),
        "raw_unwind_s": round(raw_exec_s, 2),
        "ratio": round(raw_s / product_s, 3),
        "ratio_nodes": round(raw_node_s / product_nodes.seconds, 3),
        "ratio_edges": round(raw_edge_s / product_edges.seconds, 3),
        "ratio_vs_unwind_only": round(raw_exec_s / product_s, 3),
    }


class CypherTrace:
    """Times every ``store._rows`` call (one managed transaction each) by query shape."""

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store
        self.calls: dict[str, list[float]] = {}
        self.per_search: list[int] = []
        self._count = 0
        original = store._rows

        def rows(query: str, write: bool = False, **params: Any) -> list[dict[str, Any]]:
            start = time.perf_counter()
            try:
                return original(query, write, **params)
            finally:
                key = " ".join(query.split())
                self.calls.setdefault(key, []).append(time.perf_counter() - start)
                self._count += 1

        store._rows = rows  # type: ignore[method-assign]

    def mark(self) -> None:
        self.per_search.append(self._count)
        self._count = 0

    def report(self, top: int = 12) -> list[dict[str, Any]]:
        ranked = sorted(self.calls.items(), key=lambda kv: -sum(kv[1]))
        return [{"query": key[:300], "calls": len(v), "total_s": round(sum(v), 3),
                 "mean_ms": round(statistics.fmean(v) * 1000, 2),
                 "p95_ms": round(sorted(v)[int(0.95 * (len(v) - 1))] * 1000, 2)}
                for key, v in ranked[:top]]


def measure_search(directory: Directory, raw: RawCypher, queries: list[tuple[str, SearchQuery]],
                   trace: bool) -> dict[str, Any]:
    seen: dict[str, int] = {}
    for category, q in queries:  # warm-up: two of each kind, untimed
        if seen.get(category, 0) < 2:
            seen[category] = seen.get(category, 0) + 1
            search(directory, q)
            raw.query(q)
    tracer = CypherTrace(directory.store) if trace else None  # type: ignore[arg-type]
    product: dict[str, list[float]] = {}
    bare: dict[str, list[float]] = {}
    counted: list[float] = []  # the bare count of each text query's hits
    totals: dict[str, list[int]] = {}
    for category, q in queries:
        start = time.perf_counter()
        result = search(directory, q)
        product.setdefault(category, []).append(time.perf_counter() - start)
        if tracer:
            tracer.mark()
        totals.setdefault(category, []).append(result["total"])
        start = time.perf_counter()
        raw.query(q)
        bare.setdefault(category, []).append(time.perf_counter() - start)
        start = time.perf_counter()
        if raw.count(q) is not None:
            counted.append(time.perf_counter() - start)

    def flat(by: dict[str, list[float]], keep: Callable[[str], bool] = lambda c: True
             ) -> list[float]:
        return [s for c, values in by.items() if keep(c) for s in values]

    def has_text(category: str) -> bool:
        return category not in ("near", "filters")

    out: dict[str, Any] = {
        "queries": len(queries), "limit": 20,
        "product": _stats(flat(product)), "raw": _stats(flat(bare)),
        "text_queries": {"product": _stats(flat(product, has_text)),
                         "raw": _stats(flat(bare, has_text))},
        "by_category": {c: {"product": _stats(product[c]), "raw": _stats(bare[c]),
                            "mean_total_hits": round(statistics.fmean(totals[c]), 1)}
                        for c in product},
    }
    out["ratio_p95"] = round(out["product"]["p95_ms"] / out["raw"]["p95_ms"], 1)
    out["ratio_p50"] = round(out["product"]["p50_ms"] / out["raw"]["p50_ms"], 1)
    tq = out["text_queries"]
    tq["ratio_p95"] = round(tq["product"]["p95_ms"] / tq["raw"]["p95_ms"], 1)
    if counted:
        tq["bare_count"] = _stats(counted)
        tq["bare_count_ratio_p95"] = round(tq["bare_count"]["p95_ms"] / tq["raw"]["p95_ms"], 2)
    if tracer:
        per = tracer.per_search
        out["trace"] = {"cypher_calls_per_search": {"mean": round(statistics.fmean(per), 1),
                                                    "max": max(per), "min": min(per)},
                        "slowest_queries": tracer.report()}
    return out


def verdicts(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    s = results.get("search")
    if s:
        rows.append({"target": "search p95 ≤ 1.5× raw full-text", "value": f"{s['ratio_p95']}×",
                     "met": s["ratio_p95"] <= TARGETS["search_p95_ratio"]})
        rows.append({"target": "search p95 ≤ 60 ms", "value": f"{s['product']['p95_ms']} ms",
                     "met": s["product"]["p95_ms"] <= TARGETS["search_p95_ms"]})
    imp = results.get("import")
    if imp:
        rows.append({"target": "import ≥ 50% of raw UNWIND", "value": f"{imp['ratio'] * 100:.0f}%",
                     "met": imp["ratio"] >= TARGETS["import_ratio"]})
    return rows


def table(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [f"Wijkkaart Neo4j benchmark — scale {results['scale']} — {results['date']}",
             f"machine: {m['cpus']} CPU {m['cpu_model']}, {m['memory_gib']} GiB, "
             f"Python {m['python']}; Neo4j {results['neo4j']}",
             f"code: {results['code']}; load average at start/end: "
             f"{results['load_average_start']} / {results.get('load_average_end')}",
             f"data: {results.get('counts', 'reused')}", ""]
    imp = results.get("import")
    if imp:
        lines += [f"import ({imp['nodes']:,} nodes + {imp['edges']:,} edges, batches of "
                  f"{imp['batch']:,})",
                  f"  product  {imp['product_rows_per_s']:>10,} rows/s  ({imp['product_s']} s;"
                  f" nodes {imp['product_nodes_per_s']:,}/s,"
                  f" edges {imp['product_edges_per_s']:,}/s)",
                  f"  raw      {imp['raw_rows_per_s']:>10,} rows/s  ({imp['raw_s']} s, of which "
                  f"UNWIND {imp['raw_unwind_s']} s; nodes {imp['raw_nodes_per_s']:,}/s,"
                  f" edges {imp['raw_edges_per_s']:,}/s)",
                  f"  ratio    {imp['ratio']:.2f} (nodes {imp['ratio_nodes']:.2f}, edges "
                  f"{imp['ratio_edges']:.2f}; vs UNWIND only {imp['ratio_vs_unwind_only']:.2f})",
                  ""]
    s = results.get("search")
    if s:
        lines += search_lines(s, [("raw (bare queryNodes / MATCH)", s["raw"])])
        tq = s["text_queries"]
        if "bare_count" in tq:
            lines.append(f"  text queries: raw p95 {tq['raw']['p95_ms']} ms; bare count of the "
                         f"hits (the floor under an exact total) p95 "
                         f"{tq['bare_count']['p95_ms']} ms = {tq['bare_count_ratio_p95']}x raw")
        if "trace" in s:
            t = s["trace"]
            lines.append(f"  Cypher calls per search: {t['cypher_calls_per_search']}")
            for q in t["slowest_queries"]:
                lines.append(f"    {q['total_s']:>7.2f} s {q['calls']:>4} calls "
                             f"mean {q['mean_ms']:>7.1f} ms  {q['query'][:110]}")
        lines.append("")
    return "\n".join(lines + verdict_lines(verdicts(results)))


def _server(args: argparse.Namespace) -> tuple[str, Any]:
    given = os.environ.get("WIJKKAART_BENCH_NEO4J_URI")
    if given:
        return given, None
    sys.path.insert(0, str(TESTS))
    from neo4j_launcher import start_server  # type: ignore[import-not-found]

    _log(f"starting Neo4j (heap {args.heap}, page cache {args.pagecache})")
    server = start_server(timeout=300, heap=args.heap, pagecache=args.pagecache)
    return server.uri, server


def run(args: argparse.Namespace) -> dict[str, Any]:
    OUT.mkdir(exist_ok=True)
    tag = f"neo4j-scale{args.scale:g}"
    uri, server = _server(args)
    results: dict[str, Any] = {"backend": "neo4j", "scale": args.scale, "seed": args.seed,
                               "date": datetime.now(UTC).isoformat(timespec="seconds"),
                               "machine": machine(), "code": code_version(),
                               "server": {"uri": uri, "launched": server is not None,
                                          "heap": args.heap if server else None,
                                          "pagecache": args.pagecache if server else None},
                               "load_average_start": [round(x, 2) for x in os.getloadavg()]}
    store = Neo4jStore(uri)
    try:
        results["neo4j"] = " ".join(str(v) for v in store._rows(
            "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, "
            "edition AS e")[0].values())
        directory = Directory(store, actor=ACTOR)
        started = time.perf_counter()
        start = time.perf_counter()
        results["areas_added"] = directory.init()
        results["init_s"] = round(time.perf_counter() - start, 2)
        if args.reuse:  # the server holds the directory of an earlier ``--keep`` run
            raw = RawCypher.attach(store)
            _log(f"reusing the directory already on {uri}")
        else:
            raw = RawCypher(store)
            national = NationalDirectory(args.scale, args.seed)
            s = national.sizes
            results["counts"] = {"organisations": s.organisations, "people": s.people,
                                 "activities": s.activities, "teams": s.teams,
                                 "areas": results["areas_added"]}
            _log(f"scale {args.scale}: importing into {uri}")
            results["import"] = measure_import(directory, raw, national, args.batch)
            results["counts"]["relations"] = results["import"]["edges"]
            _log(f"import done: {results['import']['product_rows_per_s']:,} rows/s "
                 f"(raw {results['import']['raw_rows_per_s']:,})")
        if not args.skip_search:
            results["search"] = measure_search(directory, raw, query_mix(args.seed, args.queries),
                                               args.trace)
            _log(f"search done: p95 {results['search']['product']['p95_ms']} ms")
        results["total_s"] = round(time.perf_counter() - started, 1)
        results["max_rss_mib"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        results["targets"] = verdicts(results)
    finally:
        store.close()
        if server is not None and not args.keep:
            server.stop()
        elif server is not None:
            _log(f"server left running at {uri} (pid {server.process.pid}, home {server.home})")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    suffix = "-trace" if args.trace else ""
    for name in (f"results-{tag}{suffix}-{stamp}.json", f"latest-{tag}{suffix}.json"):
        (OUT / name).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Wijkkaart server-store (Neo4j) benchmark")
    parser.add_argument("--scale", type=float, default=0.1, help="1.0 = national size")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--batch", type=int, default=5000, help="rows per import transaction")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--heap", default="4g", help="JVM heap of the launched server")
    parser.add_argument("--pagecache", default="2g", help="page cache of the launched server")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--trace", action="store_true",
                        help="time every Cypher call of the product's searches (adds overhead)")
    parser.add_argument("--keep", action="store_true", help="leave the launched server running")
    parser.add_argument("--reuse", action="store_true",
                        help="only search: WIJKKAART_BENCH_NEO4J_URI already holds the directory "
                             "(from a run with --keep)")
    args = parser.parse_args(argv)
    results = run(args)
    print(table(results))


if __name__ == "__main__":
    main()
