"""Whole-store dumps as JSON Lines: the backup format of server stores and of migrations."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

from directory.errors import Conflict, ValidationError

HEADER = {"wijkkaart_dump": 1}


def write_dump(path: str, records: Iterable[dict[str, Any]]) -> int:
    """Write a dump to a new file (never over an existing one); returns the record count."""
    target = os.path.abspath(os.path.expanduser(path))
    if os.path.exists(target):
        raise Conflict(f"{target} bestaat al; kies een nieuwe bestandsnaam")
    partial = target + ".partial"
    count = 0
    with open(partial, "w", encoding="utf-8") as out:
        out.write(json.dumps(HEADER) + "\n")
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    os.replace(partial, target)
    return count


def is_dump(path: str) -> bool:
    """Whether a file starts like a Wijkkaart dump."""
    try:
        with open(path, encoding="utf-8") as handle:
            return bool(json.loads(handle.readline()) == HEADER)
    except (OSError, ValueError):
        return False


class DumpFile:
    """A dump file read back as a source of records (what ``restore`` needs of a store)."""

    def __init__(self, path: str) -> None:
        self.url = path
        if not is_dump(path):
            raise ValidationError.field("pad", f"{path} is geen Wijkkaart-dump")

    def dump(self) -> Iterator[dict[str, Any]]:
        with open(self.url, encoding="utf-8") as handle:
            handle.readline()
            for number, line in enumerate(handle, start=2):
                try:
                    yield json.loads(line)
                except ValueError as exc:
                    raise ValidationError.field(
                        "pad", f"regel {number} van {self.url} is geen geldige JSON") from exc

    def close(self) -> None:
        """Nothing to release; here so a DumpFile can stand in for a store."""
