"""Shared fixtures: a ``store`` per backend, a ``directory`` on it, and the demo region."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from neo4j_launcher import Neo4jServers

from directory.service import Directory
from directory.store import GraphStore
from graph.sqlite_store import SqliteStore

BACKENDS = ["sqlite", "neo4j"]


def _open(backend: str, folder: Path, neo4j: Neo4jServers | None = None,
          slot: int = 0) -> GraphStore:
    """An empty store: a new SQLite file in ``folder``, or a wiped Neo4j database."""
    if backend == "sqlite":
        return SqliteStore(str(folder / "store.db"))
    assert neo4j is not None
    return neo4j.fresh(slot)


@pytest.fixture(scope="session")
def neo4j_servers() -> Iterator[Neo4jServers]:
    """Real Neo4j servers, started when a test first needs one."""
    servers = Neo4jServers()
    yield servers
    servers.stop()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path,
          neo4j_servers: Neo4jServers) -> Iterator[GraphStore]:
    """An empty, initialised store of each backend."""
    s = _open(request.param, tmp_path, neo4j_servers)
    s.init()
    yield s
    s.close()


@pytest.fixture
def open_store(request: pytest.FixtureRequest, store: GraphStore,
               neo4j_servers: Neo4jServers) -> Callable[[Path], GraphStore]:
    """Opens another empty store of ``store``'s backend (for Neo4j: on a second server)."""
    return partial(_open, request.node.callspec.params["store"], neo4j=neo4j_servers, slot=1)


@pytest.fixture
def directory(store: GraphStore) -> Directory:
    """A directory on an empty store (no areas loaded)."""
    return Directory(store, actor="tester")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with the national areas and the demo region, built once."""
    from directory.demo_load import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    s = SqliteStore(str(path))
    load_demo(Directory(s, actor="demo"))
    s.close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store file."""
    target = tmp_path / "demo.db"
    shutil.copy(demo_template, target)
    return target


@pytest.fixture(params=BACKENDS)
def demo(request: pytest.FixtureRequest, demo_db: Path, demo_template: Path,
         neo4j_servers: Neo4jServers) -> Iterator[Directory]:
    """A directory with the demo region, on each backend."""
    if request.param == "sqlite":
        s: GraphStore = SqliteStore(str(demo_db))
    else:
        s = neo4j_servers.with_content(0, demo_template)
    yield Directory(s, actor="tester")
    s.close()


Import = Callable[..., tuple[int, dict[str, Any], str]]


@pytest.fixture(scope="session")
def areas_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite store with the national areas only (what ``wijkkaart init`` makes)."""
    path = tmp_path_factory.mktemp("areas") / "areas.db"
    store = SqliteStore(str(path))
    Directory(store, actor="test").init()
    store.close()
    return path


@pytest.fixture
def areas_db(areas_template: Path, tmp_path: Path) -> Path:
    """A private copy of ``areas_template``."""
    target = tmp_path / "areas.db"
    shutil.copy(areas_template, target)
    return target


@pytest.fixture
def run_import(capsys: pytest.CaptureFixture[str], areas_db: Path) -> Import:
    """``run_import(path, *flags, store=...)`` → (exit code, JSON report or {}, stderr) of
    ``wijkkaart import --json`` run in-process, into ``areas_db`` unless ``store`` is given."""
    from directory.cli import main

    def call(path: Path, *flags: str, store: Path | None = None) -> tuple[int, dict[str, Any],
                                                                         str]:
        code = main(["--store", str(store or areas_db), "import", str(path), "--json", *flags])
        out, err = capsys.readouterr()
        return code, (json.loads(out) if out else {}), err
    return call


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """An empty, initialised SQLite store file (no areas)."""
    path = tmp_path / "store.db"
    store = SqliteStore(str(path))
    store.init()
    store.close()
    return path


@pytest.fixture
def other(open_store: Callable[[Path], GraphStore],
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Directory]:
    """A second empty directory on the backend of ``directory`` (closed afterwards)."""
    store = open_store(tmp_path_factory.mktemp("other"))
    store.init()
    yield Directory(store, actor="tester")
    store.close()


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], store_path: Path) -> Import:
    """``run(*args, store=...)`` → (exit code, JSON output or {}, stderr) of ``wijkkaart``
    in-process, on ``store_path`` unless ``store`` is given."""
    from directory.cli import main

    def call(*args: str, store: Path | None = None) -> tuple[int, dict[str, Any], str]:
        code = main(["--store", str(store or store_path), *args])
        out, err = capsys.readouterr()
        return code, (json.loads(out) if out.strip().startswith("{") else {}), err
    return call
