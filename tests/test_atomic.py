"""atomic_output: an export appears whole, with ordinary file permissions, or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from importers.atomic import atomic_output


def test_the_file_appears_with_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with atomic_output(tmp_path / "uit.csv") as out:
            out.write(b"a;b\n")
    finally:
        os.umask(old)
    target = tmp_path / "uit.csv"
    assert target.read_bytes() == b"a;b\n"
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["uit.csv"]


def test_a_failed_export_leaves_nothing_and_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "uit.csv"
    target.write_bytes(b"oud")
    with pytest.raises(RuntimeError), atomic_output(target) as out:
        out.write(b"half")
        raise RuntimeError("stuk")
    assert target.read_bytes() == b"oud"
    assert [p.name for p in tmp_path.iterdir()] == ["uit.csv"]
