"""Helpers for the area import tests (CBS kerncijfers, GeoJSON, PC4): a store with the
national areas, the CLI import in-process, and reading areas back."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from directory.model import AREA, Node
from directory.service import Directory
from graph.sqlite_store import SqliteStore

DATA = Path(__file__).parent / "data"
CBS = DATA / "cbs"
PC4 = DATA / "pc4"

Import = Callable[..., tuple[int, dict[str, Any], str]]


def national_store(folder: Path) -> Path:
    """An SQLite store with the national areas only (what ``wijkkaart init`` makes)."""
    path = folder / "areas.db"
    store = SqliteStore(str(path))
    Directory(store, actor="test").init()
    store.close()
    return path


def copy_store(template: Path, folder: Path) -> Path:
    target = folder / "store.db"
    shutil.copy(template, target)
    return target


@contextmanager
def opened(path: Path) -> Iterator[Directory]:
    store = SqliteStore(str(path))
    try:
        yield Directory(store, actor="test")
    finally:
        store.close()


def area(path: Path, code: str) -> Node:
    with opened(path) as d:
        node = d.store.get_node(code)
    assert node.kind == AREA
    return node


def parents(d: Directory, code: str) -> list[str]:
    """Codes of the areas ``code`` lies WITHIN now."""
    return sorted(e.dst for e in d.store.edges(code, types=["WITHIN"], direction="out",
                                               current=True))


def rejections(report: dict[str, Any]) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for item in report["rejected"]:
        found.setdefault(item["line"], []).append((item["field"], item["message"]))
    return found
