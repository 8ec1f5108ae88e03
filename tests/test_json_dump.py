"""The JSON dump: complete and versioned, restored exactly by ``import --format json`` into
an empty store, refused (with nothing written) into a filled one or when malformed."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from store_files import dump, fingerprint

from directory.cli import main
from directory.errors import ValidationError
from directory.service import Directory
from graph.sqlite_store import SqliteStore
from importers.json_dump import FORMAT, VERSION, parse_dump, sniff_json
from importers.registry import ExportScope, detect_format, export_to


def json_dump(d: Directory) -> bytes:
    out = io.BytesIO()
    export_to(d, "json", out, ExportScope(include_contacts=True))
    return out.getvalue()


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_dump_is_complete_and_versioned(demo: Directory) -> None:
    data = json.loads(json_dump(demo))
    assert (data["format"], data["version"]) == (FORMAT, VERSION) == ("wijkkaart-dump", 1)
    records = list(demo.store.dump())
    assert data["nodes"] == [r["node"] for r in records if "node" in r]
    assert data["edges"] == [r["edge"] for r in records if "edge" in r]
    assert data["audit"] == [r["audit"] for r in records if "audit" in r]
    assert len(data["nodes"]) == demo.store.count_nodes() and data["audit"]


def test_restore_into_an_empty_store_is_exact(demo: Directory, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dump.json"
    path.write_bytes(json_dump(demo))
    target = tmp_path / "leeg.db"
    code, out, err = cli(capsys, "--store", str(target), "import", str(path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["format"], report["written"], report["rejected"]) == ("json", True, [])
    assert report["created"] == demo.store.count_nodes()
    restored = SqliteStore(str(target))
    try:
        assert json_dump(Directory(restored)) == path.read_bytes()
    finally:
        restored.close()


def test_restore_after_init_replaces_the_areas(demo: Directory, areas_db: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dump.json"
    path.write_bytes(json_dump(demo))
    code, _, err = cli(capsys, "--store", str(areas_db), "import", str(path), "--format", "json")
    assert code == 0, err
    restored = SqliteStore(str(areas_db))
    try:
        assert json_dump(Directory(restored)) == path.read_bytes()
    finally:
        restored.close()


def test_refused_into_a_filled_store(demo_db: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dump.json"
    assert main(["--store", str(demo_db), "export", "--format", "json", "-o", str(path),
                 "--include-contacts"]) == 0
    before = dump(demo_db)
    code, _, err = cli(capsys, "--store", str(demo_db), "import", str(path))
    assert code == 1
    assert "niet leeg" in err and "71 × organisatie" in err and "Traceback" not in err
    assert dump(demo_db) == before


def test_dry_run_writes_nothing(demo: Directory, areas_db: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dump.json"
    path.write_bytes(json_dump(demo))
    before = fingerprint(areas_db)
    code, out, _ = cli(capsys, "--store", str(areas_db), "import", str(path), "--dry-run",
                       "--json")
    assert code == 0 and json.loads(out)["written"] is False
    assert fingerprint(areas_db) == before


def test_detected_by_content(demo: Directory, tmp_path: Path) -> None:
    path = tmp_path / "zonder-extensie"
    path.write_bytes(json_dump(demo))
    assert detect_format(path) == "json"
    assert sniff_json(b'\xef\xbb\xbf  {\n "format": "wijkkaart-dump"', path)
    assert not sniff_json(b'{"id": "1", "name": "Pro Persona"}', tmp_path / "x.json")
    assert not sniff_json(b'{"wijkkaart_dump": 1}\n', tmp_path / "backup.jsonl")


def test_export_asks_for_contacts_and_covers_everything(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "dump.json"
    code, _, err = cli(capsys, "--store", str(demo_db), "export", "--format", "json", "-o",
                       str(target))
    assert code == 1 and "--include-contacts" in err and not target.exists()
    code, _, err = cli(capsys, "--store", str(demo_db), "export", "--format", "json", "-o",
                       str(target), "--include-contacts", "--area", "Dukenburg")
    assert code == 1 and "hele opslag" in err and not target.exists()


def test_cli_export_to_file_and_stdout(demo_db: Path, tmp_path: Path,
                                       capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    target = tmp_path / "dump.json"
    assert main(["--store", str(demo_db), "export", "--format", "json", "-o", str(target),
                 "--include-contacts"]) == 0
    assert b"geschreven naar" in capsysbinary.readouterr().err
    assert main(["--store", str(demo_db), "export", "--format", "json", "-o", "-",
                 "--include-contacts"]) == 0
    assert capsysbinary.readouterr().out == target.read_bytes()


# --- malformed dumps: a clear reason, nothing written -------------------------------------------


def _broken(demo: Directory, change: Any) -> str:
    data = json.loads(json_dump(demo))
    change(data)
    return json.dumps(data)


BROKEN = {
    "newer version": (lambda d: d.update(version=VERSION + 1), "nieuwer dan deze Wijkkaart"),
    "no format": (lambda d: d.pop("format"), "geen Wijkkaart-dump"),
    "unknown kind": (lambda d: d["nodes"][5].update(kind="Client"), "nodes[5].kind"),
    "duplicate id": (lambda d: d["nodes"][7].update(id=d["nodes"][6]["id"]), "nodes[7].id"),
    "dangling edge": (lambda d: d["edges"][3].update(dst="org-bestaat-niet"),
                      "edges[3].dst: knoop 'org-bestaat-niet' staat niet in de dump"),
    "wrong end kind": (lambda d: d["edges"][0].update(type="OFFERED_BY"), "edges[0].src"),
    "unknown relation": (lambda d: d["edges"][1].update(type="LIKES"), "edges[1].type"),
    "audit without target": (lambda d: d["audit"][2].pop("target"), "audit[2].target"),
    "nodes not a list": (lambda d: d.update(nodes={}), "nodes: moet een lijst zijn"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_malformed_dump_is_refused(demo: Directory, areas_db: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str], case: str) -> None:
    change, reason = BROKEN[case]
    path = tmp_path / "kapot.json"
    path.write_text(_broken(demo, change), encoding="utf-8")
    before = dump(areas_db)
    code, _, err = cli(capsys, "--store", str(areas_db), "import", str(path), "--format", "json")
    assert code == 1 and reason in err and "Traceback" not in err, err
    assert dump(areas_db) == before


def test_truncated_dump(demo: Directory, areas_db: Path, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "half.json"
    path.write_bytes(json_dump(demo)[:5000])
    before = dump(areas_db)
    code, _, err = cli(capsys, "--store", str(areas_db), "import", str(path))
    assert code == 1 and "half.json" in err and "ongeldige JSON" in err
    assert dump(areas_db) == before


def test_parse_lists_every_problem() -> None:
    text = json.dumps({"format": FORMAT, "version": 1,
                       "nodes": [{"id": "a", "kind": "Team", "props": {}, "version": 1},
                                 {"id": "", "kind": "Team", "props": [], "version": 0}],
                       "edges": [{"id": 1, "type": "SERVES", "src": "a", "dst": "b"}]})
    with pytest.raises(ValidationError) as caught:
        parse_dump(text)
    fields = [d.field for d in caught.value.details]
    assert fields == ["nodes[1].id", "nodes[1].props", "nodes[1].version", "edges[0].dst"]

