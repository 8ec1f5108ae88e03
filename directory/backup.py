"""Restore: replace a store's content with the content of a backup store."""

from __future__ import annotations

from directory.errors import BackendUnavailable, ValidationError
from directory.store import GraphStore

__all__ = ["restore"]


def restore(target: GraphStore, backup: GraphStore) -> dict[str, int]:
    """Load every node, edge and audit entry of ``backup`` into ``target``, replacing all."""
    try:
        records = list(backup.dump())
    except BackendUnavailable as exc:
        raise ValidationError.field("pad", f"{backup.url} is geen Wijkkaart-back-up") from exc
    target.init()
    target.load(records)
    return {"nodes": sum("node" in r for r in records), "edges": sum("edge" in r for r in records)}
