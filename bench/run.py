"""The embedded-store benchmark: import, search, coverage and handover at national scale.

Builds a fresh SQLite store in a temporary folder (``Directory.init`` loads the real areas),
streams the generated directory (:mod:`bench.generate`) into it through the product's bulk
path, and does the same work with raw ``sqlite3`` (executemany into bare tables with the
same columns plus a bare FTS5 trigram table) in the same run, batch by batch, so both see
the same rows under the same conditions. Then it times a fixed mix of searches against
``directory.search.search`` and against a bare FTS5 ``MATCH`` on the raw tables, the
coverage matrix of all wijken, a handover of a person holding 500 relations and, on a
smaller sample, the spreadsheet import path ``directory.importing.load_records``.

    python -m bench.run --scale 0.1              # table on stdout, JSON in bench/out/
    python -m bench.run --scale 0.25 --profile   # also cProfile every phase (slower)
    python -m bench.run --backend neo4j --scale 0.25   # the Neo4j store: bench/run_neo4j.py

Figures from a ``--profile`` run include the profiler's overhead; take timings from a run
without it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.generate import SEED, NationalDirectory, batched
from directory import areas
from directory.coverage import coverage
from directory.handover import handover
from directory.importing import load_records
from directory.model import ACTIVITY, PERSON, Edge, Node, now_iso
from directory.search import SearchQuery, search
from directory.service import Directory
from directory.textsearch import query_terms, search_text, usable_terms
from graph.sqlite_store import SqliteStore

OUT = Path(__file__).resolve().parent / "out"
ACTOR = "bench"

TARGETS = {
    "search_p95_ratio": 1.5,      # product p95 ≤ 1.5 × raw FTS5 p95
    "search_p95_ms": 25.0,        # and ≤ 25 ms
    "import_ratio": 0.5,          # product rows/s ≥ 50% of raw rows/s
    "coverage_s": 2.0,            # coverage of all wijken ≤ 2 s
    "handover_s": 0.2,            # handover of a person holding 500 relations ≤ 0.2 s
}


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- profiling ---------------------------------------------------------------------------------

class Profiler:
    """Optional cProfile per phase; ``section`` is a no-op when profiling is off."""

    def __init__(self, enabled: bool, folder: Path, tag: str) -> None:
        self.enabled = enabled
        self.folder = folder
        self.tag = tag
        self.profiles: dict[str, cProfile.Profile] = {}

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        if not self.enabled:
            yield
            return
        profile = self.profiles.setdefault(name, cProfile.Profile())
        profile.enable()
        try:
            yield
        finally:
            profile.disable()

    def report(self, top: int = 25) -> dict[str, str]:
        texts: dict[str, str] = {}
        for name, profile in self.profiles.items():
            path = self.folder / f"profile-{self.tag}-{name}.prof"
            profile.dump_stats(path)
            buffer = io.StringIO()
            stats = pstats.Stats(profile, stream=buffer)
            stats.sort_stats("tottime").print_stats(top)
            stats.sort_stats("cumulative").print_stats(top)
            texts[name] = buffer.getvalue()
            (self.folder / f"profile-{self.tag}-{name}.txt").write_text(texts[name])
        return texts


# --- the raw SQLite baseline -------------------------------------------------------------------

RAW_SCHEMA = """
CREATE TABLE nodes (id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, props TEXT
    NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    source TEXT, source_id TEXT);
CREATE TABLE edges (id INTEGER PRIMARY KEY, type TEXT NOT NULL, src TEXT NOT NULL,
    dst TEXT NOT NULL, props TEXT NOT NULL, since TEXT, until TEXT);
CREATE VIRTUAL TABLE search USING fts5 (text, kind UNINDEXED, node_id UNINDEXED,
    tokenize = 'trigram');
