"""Test helpers that read an SQLite store file: its whole dump, or a cheap fingerprint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.sqlite_store import SqliteStore


def dump(path: Path) -> list[dict[str, Any]]:
    """Every record of the store file."""
    store = SqliteStore(str(path))
    try:
        return list(store.dump())
    finally:
        store.close()


def fingerprint(path: Path) -> tuple[int, int, int | None]:
    """Nodes, edges and the newest audit entry: any write changes at least one of them."""
    store = SqliteStore(str(path))
    try:
        newest = store.audit(limit=1)
        return store.count_nodes(), len(store.edges()), newest[0].id if newest else None
    finally:
        store.close()
