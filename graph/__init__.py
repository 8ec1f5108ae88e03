"""Storage and graph computing: GraphStore implementations and the networkx projection.

``open_store(url)`` is the one place that turns a store URL into a backend.
"""

from __future__ import annotations

import os

from directory.errors import BackendUnavailable
from directory.store import GraphStore

__all__ = ["open_store", "default_store_url", "NEO4J_SCHEMES"]

NEO4J_SCHEMES = ("neo4j://", "bolt://", "neo4j+s://", "bolt+s://", "neo4j+ssc://", "bolt+ssc://")


def default_store_url() -> str:
    """``WIJKKAART_STORE``, else an SQLite file in the user's data directory."""
    env = os.environ.get("WIJKKAART_STORE")
    if env:
        return env
    from platformdirs import user_data_dir

    folder = user_data_dir("wijkkaart", appauthor=False)
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, "wijkkaart.db")


def open_store(url: str | None = None) -> GraphStore:
    """The store a URL names: a path or ``sqlite:///PATH``, or ``neo4j://``/``bolt://``."""
    url = url or default_store_url()
    if url.startswith(NEO4J_SCHEMES):
        try:
            from graph.neo4j_store import Neo4jStore
        except ImportError as exc:  # the driver is a dependency; this is a broken install
            raise BackendUnavailable(f"het pakket 'neo4j' ontbreekt: {exc}") from exc
        return Neo4jStore(url)
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///"):]
    from graph.sqlite_store import SqliteStore

    return SqliteStore(url)
