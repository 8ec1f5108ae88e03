"""The JSON dump: a complete, versioned copy of a store that ``import --format json``
restores exactly.

The dump holds the same node, edge and audit records as the JSON-lines backup of
``graph/dumpfile.py`` (``GraphStore.dump``/``load``), wrapped in one JSON document that
any JSON tool reads::

    {"format": "wijkkaart-dump", "version": 1,
     "nodes": [{"id", "kind", "props", "version", ...}, ...],
     "edges": [{"id", "type", "src", "dst", "props", "since", "until"}, ...],
     "audit": [{"id", "at", "actor", "action", "target", "before", "after"}, ...]}

A restore is all or nothing and only into a store without organisations, people,
teams, activities or agreements (the areas of ``wijkkaart init`` may be there: the
dump's areas replace them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from directory.errors import Conflict, Detail, ValidationError
from directory.importing import ImportReport
from directory.model import AREA, EDGE_TYPES, KIND_LABELS, KINDS
from directory.service import Directory

if TYPE_CHECKING:
    from importers.registry import ExportScope, ReadOptions, ReadResult

__all__ = ["FORMAT", "VERSION", "export_json", "format_dump", "parse_dump", "read_json",
           "sniff_json", "restore_dump"]

FORMAT = "wijkkaart-dump"
VERSION = 1
_SNIFF = re.compile(rb'^\s*\{\s*"format"\s*:\s*"wijkkaart-dump"')
_SECTIONS = (("nodes", "node"), ("edges", "edge"), ("audit", "audit"))
_MAX_DETAILS = 20


def _lines(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    """The dump document, one record per line (so it diffs and greps well)."""
    yield f'{{"format": "{FORMAT}", "version": {VERSION}'
    section = None
    for record in records:
        (key, value), = record.items()
        if key != section:
            if section is not None:
                yield "\n]"
            name = next(s for s, k in _SECTIONS if k == key)
            yield f',\n"{name}": [\n'
            section = key
        else:
            yield ",\n"
        yield json.dumps(value, ensure_ascii=False, sort_keys=True)
    if section is not None:
        yield "\n]"
    yield "}\n"


def format_dump(records: Iterable[dict[str, Any]]) -> str:
    """The dump document of store records (``GraphStore.dump`` order); pure."""
    return "".join(_lines(iter(records)))


def export_json(directory: Directory, out: BinaryIO, scope: ExportScope) -> int:
    """Registry exporter for ``--format json``: the whole store; the number of nodes."""
    if scope.area or scope.organisation or scope.team:
        raise ValidationError.field("--format", "een JSON-dump is altijd de hele opslag; "
                                                "laat --area, --organisation en --team weg")
    if not scope.include_contacts:
        raise ValidationError.field(
            "--include-contacts", "een JSON-dump is een volledige kopie, met telefoonnummers "
                                  "en e-mailadressen van contactpersonen; bevestig dat met "
                                  "--include-contacts")
    counts = {"node": 0}

    def counted() -> Iterator[dict[str, Any]]:
        for record in directory.store.dump():
            counts["node"] += "node" in record
            yield record

    for chunk in _lines(counted()):
        out.write(chunk.encode("utf-8"))
    return counts["node"]


# --- reading -------------------------------------------------------------------------------


def _check_node(index: int, node: Any, seen: set[str]) -> list[Detail]:
    where = f"nodes[{index}]"
    if not isinstance(node, dict):
        return [Detail(where, "geen object")]
    problems = []
    if not isinstance(node.get("id"), str) or not node["id"]:
        problems.append(Detail(f"{where}.id", "ontbreekt of is geen tekst"))
    elif node["id"] in seen:
        problems.append(Detail(f"{where}.id", f"'{node['id']}' staat er twee keer in"))
    else:
        seen.add(node["id"])
    if node.get("kind") not in KINDS:
        problems.append(Detail(f"{where}.kind", f"onbekende soort {node.get('kind')!r} "
                                               f"(kies uit {', '.join(KINDS)})"))
    if not isinstance(node.get("props"), dict):
        problems.append(Detail(f"{where}.props", "ontbreekt of is geen object"))
    if not isinstance(node.get("version"), int) or node["version"] < 1:
        problems.append(Detail(f"{where}.version", "moet een geheel getal vanaf 1 zijn"))
    return problems


def _check_edge(index: int, edge: Any, kinds: dict[str, str], seen: set[int]) -> list[Detail]:
    where = f"edges[{index}]"
    if not isinstance(edge, dict):
        return [Detail(where, "geen object")]
    problems = []
    if not isinstance(edge.get("id"), int) or edge["id"] in seen:
        problems.append(Detail(f"{where}.id", "ontbreekt, is geen geheel getal of staat er "
                                              "twee keer in"))
    else:
        seen.add(edge["id"])
    ends = EDGE_TYPES.get(edge.get("type"))  # type: ignore[arg-type]
    if ends is None:
        return problems + [Detail(f"{where}.type", f"onbekende relatie {edge.get('type')!r}")]
    for end, want in zip(("src", "dst"), ends, strict=True):
        found = kinds.get(edge.get(end))  # type: ignore[arg-type]
        if found is None:
            problems.append(Detail(f"{where}.{end}", f"knoop {edge.get(end)!r} staat niet "
                                                     "in de dump"))
        elif found != want:
            problems.append(Detail(f"{where}.{end}", f"{edge['type']} verwacht een "
                                                     f"{KIND_LABELS[want]}, geen "
                                                     f"{KIND_LABELS[found]}"))
    if not isinstance(edge.get("props", {}), dict):
        problems.append(Detail(f"{where}.props", "is geen object"))
    return problems


def _check_audit(index: int, entry: Any) -> list[Detail]:
    where = f"audit[{index}]"
    if not isinstance(entry, dict):
        return [Detail(where, "geen object")]
    missing = [k for k in ("id", "at", "actor", "action", "target", "before", "after")
               if k not in entry]
    return [Detail(f"{where}.{k}", "ontbreekt") for k in missing]


def _check_header(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f'geen Wijkkaart-dump (verwacht {{"format": "{FORMAT}", ...}})')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError("version: ontbreekt of is geen geheel getal")
    if version > VERSION:
        raise ValueError(f"version: dump-versie {version} is nieuwer dan deze Wijkkaart "
                         f"(leest tot en met versie {VERSION}); werk Wijkkaart bij")
    for name, _ in _SECTIONS:
        if not isinstance(data.get(name, []), list):
            raise ValueError(f"{name}: moet een lijst zijn")


def parse_dump(text: str) -> list[dict[str, Any]]:
    """The dump's records as ``GraphStore.load`` takes them; ValidationError listing what
    is wrong (section, index, field and reason)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"regel {exc.lineno}, kolom {exc.colno}: ongeldige JSON ({exc.msg})"
                         ) from exc
    _check_header(data)
    nodes, edges, audit = (data.get(name, []) for name, _ in _SECTIONS)
    seen: set[str] = set()
    problems = [p for i, n in enumerate(nodes) for p in _check_node(i, n, seen)]
    kinds = {n["id"]: n["kind"] for n in nodes if isinstance(n, dict)
             and isinstance(n.get("id"), str) and n.get("kind") in KINDS}
    edge_ids: set[int] = set()
    problems += [p for i, e in enumerate(edges) for p in _check_edge(i, e, kinds, edge_ids)]
    problems += [p for i, a in enumerate(audit) for p in _check_audit(i, a)]
    if problems:
        more = len(problems) - _MAX_DETAILS
        message = str(problems[0]) + (f" (en nog {len(problems) - 1} fout(en))"
                                      if len(problems) > 1 else "")
        raise ValidationError(message, problems[:_MAX_DETAILS] + (
            [Detail("", f"… en nog {more} fout(en)")] if more > 0 else []))
    return ([{"node": n} for n in nodes] + [{"edge": e} for e in edges]
            + [{"audit": a} for a in audit])


