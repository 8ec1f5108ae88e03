"""An embedded store made by an older version is brought up to date by ``init``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from directory.facets import ActivityFilter
from directory.model import ACTIVITY, Node
from graph.sqlite_store import SqliteStore


def test_init_rebuilds_the_text_index_and_facets_of_an_older_store(tmp_path: Path) -> None:
    path = tmp_path / "oud.db"
    store = SqliteStore(str(path))
    store.init()
    store.put_nodes([Node("act-1", ACTIVITY, {"title": "Taalcafé"}),
                     Node("act-2", ACTIVITY, {"title": "Koffieochtend"})])
    store.close()
    # what version 2 left behind: text rows not keyed by the node's rowid, no facets
    raw = sqlite3.connect(path)
    raw.execute("DELETE FROM search")
    raw.execute("DELETE FROM activity_facets")
    raw.execute("INSERT INTO search (rowid, text, kind, node_id) "
                "VALUES (900, 'taalcafe', 'Activity', 'act-1')")
    raw.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    raw.commit()
    raw.close()

    store = SqliteStore(str(path))
    store.init()
    assert [i for i, _ in store.text_candidates(["koffie"], ACTIVITY)] == ["act-2"]
    node = store.get_node("act-1")
    node.props = {"title": "Praatcafé"}
    store.put_node(node)
    assert store.text_candidates(["taal"], ACTIVITY) == []
    assert [i for i, _ in store.text_candidates(["praat"], ACTIVITY)] == ["act-1"]
    assert store.match_activities(ActivityFilter())[1] == 2
    store.close()


def test_init_gives_version_3_facets_their_title_words(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    store = SqliteStore(str(path))
    store.init()
    store.put_nodes([Node("act-1", ACTIVITY, {"title": "Inloop met koffie"}),
                     Node("act-2", ACTIVITY, {"title": "Buurtkoffie"})])
    store.close()
    # what version 3 left behind: a facets table without the title_words column
    raw = sqlite3.connect(path)
    raw.execute("DROP TABLE activity_facets")
    raw.execute("CREATE TABLE activity_facets (node_id TEXT PRIMARY KEY, title TEXT NOT NULL, "
                "title_key TEXT NOT NULL, text TEXT NOT NULL, active INTEGER NOT NULL, "
                "gemeente TEXT, lat REAL, lon REAL, free INTEGER NOT NULL, referral INTEGER "
                "NOT NULL, domains INTEGER NOT NULL, targets INTEGER NOT NULL, days INTEGER "
                "NOT NULL)")
    raw.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    raw.commit()
    raw.close()

    store = SqliteStore(str(path))
    store.init()
    ranked, total = store.rank_activities(ActivityFilter(terms=[("koffie",)]), (0, 10))
    assert total == 2
    assert [(row.id, score) for row, score in ranked] == [("act-1", 2.5), ("act-2", 2.0)]
    store.close()
