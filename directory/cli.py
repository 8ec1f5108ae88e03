"""The ``wijkkaart`` command: parse arguments, call the core, print text or JSON.

Domain errors become one line on stderr and exit code 1; usage errors exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from directory import cli_format as fmt
from directory.errors import NotFound, ValidationError, WijkkaartError
from directory.service import Directory

Handler = Callable[[Directory, argparse.Namespace], int]


def _emit(args: argparse.Namespace, data: Any, render: Callable[[Any], str]) -> None:
    if getattr(args, "json", False):
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(data) + "\n")


def cmd_init(d: Directory, args: argparse.Namespace) -> int:
    added = d.init()
    print(f"Opslag klaar: {d.store.url} ({added} gebieden toegevoegd)")
    return 0


def cmd_list(d: Directory, args: argparse.Namespace) -> int:
    from directory.listing import list_nodes

    data = list_nodes(d, args.kind, area=args.area, team=args.team, limit=args.limit,
                      offset=args.offset)
    _emit(args, data, fmt.listing)
    return 0


def cmd_show(d: Directory, args: argparse.Namespace) -> int:
    from directory.listing import show_node

    _emit(args, show_node(d, args.ref), fmt.show)
    return 0


def cmd_search(d: Directory, args: argparse.Namespace) -> int:
    from directory.search import SearchQuery, search

    query = SearchQuery(text=" ".join(args.text), area=args.area, domains=args.domain,
                        days=args.day, free=args.free, no_referral=args.no_referral,
                        targets=args.target, near=args.near, km=args.km, limit=args.limit,
                        offset=args.offset)
    _emit(args, search(d, query), fmt.search_results)
    return 0


def cmd_import(d: Directory, args: argparse.Namespace) -> int:
    from importers.pipeline import load_read
    from importers.registry import read_records

    read = read_records(args.path, args.format, args.mapping)
    with fmt.progress(len(read.records), "importeren") as step:
        data = load_read(d, read, dry_run=args.dry_run, skip_invalid=args.skip_invalid,
                         progress=step)
    _emit(args, data, fmt.import_report)
    if data["rejected"] and not args.skip_invalid:
        lines = len({item["line"] for item in data["rejected"]})
        print(f"fout: {lines} {read.unit}(s) afgewezen; er is niets geschreven",
              file=sys.stderr)
        return 1
    return 0


def cmd_export(d: Directory, args: argparse.Namespace) -> int:
    from importers.atomic import atomic_output
    from importers.registry import ExportScope, export_to

    scope = ExportScope(area=args.area, organisation=args.organisation, team=args.team,
                        include_contacts=args.include_contacts)
    if args.output == "-":
        count = export_to(d, args.format, sys.stdout.buffer, scope)
        sys.stdout.flush()
    else:
        with atomic_output(args.output) as out:
            count = export_to(d, args.format, out, scope)
        print(f"{count} item(s) geschreven naar {args.output} ({args.format})", file=sys.stderr)
    return 0


def cmd_handover(d: Directory, args: argparse.Namespace) -> int:
    from directory.handover import handover

    _emit(args, handover(d, args.from_, args.to, dry_run=args.dry_run), fmt.handover)
    return 0


def cmd_document(d: Directory, args: argparse.Namespace) -> int:
    from directory.handover import handover_document, handover_markdown

    _emit(args, handover_document(d, args.person), handover_markdown)
    return 0


def cmd_analyse(d: Directory, args: argparse.Namespace) -> int:
    from directory.analysis import analyse

    _emit(args, analyse(d, args.area), fmt.analysis)
    return 0


def cmd_coverage(d: Directory, args: argparse.Namespace) -> int:
    from directory.coverage import coverage

    _emit(args, coverage(d, args.area), fmt.coverage)
    return 0


def cmd_picture(d: Directory, args: argparse.Namespace) -> int:
    from graph.picture import build_picture
    from graph.picture_html import picture_html
    from importers.atomic import atomic_output

    picture = build_picture(d, area=args.area, team=args.team)
    html = picture_html(picture).encode("utf-8")
    with atomic_output(args.output) as out:
        out.write(html)
    for note in picture.notes:
        print(note, file=sys.stderr)
    print(f"Netwerkplaat met {len(picture.nodes)} knopen en {len(picture.edges)} relaties "
          f"geschreven naar {args.output}", file=sys.stderr)
    return 0


def cmd_demo(d: Directory, args: argparse.Namespace) -> int:
    from directory.demo_load import load_demo

    added = load_demo(d)
    if added["nodes"]:
        print(f"Demoregio geladen in {d.store.url}: {added['nodes']} knopen, "
              f"{added['edges']} relaties.")
    else:
        print(f"De demoregio staat al in {d.store.url}.")
    return 0


def cmd_backup(d: Directory, args: argparse.Namespace) -> int:
    d.store.backup(args.path)
    print(f"Back-up geschreven naar {os.path.abspath(args.path)}")
    return 0


def cmd_restore(d: Directory, args: argparse.Namespace) -> int:
    from directory.backup import restore

    if not os.path.isfile(args.path):
        raise NotFound(f"back-up niet gevonden: {args.path}")
    backup = _open_source(args.path)
    try:
        counts = restore(d.store, backup)
    finally:
        backup.close()
    print(f"Hersteld uit {args.path}: {counts['nodes']} knopen, {counts['edges']} relaties.")
    return 0


def _open_source(url: str) -> Any:
    """A store, or a dump file written by ``backup`` of a server store."""
    from graph import open_store
    from graph.dumpfile import DumpFile, is_dump

    return DumpFile(url) if os.path.isfile(url) and is_dump(url) else open_store(url)


def cmd_migrate(d: Directory, args: argparse.Namespace) -> int:
    from directory.backup import migrate

    source = _open_source(args.from_)
    try:
        counts = migrate(source, d.store, replace=args.replace)
    finally:
        source.close()
    print(f"Gekopieerd van {args.from_} naar {d.store.url}: {counts['nodes']} knopen, "
          f"{counts['edges']} relaties, {counts['audit']} auditregels.")
    return 0


def cmd_person(d: Directory, args: argparse.Namespace) -> int:
    from directory.people import erase_person, export_person

    if args.action == "export":
        json.dump(export_person(d, args.ref), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not args.yes:
        raise ValidationError.field("--yes", "wissen kan niet ongedaan worden; bevestig met --yes")
    erased = erase_person(d, args.ref)
    print(f"Persoonsgegevens van {erased.id} gewist; relaties blijven als geanonimiseerde "
          "geschiedenis.")
    return 0


def cmd_serve(d: Directory, args: argparse.Namespace) -> int:
    from web.serve import serve

    return serve(d, host=args.host, port=args.port, demo=args.demo)


def cmd_user(d: Directory, args: argparse.Namespace) -> int:
    from directory.cli_user import cmd_user as run

    return run(d, args)


def build_parser() -> argparse.ArgumentParser:
    from directory import cli_args

    return cli_args.build_parser({
        "init": cmd_init, "list": cmd_list, "show": cmd_show, "search": cmd_search,
        "import": cmd_import, "export": cmd_export, "handover": cmd_handover,
        "handover-document": cmd_document,
        "analyse": cmd_analyse, "coverage": cmd_coverage, "picture": cmd_picture,
        "demo": cmd_demo,
        "backup": cmd_backup, "restore": cmd_restore, "person": cmd_person,
        "migrate": cmd_migrate, "serve": cmd_serve, "user": cmd_user,
    })


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the final flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (e.g. captured in tests)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wijkkaart`` console script."""
    args = build_parser().parse_args(argv)
    from graph import open_store

    if args.command == "migrate":
        args.store = args.to
    try:
        store = open_store(args.store)
        try:
            directory = Directory(store, actor=os.environ.get("WIJKKAART_USER", "cli"))
            if args.command not in ("init", "demo", "restore", "migrate"):
                store.init()
            return int(args.handler(directory, args))
        finally:
            store.close()
    except WijkkaartError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader stopped early (``| head``): nothing went wrong here
        _discard_stdout()
        return 0
    except (OSError, ValueError) as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("afgebroken; er is niets half geschreven", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
