"""The Neo4j backend where it differs from the embedded store: a server that is down,
refuses a password or lacks a database, and both backends giving the same answers."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from neo4j_launcher import Neo4jServers

from directory.cli import main
from directory.errors import BackendUnavailable
from directory.search import SearchQuery, search
from directory.service import Directory
from directory.store import GraphStore
from graph.neo4j_store import Neo4jStore
from graph.sqlite_store import SqliteStore

QUERIES = [
    SearchQuery(text="koffie"),
    SearchQuery(text="schulden"),
    SearchQuery(text="cafe"),
    SearchQuery(text="wandelgreop"),
    SearchQuery(text="koken"),
    SearchQuery(text="inloop", area="Nijmegen"),
    SearchQuery(text="taal", domains=["welzijn"], days=["di"]),
    SearchQuery(area="Dukenburg", free=True),
    SearchQuery(near="6535", km=2),
    SearchQuery(targets=["ouderen"], no_referral=True, limit=50),
    SearchQuery(text="herstel", near="4001", km=10),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_server_down_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"bolt://127.0.0.1:{_free_port()}"
    with pytest.raises(BackendUnavailable, match="niet bereikbaar"):
        Neo4jStore(url)
    assert main(["--store", url, "list", "organisations"]) == 1
    assert "niet bereikbaar" in _one_line_error(capsys.readouterr().err)


def test_wrong_password_is_one_clear_line(neo4j_servers: Neo4jServers,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    url = neo4j_servers.uri(Neo4jServers.AUTH_SLOT)
    with pytest.raises(BackendUnavailable, match="aanmelden bij Neo4j"):
        Neo4jStore(url, user="neo4j", password="geen-goed-wachtwoord")
    monkeypatch.setenv("WIJKKAART_NEO4J_USER", "neo4j")
    monkeypatch.setenv("WIJKKAART_NEO4J_PASSWORD", "ook-fout")
    assert main(["--store", url, "list", "teams"]) == 1
    assert "WIJKKAART_NEO4J_PASSWORD" in _one_line_error(capsys.readouterr().err)


def test_missing_database_is_one_clear_line(neo4j_servers: Neo4jServers) -> None:
    with pytest.raises(BackendUnavailable, match="database bestaat niet"):
        Neo4jStore(neo4j_servers.uri(0) + "/bestaatniet")


_KILLED_WRITER = textwrap.dedent("""
    import os, sys
    from graph import open_store
    from directory.model import Node
    store = open_store(sys.argv[1])
    with store.transaction("import"):
        store.put_nodes([Node(f"org-{i}", "Organisation", {"name": f"Partner {i}"})
                         for i in range(500)])
        sys.stdout.write("written\\n")
        sys.stdout.flush()
        os._exit(9)  # killed before the commit
""")


def test_a_killed_writer_leaves_nothing_behind(store: GraphStore, tmp_path: Path) -> None:
    """The process dies (or the connection is lost) mid-transaction: nothing half-written."""
    before = list(store.dump())
    script = tmp_path / "writer.py"
    script.write_text(_KILLED_WRITER)
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, str(script), store.url], capture_output=True,
                          text=True, timeout=120, cwd=root, env={"PYTHONPATH": str(root)},
                          check=False)
    assert done.returncode == 9 and done.stdout == "written\n", done.stderr
    assert list(store.dump()) == before
    assert store.count_nodes() == 0


def test_migrate_round_trip_sqlite_neo4j_sqlite(demo_template: Path, tmp_path: Path,
                                               neo4j_servers: Neo4jServers,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The demo region goes to Neo4j and back: the json dumps are identical."""
    neo4j_servers.fresh(0).close()
    url = neo4j_servers.uri(0)
    back = tmp_path / "terug.db"
    assert main(["migrate", "--from", str(demo_template), "--to", url]) == 0
    assert main(["migrate", "--from", url, "--to", str(back)]) == 0
    assert "Gekopieerd" in capsys.readouterr().out
    original, returned = SqliteStore(str(demo_template)), SqliteStore(str(back))
    try:
        first = [json.dumps(r, sort_keys=True) for r in original.dump()]
        second = [json.dumps(r, sort_keys=True) for r in returned.dump()]
    finally:
        original.close()
        returned.close()
    assert len(first) > 10_000
    assert first == second


def test_migrate_refuses_a_store_that_is_not_empty(demo_template: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "doel.db"
    assert main(["migrate", "--from", str(demo_template), "--to", str(target)]) == 0
    assert main(["migrate", "--from", str(demo_template), "--to", str(target)]) == 1
    assert "--replace" in _one_line_error(capsys.readouterr().err)
    assert main(["migrate", "--from", str(demo_template), "--to", str(target),
                 "--replace"]) == 0


def test_both_backends_give_the_same_search_results(demo_template: Path,
                                                    neo4j_servers: Neo4jServers) -> None:
    embedded = SqliteStore(str(demo_template))
    server = neo4j_servers.with_content(0, demo_template)
    try:
        for query in QUERIES:
            expected = search(Directory(embedded), query)
            found = search(Directory(server), query)
            assert found["total"] == expected["total"], query
            assert found["items"] == expected["items"], query
            assert expected["total"] > 0, query
    finally:
        embedded.close()
        server.close()


def test_init_upgrades_a_version_2_store(neo4j_servers: Neo4jServers) -> None:
    """A store from before the per-kind full-text indexes gets them and loses its old one,
    and every activity gets the facet tokens that search filters and counts with."""
    from directory.facets import ActivityFilter
    from directory.model import ACTIVITY, ORGANISATION, Node

    store = neo4j_servers.fresh(0)

    def run(query: str) -> list[dict[str, object]]:
        with store._driver.session(database=store.database) as session:
            return [record.data() for record in session.run(query)]

    try:
        store.put_nodes([
            Node("act-1", ACTIVITY, {"title": "Koffieochtend", "life_domains": ["welzijn"]}),
            Node("org-1", ORGANISATION, {"name": "Buurtkamer De Schakel"})])
        run("MATCH (f:Activity) REMOVE f._facets")
        for name in ("wijkkaart_activity", "wijkkaart_organisation", "wijkkaart_names"):
            run(f"DROP INDEX {name}")
        run("CREATE FULLTEXT INDEX wijkkaart_text FOR (n:Node) ON EACH [n._text]")
        run("MATCH (s:Sequence {name: 'schema'}) SET s.value = 2")
        store.init()
        assert {r["name"] for r in run("SHOW FULLTEXT INDEXES YIELD name")} == {
            "wijkkaart_activity", "wijkkaart_organisation", "wijkkaart_names"}
        assert run("MATCH (f:Activity) RETURN f._facets AS f") == [
            {"f": "active noref d_welzijn t_iedereen"}]
        where = ActivityFilter(terms=[("koffie",)], domains=("welzijn",))
        ranked, total = store.rank_activities(where, (0, 5))
        assert total == 1 and [(row.id, score) for row, score in ranked] == [("act-1", 2.5)]
        assert [i for i, _ in store.text_candidates(["schakel"], ORGANISATION)] == ["org-1"]
    finally:
        run("MATCH (s:Sequence {name: 'schema'}) SET s.value = 0")
        store.init()  # whatever happened above, the shared server gets its indexes back
        store.close()
