"""Whole-store copies: restore a backup into a store, and migrate between stores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from directory.errors import BackendUnavailable, Conflict, ValidationError
from directory.store import GraphStore

__all__ = ["restore", "migrate", "RecordSource"]


class RecordSource(Protocol):
    """Anything that can dump a whole store: a store, or a dump file."""

    url: str

    def dump(self) -> Iterator[dict[str, Any]]: ...


def _records(source: RecordSource) -> list[dict[str, Any]]:
    try:
        return list(source.dump())
    except BackendUnavailable as exc:
        raise ValidationError.field("pad", f"{source.url} is geen Wijkkaart-opslag of "
                                           f"-back-up ({exc})") from exc


def _counts(records: list[dict[str, Any]]) -> dict[str, int]:
    return {"nodes": sum("node" in r for r in records),
            "edges": sum("edge" in r for r in records),
            "audit": sum("audit" in r for r in records)}


def restore(target: GraphStore, backup: RecordSource) -> dict[str, int]:
    """Load every node, edge and audit entry of ``backup`` into ``target``, replacing all."""
    records = _records(backup)
    target.init()
    target.load(records)
    return _counts(records)


def migrate(source: RecordSource, target: GraphStore, *, replace: bool = False
            ) -> dict[str, int]:
    """Copy a whole store (nodes, relations with history, audit log) into another one.

    The target must be empty unless ``replace`` is given; ids, versions and dates are
    kept, so a round trip gives an identical dump.
    """
    records = _records(source)
    target.init()
    if target.count_nodes() and not replace:
        raise Conflict(f"{target.url} is niet leeg; gebruik --replace om de inhoud te "
                       "vervangen")
    target.load(records)
    return _counts(records)
