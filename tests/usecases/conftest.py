"""Fixtures for the use-case tests: a small hand-made region next to the demo region."""

from __future__ import annotations

import pytest

from directory.service import Directory

from .smallregion import Small, build_small


@pytest.fixture
def small(directory: Directory) -> Small:
    """West Betuwe in miniature on an empty store; see :func:`build_small`."""
    return build_small(directory)
