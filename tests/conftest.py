"""Shared fixtures: a ``store`` per backend, a ``directory`` on it, and the demo region."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from directory.service import Directory
from directory.store import GraphStore
from graph.sqlite_store import SqliteStore

BACKENDS = ["sqlite"]


def _open(backend: str, folder: Path) -> GraphStore:
    if backend == "sqlite":
        return SqliteStore(str(folder / "store.db"))
    raise AssertionError(f"unknown backend {backend}")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty, initialised store of each backend."""
    s = _open(request.param, tmp_path)
    s.init()
    yield s
    s.close()


@pytest.fixture
def open_store(request: pytest.FixtureRequest, store: GraphStore) -> Callable[[Path], GraphStore]:
    """Opens another (uninitialised) store of ``store``'s backend in a given folder."""
    return partial(_open, request.node.callspec.params["store"])


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
def demo(request: pytest.FixtureRequest, demo_db: Path, tmp_path: Path) -> Iterator[Directory]:
    """A directory with the demo region, on each backend."""
    if request.param == "sqlite":
        s: GraphStore = SqliteStore(str(demo_db))
    else:
        template = SqliteStore(str(demo_db))
        s = _open(request.param, tmp_path)
        s.init()
        s.load(template.dump())
        template.close()
    yield Directory(s, actor="tester")
    s.close()
