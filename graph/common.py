"""Helpers every store shares: canonical JSON and scrubbing personal fields from audit JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

RELATION_ACTIONS = ("relate", "end", "update_relation")


def dumps(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def scrub(text: str | None, fields: Sequence[str]) -> str | None:
    """An audit record (node or edge as JSON) with the named fields, top-level or in
    ``props``, set to null."""
    if text is None:
        return None
    data = json.loads(text)
    props = data.get("props")
    for target in (data, props if isinstance(props, dict) else {}):
        for name in fields:
            if name in target:
                target[name] = None
    return dumps(data)
