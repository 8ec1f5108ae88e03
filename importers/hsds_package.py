"""Reading an HSDS tabular data package: a folder or a zip with ``datapackage.json`` + CSVs.

Only file handling lives here: finding the package (also one folder deep in a zip), checking
sizes before reading, decoding, and CSV rows with their line numbers. Joining the rows is
:mod:`importers.hsds_tables`' job.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from importers.hsds_tables import TABLES, Rows

__all__ = ["DATAPACKAGE", "read_package", "is_package", "csv_rows"]

DATAPACKAGE = "datapackage.json"


def csv_rows(text: str, name: str) -> list[tuple[int, dict[str, Any]]]:
    """The rows of one CSV table with the line each starts on (the header is line 1)."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    rows = []
    start = 2
    try:
        for row in reader:
            if None in row:
                raise ValueError(f"{name} regel {start}: meer cellen dan kolommen")
            rows.append((start, dict(row)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ValueError(f"{name} regel {start}: onleesbare CSV ({exc})") from exc
    return rows


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise ValueError(f"{name} is geen tekstbestand (binaire inhoud)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name} is geen leesbare tekst (UTF-8)") from exc


def _resources(descriptor: bytes) -> dict[str, str]:
    """CSV file name → table file name it stands for (from the descriptor's resources)."""
    try:
        data = json.loads(_decode(descriptor, DATAPACKAGE))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{DATAPACKAGE} is geen geldige JSON (regel {exc.lineno})") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{DATAPACKAGE} is geen datapakketbeschrijving")
    kinds = {kind: table for table, kind in TABLES.items()}
    paths = {table: table for table in TABLES}
    for resource in data.get("resources") or []:
        if isinstance(resource, dict) and resource.get("name") in kinds and isinstance(
                resource.get("path"), str):
            paths[PurePosixPath(resource["path"]).name] = kinds[resource["name"]]
    return paths


def _folder(folder: Path, max_bytes: int) -> tuple[bytes, dict[str, bytes]]:
    files = {p.name: p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv"}
    total = sum(p.stat().st_size for p in files.values())
    if total > max_bytes:
        raise ValueError(f"datapakket is te groot ({total / 1e6:.1f} MB; maximaal "
                         f"{max_bytes / 1e6:.1f} MB)")
    return (folder / DATAPACKAGE).read_bytes(), {n: p.read_bytes() for n, p in files.items()}


def _zip(path: Path, max_bytes: int) -> tuple[bytes, dict[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            roots = sorted((i for i in infos if PurePosixPath(i.filename).name == DATAPACKAGE),
                           key=lambda i: i.filename.count("/"))
            if not roots:
                raise ValueError(f"zip bevat geen {DATAPACKAGE} (geen HSDS-datapakket)")
            base = PurePosixPath(roots[0].filename).parent
            members = [i for i in infos if PurePosixPath(i.filename).parent == base]
            total = sum(i.file_size for i in members)
            if total > max_bytes:
                raise ValueError(f"datapakket is uitgepakt te groot ({total / 1e6:.1f} MB; "
                                 f"maximaal {max_bytes / 1e6:.1f} MB)")
            data = {PurePosixPath(i.filename).name: archive.read(i) for i in members}
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ValueError(f"{path.name} is geen leesbaar zip-bestand") from exc
    return data[DATAPACKAGE], {n: b for n, b in data.items() if n.lower().endswith(".csv")}


def is_package(path: Path) -> bool:
    """A folder (or a datapackage.json) of an HSDS data package, or a zip holding one."""
    if path.is_dir():
        return (path / DATAPACKAGE).is_file()
    if path.name == DATAPACKAGE:
        return True
    if not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return any(PurePosixPath(n).name == DATAPACKAGE for n in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def read_package(path: Path, max_bytes: int) -> tuple[str, Rows]:
    """The dataset name and the rows of every known table of a package at ``path``."""
    if path.name == DATAPACKAGE:
        path = path.parent
    if path.is_dir():
        if not (path / DATAPACKAGE).is_file():
            raise ValueError(f"map bevat geen {DATAPACKAGE} (geen HSDS-datapakket)")
        descriptor, files = _folder(path, max_bytes)
    else:
        descriptor, files = _zip(path, max_bytes)
    tables = _resources(descriptor)
    rows: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for name, data in sorted(files.items()):
        table = tables.get(name)
        if table is not None:
            rows[table] = csv_rows(_decode(data, name), name)
    if not rows.get("services.csv") and not rows.get("organizations.csv"):
        raise ValueError("datapakket bevat geen services.csv of organizations.csv met rijen")
    return path.stem if path.is_file() else path.name, rows
