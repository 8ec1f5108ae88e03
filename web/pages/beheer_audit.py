"""The audit log page: every change, newest first, paged, optionally for one node (its own
entries and those of relations that end at it): who, when, what, and which values changed.
Personal fields of erased people are already scrubbed by the store (AVG)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.model import AuditEntry
from directory.service import Directory
from web.pages.base import render

__all__ = ["routes", "ACTIONS", "changes_of"]

PAGE_SIZE = 50
MAX_PAGE = 200
ACTIONS = {"create": "aangemaakt", "update": "gewijzigd", "delete": "verwijderd",
           "relate": "relatie gestart", "end": "relatie beëindigd",
           "update_relation": "relatie gewijzigd", "erase": "persoonsgegevens gewist"}
_SKIP = ("version", "updated_at", "created_at")


def _short(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return text if len(text) <= 120 else text[:119] + "…"


def _edge_text(record: dict[str, Any]) -> str:
    until = f" tot {record['until']}" if record.get("until") else ""
    return (f"{record.get('type')} {record.get('src')} → {record.get('dst')} "
            f"(vanaf {record.get('since') or '?'}{until})")


def changes_of(entry: AuditEntry) -> list[str]:
    """What an entry changed, one line per value."""
    before, after = entry.before or {}, entry.after or {}
    if "erased_fields" in after:
        return ["gewist: " + ", ".join(str(f) for f in after["erased_fields"])]
    if "type" in before or "type" in after:
        if before and after and before.get("until") != after.get("until"):
            return [f"{_edge_text(before)}: einddatum {_short(after.get('until'))}"]
        return [_edge_text(after or before)]
    old = before.get("props") or {}
    new = after.get("props") or {}
    lines = []
    for key in sorted(set(old) | set(new)):
        if key not in _SKIP and old.get(key) != new.get(key):
            lines.append(f"{key}: {_short(old.get(key))} → {_short(new.get(key))}")
    return lines


def _entries(directory: Directory, node: str | None, page: int) -> tuple[list[AuditEntry],
                                                                          bool]:
    wanted = page * PAGE_SIZE + 1
    found = directory.store.audit(node, limit=wanted, involving=node is not None)
    start = (page - 1) * PAGE_SIZE
    return found[start:start + PAGE_SIZE], len(found) > start + PAGE_SIZE


def _names(directory: Directory, entries: list[AuditEntry]) -> dict[str, str]:
    found = directory.store.get_nodes({e.target for e in entries})
    return {i: n.name for i, n in found.items()}


async def audit_page(request: Request) -> Response:
    node = request.query_params.get("node", "").strip()[:100] or None
    raw = request.query_params.get("pagina", "1")
    page = min(int(raw), MAX_PAGE) if raw.isdigit() and int(raw) > 0 else 1
    directory: Directory = request.app.state.directory
    entries, more = await run_in_threadpool(_entries, directory, node, page)
    names = await run_in_threadpool(_names, directory, entries)
    rows = [{"at": e.at.replace("T", " ")[:19], "actor": e.actor,
             "action": ACTIONS.get(e.action, e.action), "target": e.target,
             "name": names.get(e.target, ""), "changes": changes_of(e)} for e in entries]
    return render(request, "beheer_logboek.html", {
        "rows": rows, "node": node or "", "page": page, "more": more and page < MAX_PAGE})


def routes() -> list[Route]:
    return [Route("/beheer/logboek", audit_page, name="beheer.audit")]
