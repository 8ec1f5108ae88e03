"""SQLite backups: a file copy that ``directory.backup.restore`` turns back into a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from directory.backup import restore
from directory.errors import Conflict, ValidationError
from directory.model import ACTIVITY, ORGANISATION, Edge, Node
from graph.sqlite_store import SqliteStore


@pytest.fixture
def filled(tmp_path: Path) -> SqliteStore:
    """A store with two nodes, an edge and their audit entries."""
    s = SqliteStore(str(tmp_path / "bron.db"))
    s.init()
    s.put_nodes([Node(id="org-1", kind=ORGANISATION, props={"name": "Humanitas"}),
                 Node(id="act-1", kind=ACTIVITY, props={"title": "Taalcafé"})], actor="anna")
    s.add_edge(Edge(type="OFFERED_BY", src="act-1", dst="org-1"), actor="anna")
    return s


def test_backup_then_restore_round_trips(filled: SqliteStore, tmp_path: Path) -> None:
    path = tmp_path / "kopie.db"
    filled.backup(str(path))
    backup = SqliteStore(str(path))
    target = SqliteStore(str(tmp_path / "doel.db"))
    target.init()
    target.put_node(Node(id="org-x", kind=ORGANISATION, props={"name": "Weg ermee"}))
    try:
        assert restore(target, backup) == {"nodes": 2, "edges": 1, "audit": 3}
        assert list(target.dump()) == list(filled.dump())
        assert [i for i, _ in target.text_candidates(["cafe"], ACTIVITY)] == ["act-1"]
    finally:
        backup.close()
        target.close()
        filled.close()


def test_backup_refuses_existing_file(filled: SqliteStore, tmp_path: Path) -> None:
    path = tmp_path / "kopie.db"
    filled.backup(str(path))
    with pytest.raises(Conflict):
        filled.backup(str(path))
    filled.close()


def test_restore_from_a_database_that_is_no_backup(filled: SqliteStore, tmp_path: Path) -> None:
    other = SqliteStore(str(tmp_path / "leeg.db"))  # a valid SQLite file without our tables
    try:
        with pytest.raises(ValidationError):
            restore(filled, other)
        assert filled.count_nodes() == 2
    finally:
        other.close()
        filled.close()