"""


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class RawSqlite:
    """The same rows with nothing but sqlite3: bare tables, executemany, a bare FTS5 MATCH."""

    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(RAW_SCHEMA)

    @staticmethod
    def node_rows(nodes: Sequence[Node]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        stamp = now_iso()
        rows = [(n.id, n.kind, n.name, _dumps(n.props), 1, stamp, stamp, n.source, n.source_id)
                for n in nodes]
        texts = [(search_text(n), n.kind, n.id) for n in nodes]
        return rows, [t for t in texts if t[0]]

    @staticmethod
    def edge_rows(edges: Sequence[Edge]) -> list[tuple[Any, ...]]:
        return [(e.type, e.src, e.dst, _dumps(e.props), e.since, e.until) for e in edges]

    def insert_nodes(self, rows: list[tuple[Any, ...]], texts: list[tuple[Any, ...]]) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self.conn.executemany("INSERT INTO search (text, kind, node_id) VALUES (?, ?, ?)", texts)
        self.conn.execute("COMMIT")

    def insert_edges(self, rows: list[tuple[Any, ...]]) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany("INSERT INTO edges (type, src, dst, props, since, until)"
                              " VALUES (?, ?, ?, ?, ?, ?)", rows)
        self.conn.execute("COMMIT")

    def fts(self, text: str, *, ranked: bool) -> list[Any] | None:
        """A bare FTS5 MATCH on the same folded terms (and alternatives) the product asks its
        store for, LIMIT 20; None when the text has no term of three letters or more."""
        groups = usable_terms(query_terms(text))
        if not groups:
            return None
        match = " AND ".join("(" + " OR ".join(_phrase(t) for t in group) + ")"
                             for group in groups)
        order = " ORDER BY rank" if ranked else ""
        return self.conn.execute(
            f"SELECT node_id FROM search WHERE search MATCH ? AND kind = ?{order} LIMIT 20",
            (match, ACTIVITY)).fetchall()

    def filtered(self, q: SearchQuery) -> list[Any]:
        """The filters of a query without text as one SQL statement on the bare table."""
        clauses = ["kind = 'Activity'", "json_extract(props, '$.status') = 'actief'"]
        params: list[Any] = []
        if q.area:
            clauses.append("json_extract(props, '$.gemeente') = ?")
            params.append(q.area)
        if q.domains:
            clauses.append("EXISTS (SELECT 1 FROM json_each(props, '$.life_domains') WHERE value"
                           f" IN ({','.join('?' * len(q.domains))}))")
            params += q.domains
        if q.targets:
            clauses.append("EXISTS (SELECT 1 FROM json_each(props, '$.target_groups') WHERE value"
                           f" IN ({','.join('?' * (len(q.targets) + 1))}))")
            params += [*q.targets, "iedereen"]
        if q.days:
            codes = {"ma": "MO", "di": "TU", "wo": "WE", "do": "TH", "vr": "FR", "za": "SA",
                     "zo": "SU"}
            clauses.append("(" + " OR ".join("json_extract(props, '$.schedule') LIKE ?"
                                             for _ in q.days) + ")")
            params += [f"%{codes[d]}%" for d in q.days]
        if q.free:
            clauses.append("json_extract(props, '$.cost') = 'gratis'")
        if q.no_referral:
            clauses.append("NOT json_extract(props, '$.referral_needed')")
        if q.near:
            centre = areas.pc4_centroid(q.near)
            assert centre is not None
            dlat, dlon = q.km / 111.0, q.km / 68.0
            clauses.append("json_extract(props, '$.lat') BETWEEN ? AND ?"
                           " AND json_extract(props, '$.lon') BETWEEN ? AND ?")
            params += [centre[0] - dlat, centre[0] + dlat, centre[1] - dlon, centre[1] + dlon]
        sql = f"SELECT id, props FROM nodes WHERE {' AND '.join(clauses)} LIMIT 20"
        return self.conn.execute(sql, params).fetchall()

    def close(self) -> None:
        self.conn.close()


# --- the query mix ------------------------------------------------------------------------------

TEXTS = ("koffie", "schulden", "taalcafe", "taalcafé", "wandelgroep", "moestuin",
         "eenzaamheid", "inloop", "budget", "herstel", "mantelzorg", "koken", "sport",
         "repair cafe", "digitaal", "vrijwilligerswerk", "jongeren", "ontmoeting ouderen",
         "schuldhulp maatje", "koffieochtend", "bewegen", "creatief", "zelfhulp",
         "formulieren", "voedselbank", "geldzorgen", "huiselijk geweld", "woning", "zingen",
         "fietsen")
TYPOS = ("wandelgreop", "koffieohctend", "schuldhlup", "taalcfae", "moestiun", "mantelzrog")
DOMAINS = ("welzijn", "financien", "zorg", "wonen", "werk_dagbesteding", "veiligheid")
TARGETS_GROUPS = ("ouderen", "nieuwkomers", "jongvolwassenen", "epa", "mantelzorgers", "lvb")
DAYS = ("ma", "di", "wo", "do", "vr", "za")

MIX = (("text", 60), ("typo", 10), ("text+gemeente", 30), ("text+wijk", 10),
       ("text+domain+day", 30), ("text+near", 20), ("near", 10), ("filters", 30))


def query_mix(seed: int = SEED, count: int = 200) -> list[tuple[str, SearchQuery]]:
    """A fixed, shuffled mix of ``count`` searches (200: the proportions of ``MIX``)."""
    rng = random.Random(f"{seed}:queries")
    national = areas.national_areas()
    gemeenten = [a for a in national if a.level == "gemeente"]
    gem_weights = [a.population or 1 for a in gemeenten]
    wijken = [a for a in national if a.level == "wijk"]
    postcodes = sorted(areas._postcodes())

    def gemeente() -> str:
        return rng.choices(gemeenten, weights=gem_weights)[0].code

    def make(category: str) -> SearchQuery:
        if category == "text":
            return SearchQuery(text=rng.choice(TEXTS))
        if category == "typo":
            return SearchQuery(text=rng.choice(TYPOS))
        if category == "text+gemeente":
            return SearchQuery(text=rng.choice(TEXTS), area=gemeente())
        if category == "text+wijk":
            return SearchQuery(text=rng.choice(TEXTS), area=rng.choice(wijken).code)
        if category == "text+domain+day":
            return SearchQuery(text=rng.choice(TEXTS), domains=[rng.choice(DOMAINS)],
                               days=[rng.choice(DAYS)])
        if category == "text+near":
            return SearchQuery(text=rng.choice(TEXTS), near=rng.choice(postcodes),
                               km=rng.choice((2.0, 5.0, 10.0)))
        if category == "near":
            return SearchQuery(near=rng.choice(postcodes), km=rng.choice((2.0, 5.0)))
        roll = rng.randrange(3)
        if roll == 0:
            return SearchQuery(area=gemeente(), domains=[rng.choice(DOMAINS)])
        if roll == 1:
            return SearchQuery(domains=[rng.choice(DOMAINS)], days=[rng.choice(DAYS)], free=True)
        return SearchQuery(targets=[rng.choice(TARGETS_GROUPS)], no_referral=True,
                           days=[rng.choice(DAYS)])

    total = sum(n for _, n in MIX)
    queries = [(category, make(category)) for category, n in MIX
               for _ in range(max(1, round(n * count / total)))]
    rng.shuffle(queries)
    return queries[:count]


# --- measurements -------------------------------------------------------------------------------

def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 200 values = the 190th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def _stats(seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 3),
            "p95_ms": round(percentile(ms, 95), 3), "mean_ms": round(statistics.fmean(ms), 3),
            "max_ms": round(max(ms), 3)}


@dataclass
class Timer:
    seconds: float = 0.0
    laps: list[float] = field(default_factory=list)

    @contextmanager
    def __call__(self) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            lap = time.perf_counter() - start
            self.seconds += lap
            self.laps.append(lap)


def measure_import(directory: Directory, raw: RawSqlite, national: NationalDirectory,
                   batch: int, profiler: Profiler) -> dict[str, Any]:
    store = directory.store
    product_nodes, product_edges = Timer(), Timer()
    raw_prep_nodes, raw_exec_nodes = Timer(), Timer()
    raw_prep_edges, raw_exec_edges = Timer(), Timer()
    n_nodes = n_edges = 0
    started = time.perf_counter()
    for nodes in batched(national.nodes(), batch):
        with profiler.section("import"), product_nodes(), store.transaction(ACTOR):
            store.put_nodes(nodes, actor=ACTOR)
        with raw_prep_nodes():
            rows, texts = raw.node_rows(nodes)
        with raw_exec_nodes():
            raw.insert_nodes(rows, texts)
        n_nodes += len(nodes)
        if n_nodes % (batch * 20) == 0:
            _log(f"  {n_nodes:,} nodes ({time.perf_counter() - started:.0f} s)")
    for edges in batched(national.edges(), batch):
        with profiler.section("import"), product_edges(), store.transaction(ACTOR):
            store.add_edges(edges, actor=ACTOR)
        with raw_prep_edges():
            erows = raw.edge_rows(edges)
        with raw_exec_edges():
            raw.insert_edges(erows)
        n_edges += len(edges)
        if n_edges % (batch * 40) == 0:
            _log(f"  {n_edges:,} edges ({time.perf_counter() - started:.0f} s)")
    rows = n_nodes + n_edges
    product_s = product_nodes.seconds + product_edges.seconds
    raw_s = sum(t.seconds for t in (raw_prep_nodes, raw_exec_nodes, raw_prep_edges,
                                    raw_exec_edges))
    raw_exec_s = raw_exec_nodes.seconds + raw_exec_edges.seconds
    return {
        "batch": batch, "nodes": n_nodes, "edges": n_edges, "rows": rows,
        "product_s": round(product_s, 2), "product_rows_per_s": round(rows / product_s),
        "product_nodes_per_s": round(n_nodes / product_nodes.seconds),
        "product_edges_per_s": round(n_edges / product_edges.seconds),
        "raw_s": round(raw_s, 2), "raw_rows_per_s": round(rows / raw_s),
        "raw_nodes_per_s": round(n_nodes / (raw_prep_nodes.seconds + raw_exec_nodes.seconds)),
        "raw_edges_per_s": round(n_edges / (raw_prep_edges.seconds + raw_exec_edges.seconds)),
        "raw_serialise_s": round(raw_prep_nodes.seconds + raw_prep_edges.seconds, 2),
        "raw_executemany_s": round(raw_exec_s, 2),
        "raw_executemany_rows_per_s": round(rows / raw_exec_s),
        "ratio": round((rows / product_s) / (rows / raw_s), 3),
        "ratio_vs_executemany_only": round((rows / product_s) / (rows / raw_exec_s), 3),
    }


def measure_search(directory: Directory, raw: RawSqlite, queries: list[tuple[str, SearchQuery]],
                   profiler: Profiler) -> dict[str, Any]:
    # warm-up: a few queries of each kind, untimed (stemmer, page cache, vocabularies)
    seen: dict[str, int] = {}
    for category, q in queries:
        if seen.get(category, 0) < 2:
            seen[category] = seen.get(category, 0) + 1
            search(directory, q)
            _raw_query(raw, q, ranked=False)
    product: dict[str, list[float]] = {}
    bare: dict[str, list[float]] = {}
    ranked: dict[str, list[float]] = {}
    totals: dict[str, list[int]] = {}
    for category, q in queries:
        start = time.perf_counter()
        with profiler.section("search"):
            result = search(directory, q)
        product.setdefault(category, []).append(time.perf_counter() - start)
        totals.setdefault(category, []).append(result["total"])
        start = time.perf_counter()
        _raw_query(raw, q, ranked=False)
        bare.setdefault(category, []).append(time.perf_counter() - start)
        start = time.perf_counter()
        _raw_query(raw, q, ranked=True)
        ranked.setdefault(category, []).append(time.perf_counter() - start)

    def flat(by: dict[str, list[float]], keep: Callable[[str], bool] = lambda c: True
             ) -> list[float]:
        return [s for c, values in by.items() if keep(c) for s in values]

    def has_text(category: str) -> bool:
        return category not in ("near", "filters")

    out = {
        "queries": len(queries), "limit": 20,
        "product": _stats(flat(product)), "raw": _stats(flat(bare)),
        "raw_ranked": _stats(flat(ranked)),
        "text_queries": {"product": _stats(flat(product, has_text)),
                         "raw": _stats(flat(bare, has_text)),
                         "raw_ranked": _stats(flat(ranked, has_text))},
        "by_category": {c: {"product": _stats(product[c]), "raw": _stats(bare[c]),
                            "raw_ranked": _stats(ranked[c]),
                            "mean_total_hits": round(statistics.fmean(totals[c]), 1)}
                        for c in product},
    }
    out["ratio_p95"] = round(out["product"]["p95_ms"] / out["raw"]["p95_ms"], 1)
    out["ratio_p50"] = round(out["product"]["p50_ms"] / out["raw"]["p50_ms"], 1)
    out["text_queries"]["ratio_p95"] = round(
        out["text_queries"]["product"]["p95_ms"] / out["text_queries"]["raw"]["p95_ms"], 1)
    out["text_queries"]["ratio_p95_vs_ranked"] = round(
        out["text_queries"]["product"]["p95_ms"] / out["text_queries"]["raw_ranked"]["p95_ms"], 1)
    return out


def _raw_query(raw: RawSqlite, q: SearchQuery, *, ranked: bool) -> list[Any]:
    if q.text:
        hits = raw.fts(q.text, ranked=ranked)
        if hits is not None:
            return hits
    return raw.filtered(q.normalised())


def measure_coverage(directory: Directory, profiler: Profiler) -> dict[str, Any]:
    runs = []
    wijken = 0
    for _ in range(2):
        start = time.perf_counter()
        with profiler.section("coverage"):
            result = coverage(directory)
        runs.append(time.perf_counter() - start)
        wijken = len(result["areas"])
    start = time.perf_counter()
    one = coverage(directory, "GM0363")
    gemeente_s = time.perf_counter() - start
    return {"wijken": wijken, "risks": len(result["risks"]), "runs_s": [round(r, 2) for r in runs],
            "seconds": round(min(runs), 3), "one_gemeente_s": round(gemeente_s, 3),
            "one_gemeente_rows": len(one["areas"])}


def measure_handover(directory: Directory, national: NationalDirectory,
                     profiler: Profiler) -> dict[str, Any]:
    """A team member holding 500 relations (LIAISON_FOR, KNOWS, CONTACT) hands over to a
    colleague: the dry run (plan only) and the real one (ends 500 edges, starts 500)."""
    store = directory.store
    s = national.sizes
    rng = random.Random(f"{national.seed}:handover")
    leaving = Node("per-bench-leaving", PERSON, {"name": "Vertrekkende Collega",
                                                 "job_title": "SPV"})
    taking = national.person_id(0)
    liaisons = rng.sample(range(s.organisations), min(200, s.organisations))
    activities = rng.sample(range(s.activities), min(100, s.activities))
    knows = rng.sample(range(s.team_members, s.people),
                       min(500 - len(liaisons) - len(activities), s.contacts))
    edges = [Edge("MEMBER_OF", leaving.id, national.team_id(0), {"role": "spv"}, "2020-01-01")]
    edges += [Edge("LIAISON_FOR", leaving.id, national.org_id(i), {}, "2021-03-01")
              for i in liaisons]
    edges += [Edge("KNOWS", leaving.id, national.person_id(i), {"last_contact_on": "2026-01-10"},
                   "2021-03-01") for i in knows]
    edges += [Edge("CONTACT", national.activity_id(i), leaving.id, {}, "2022-05-01")
              for i in activities]
    with store.transaction(ACTOR):
        store.put_nodes([leaving], actor=ACTOR)
        store.add_edges(edges, actor=ACTOR)
    held = len(edges) - 1
    start = time.perf_counter()
    plan = handover(directory, leaving.id, taking, dry_run=True)
    dry_s = time.perf_counter() - start
    start = time.perf_counter()
    with profiler.section("handover"):
        done = handover(directory, leaving.id, taking)
    real_s = time.perf_counter() - start
    assert len(plan["moved"]) == len(done["moved"]) == held
    return {"relations": held, "dry_run_s": round(dry_s, 3), "seconds": round(real_s, 3)}


def measure_load_records(directory: Directory, national: NationalDirectory, count: int,
                         profiler: Profiler) -> dict[str, Any]:
    records = national.import_records(count)
    before_nodes = directory.store.count_nodes()
    before_edges = len(directory.store.edges(types=["OFFERED_BY", "IN_AREA", "CONTACT",
                                                    "WORKS_AT"]))
    start = time.perf_counter()
    with profiler.section("load_records"):
        report = load_records(directory, records, format="bench")
    seconds = time.perf_counter() - start
    nodes = directory.store.count_nodes() - before_nodes
    edges = len(directory.store.edges(types=["OFFERED_BY", "IN_AREA", "CONTACT", "WORKS_AT"])
                ) - before_edges
    return {"records": count, "rejected": len(report.rejected), "created": report.created,
            "nodes_written": nodes, "edges_written": edges, "seconds": round(seconds, 2),
            "records_per_s": round(count / seconds, 1),
            "rows_per_s": round((nodes + edges) / seconds, 1),
            "possible_duplicates": len(report.possible_duplicates)}


# --- machine and report ------------------------------------------------------------------------

def code_version() -> dict[str, Any]:
    """The commit measured, and whether the working tree had uncommitted changes."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):  # e.g. a `git archive` export
        return {"commit": os.environ.get("BENCH_CODE_COMMIT"), "modified_files": None}
    return {"commit": commit, "modified_files": len(dirty.splitlines())}