def read_json(path: Path, options: ReadOptions) -> ReadResult:
    """Registry reader for ``--format json``: no records, the dump in ``extra["dump"]``."""
    from importers.registry import ReadResult

    records = parse_dump(path.read_bytes().decode("utf-8-sig"))
    return ReadResult("json", [], extra={"dump": records})


def sniff_json(head: bytes, path: Path) -> bool:
    """A Wijkkaart JSON dump (it starts with its format name)."""
    return bool(_SNIFF.match(head.removeprefix(b"\xef\xbb\xbf")))


# --- restoring -----------------------------------------------------------------------------


def _refuse_non_empty(directory: Directory) -> None:
    store = directory.store
    present = {kind: store.count_nodes(kind) for kind in KINDS if kind != AREA}
    found = [f"{count} × {KIND_LABELS[kind]}" for kind, count in present.items() if count]
    if found:
        raise Conflict(f"de opslag {store.url} is niet leeg ({', '.join(found)}); een "
                       "JSON-dump wordt alleen hersteld in een lege opslag (of een met alleen "
                       "de gebieden van 'wijkkaart init'); gebruik een nieuwe opslag")


def restore_dump(directory: Directory, records: list[dict[str, Any]], *,
                 dry_run: bool = False) -> ImportReport:
    """Load a checked dump into an empty store in one transaction (nothing on a dry run)."""
    _refuse_non_empty(directory)
    report = ImportReport(format="json", dry_run=dry_run,
                          created=sum("node" in r for r in records))
    if not dry_run:
        directory.store.load(records)
        report.written = True
    return report
