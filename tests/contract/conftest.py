"""Fixtures of the contract suite: a second store of the same backend as ``store``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from directory.store import GraphStore


@pytest.fixture
def other_store(
    open_store: Callable[[Path], GraphStore], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    """A second empty, initialised store of the same backend as ``store``."""
    s = open_store(tmp_path_factory.mktemp("other"))
    s.init()
    yield s
    s.close()