def machine() -> dict[str, Any]:
    cpu = "unknown"
    memory_kb = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": cpu,
            "memory_gib": round(memory_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform()}


def verdicts(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    search_ = results.get("search")
    if search_:
        rows.append({"target": "search p95 ≤ 1.5× raw FTS5", "value": f"{search_['ratio_p95']}×",
                     "met": search_["ratio_p95"] <= TARGETS["search_p95_ratio"]})
        rows.append({"target": "search p95 ≤ 25 ms", "value": f"{search_['product']['p95_ms']} ms",
                     "met": search_["product"]["p95_ms"] <= TARGETS["search_p95_ms"]})
    imp = results.get("import")
    if imp:
        rows.append({"target": "import ≥ 50% of raw insert speed",
                     "value": f"{imp['ratio'] * 100:.0f}%",
                     "met": imp["ratio"] >= TARGETS["import_ratio"]})
    cov = results.get("coverage")
    if cov:
        rows.append({"target": "coverage of all wijken ≤ 2 s", "value": f"{cov['seconds']} s",
                     "met": cov["seconds"] <= TARGETS["coverage_s"]})
    hand = results.get("handover")
    if hand:
        rows.append({"target": "handover of 500 relations ≤ 0.2 s",
                     "value": f"{hand['seconds']} s",
                     "met": hand["seconds"] <= TARGETS["handover_s"]})
    return rows


def table(results: dict[str, Any]) -> str:
    lines = [f"Wijkkaart benchmark — scale {results['scale']} — {results['date']}",
             f"machine: {results['machine']['cpus']} CPU {results['machine']['cpu_model']}, "
             f"{results['machine']['memory_gib']} GiB, Python {results['machine']['python']}, "
             f"SQLite {results['machine']['sqlite']}",
             f"code: {results['code']}; load average at start/end: "
             f"{results['load_average_start']} / {results.get('load_average_end')}",
             f"data: {results['counts']}", ""]
    imp = results.get("import")
    if imp:
        lines += [f"import ({imp['nodes']:,} nodes + {imp['edges']:,} edges, batches of "
                  f"{imp['batch']:,})",
                  f"  product  {imp['product_rows_per_s']:>10,} rows/s  ({imp['product_s']} s;"
                  f" nodes {imp['product_nodes_per_s']:,}/s,"
                  f" edges {imp['product_edges_per_s']:,}/s)",
                  f"  raw      {imp['raw_rows_per_s']:>10,} rows/s  ({imp['raw_s']} s, of which "
                  f"executemany {imp['raw_executemany_s']} s)",
                  f"  ratio    {imp['ratio']:.2f} (vs executemany only: "
                  f"{imp['ratio_vs_executemany_only']:.2f})", ""]
    lr = results.get("load_records")
    if lr:
        lines += [f"load_records ({lr['records']:,} spreadsheet rows into the full store): "
                  f"{lr['records_per_s']} records/s, {lr['rows_per_s']} nodes+edges/s "
                  f"({lr['seconds']} s)", ""]
    s = results.get("search")
    if s:
        lines += search_lines(s, [("raw (bare FTS5 MATCH / SQL)", s["raw"]),
                                  ("raw, bm25-ranked", s["raw_ranked"])]) + [""]
    cov = results.get("coverage")
    if cov:
        lines += [f"coverage of all {cov['wijken']:,} wijken: {cov['seconds']} s "
                  f"(runs {cov['runs_s']}; one gemeente: {cov['one_gemeente_s']} s)"]
    hand = results.get("handover")
    if hand:
        lines += [f"handover of {hand['relations']} relations: {hand['seconds']} s "
                  f"(dry run {hand['dry_run_s']} s)", ""]
    return "\n".join(lines + verdict_lines(verdicts(results)))


def search_lines(s: dict[str, Any], raws: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """The search block of a results table: product and raw percentiles, then by kind."""
    def row(label: str, stats: dict[str, Any]) -> str:
        return f"  {label:<32} {stats['p50_ms']:>9.2f} {stats['p95_ms']:>9.2f}"

    lines = [f"search ({s['queries']} queries, limit 20)        p50 ms    p95 ms",
             row("product", s["product"]), *(row(label, stats) for label, stats in raws),
             f"  ratio                            {s['ratio_p50']:>9} {s['ratio_p95']:>9}",
             "  by category:            product p50/p95     raw p50/p95   hits"]
    for category, c in s["by_category"].items():
        lines.append(f"    {category:<18} {c['product']['p50_ms']:>9.1f}/"
                     f"{c['product']['p95_ms']:<9.1f} {c['raw']['p50_ms']:>7.2f}/"
                     f"{c['raw']['p95_ms']:<7.2f} {c['mean_total_hits']:>7}")
    return lines


def verdict_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The targets block of a results table: MET / NOT MET per target."""
    return ["targets:", *(f"  {'MET    ' if v['met'] else 'NOT MET'}  {v['target']:<38} "
                          f"{v['value']}" for v in rows)]


def run(args: argparse.Namespace) -> dict[str, Any]:
    OUT.mkdir(exist_ok=True)
    tag = f"scale{args.scale:g}"
    profiler = Profiler(args.profile, OUT, tag)
    folder = tempfile.mkdtemp(prefix="wijkkaart-bench-", dir=args.tmp)
    results: dict[str, Any] = {"scale": args.scale, "seed": args.seed,
                               "date": datetime.now(UTC).isoformat(timespec="seconds"),
                               "machine": machine(), "code": code_version(),
                               "profiled": args.profile, "folder": folder,
                               "load_average_start": [round(x, 2) for x in os.getloadavg()]}
    store = SqliteStore(os.path.join(folder, "store.db"))
    raw = RawSqlite(os.path.join(folder, "raw.db"))
    directory = Directory(store, actor=ACTOR)
    try:
        started = time.perf_counter()
        start = time.perf_counter()
        results["areas_added"] = directory.init()
        results["init_s"] = round(time.perf_counter() - start, 2)
        national = NationalDirectory(args.scale, args.seed)
        s = national.sizes
        results["counts"] = {"organisations": s.organisations, "people": s.people,
                             "activities": s.activities, "teams": s.teams,
                             "areas": results["areas_added"]}
        _log(f"scale {args.scale}: importing into {folder}")
        results["import"] = measure_import(directory, raw, national, args.batch, profiler)
        results["counts"]["relations"] = results["import"]["edges"]
        _log(f"import done: {results['import']['product_rows_per_s']:,} rows/s "
             f"(raw {results['import']['raw_rows_per_s']:,})")
        results["db_bytes"] = {"product": os.path.getsize(store.path),
                               "raw": os.path.getsize(os.path.join(folder, "raw.db"))}
        if not args.skip_search:
            results["search"] = measure_search(directory, raw, query_mix(args.seed, args.queries),
                                               profiler)
            _log(f"search done: p95 {results['search']['product']['p95_ms']} ms")
        if not args.skip_coverage:
            results["coverage"] = measure_coverage(directory, profiler)
            _log(f"coverage done: {results['coverage']['seconds']} s")
        results["handover"] = measure_handover(directory, national, profiler)
        _log(f"handover done: {results['handover']['seconds']} s")
        records = args.records if args.records is not None else max(50, min(200, round(
            2000 * args.scale)))
        if records:
            results["load_records"] = measure_load_records(directory, national, records,
                                                           profiler)
            _log(f"load_records done: {results['load_records']['records_per_s']} records/s")
        results["total_s"] = round(time.perf_counter() - started, 1)
        results["max_rss_mib"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        results["targets"] = verdicts(results)
    finally:
        raw.close()
        store.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    if args.profile:
        for name, text in profiler.report().items():
            print(f"\n===== profile: {name} =====\n{text[:6000]}", file=sys.stderr)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    suffix = "-profiled" if args.profile else ""
    for name in (f"results-{tag}{suffix}-{stamp}.json", f"latest-{tag}{suffix}.json"):
        (OUT / name).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return results


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if "--backend" in argv or any(a.startswith("--backend=") for a in argv):
        chooser = argparse.ArgumentParser(add_help=False)
        chooser.add_argument("--backend", choices=("sqlite", "neo4j"), default="sqlite")
        chosen, rest = chooser.parse_known_args(argv)
        if chosen.backend == "neo4j":  # the server store: bench/run_neo4j.py
            from bench.run_neo4j import main as neo4j_main

            neo4j_main(rest)
            return
        argv = rest
    parser = argparse.ArgumentParser(description="Wijkkaart embedded-store benchmark "
                                     "(--backend neo4j: the server store, see bench.run_neo4j)")
    parser.add_argument("--scale", type=float, default=0.1, help="1.0 = national size")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--batch", type=int, default=5000, help="rows per import transaction")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--records", type=int, default=None,
                        help="rows for the load_records sample (default 2000×scale, 50…200;"
                             " 0 skips it)")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--skip-coverage", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile each phase")
    parser.add_argument("--keep", action="store_true", help="keep the temporary databases")
    parser.add_argument("--tmp", default=None, help="folder for the temporary databases")
    args = parser.parse_args(argv)
    results = run(args)
    print(table(results))


if __name__ == "__main__":
    main()
