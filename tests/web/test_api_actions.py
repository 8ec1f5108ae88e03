"""Handover and import through the JSON API: the CLI's result shapes, dry runs, roles and
upload limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from api_clients import logged_in, make_app
from starlette.applications import Starlette
from starlette.testclient import TestClient

from directory.cli import main
from directory.handover import handover
from directory.service import Directory

CSV = ("Naam;Organisatie;Leefgebied(en);Dag;Tijd;Kosten;Postcode\n"
       "Taalcafé Hatert;Buurthuis Hatert;welzijn;di;10:00-12:00;gratis;6534 AB\n"
       "Wandelgroep Lindenholt;Welzijn West;zorg;do;14:00-15:30;gratis;6545 AA\n")
BAD_CSV = CSV + "Zonder dag;Welzijn West;ruimtevaart;di;10:00-11:00;gratis;6545 AA\n"


@pytest.fixture
def app(demo: Directory) -> Starlette:
    return make_app(demo)


@pytest.fixture
def coordinator(app: Starlette) -> TestClient:
    return logged_in(app, "coordinator")


def test_handover_dry_run_then_for_real(demo: Directory, coordinator: TestClient) -> None:
    body = {"from": "per-0004", "to": "per-0001", "dry_run": True}
    plan = coordinator.post("/api/handover", json=body)
    assert plan.status_code == 200, plan.text
    expected = handover(demo, "per-0004", "per-0001", dry_run=True)
    assert plan.json() == json.loads(json.dumps(expected)) and expected["moved"]
    assert demo.store.edges("per-0004", types=["LIAISON_FOR"], current=True)
    done = coordinator.post("/api/handover", json=body | {"dry_run": False})
    assert done.status_code == 200 and done.json()["dry_run"] is False
    assert done.json()["moved"] == plan.json()["moved"]
    assert not demo.store.edges("per-0004", types=["LIAISON_FOR"], current=True)
    assert demo.store.audit(limit=1)[0].actor == "test-coordinator"


def test_handover_errors_and_roles(app: Starlette, coordinator: TestClient) -> None:
    missing = coordinator.post("/api/handover", json={"from": "per-0004"})
    assert missing.status_code == 422
    assert missing.json()["error"]["details"][0]["field"] == "to"
    unknown = coordinator.post("/api/handover", json={"from": "per-0004", "to": "Niemand"})
    assert unknown.status_code == 404
    same = coordinator.post("/api/handover", json={"from": "per-0004", "to": "per-0004"})
    assert same.status_code == 422
    editor = logged_in(app, "redacteur")
    assert editor.post("/api/handover", json={"from": "per-0004", "to": "per-0001"}
                       ).status_code == 403


def _upload(client: TestClient, text: str, **fields: str) -> tuple[int, dict[str, object]]:
    got = client.post("/api/import", files={"file": ("aanbod.csv", text.encode("utf-8"),
                                                     "text/csv")}, data=fields)
    return got.status_code, got.json()


def test_import_is_a_dry_run_by_default_with_the_cli_shape(
        demo: Directory, app: Starlette, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    editor = logged_in(app, "redacteur")
    before = demo.store.count_nodes()
    status, report = _upload(editor, CSV)
    assert status == 200
    assert report["written"] is False and report["dry_run"] is True
    assert report["format"] == "csv" and report["created"] >= 2 and report["rejected"] == []
    assert demo.store.count_nodes() == before
    if demo.store.url.startswith("sqlite"):  # the CLI gives the same document
        path = tmp_path / "aanbod.csv"
        path.write_text(CSV, encoding="utf-8")
        assert main(["--store", demo.store.url, "import", str(path), "--dry-run", "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == report
    status, written = _upload(editor, CSV, dry_run="false")
    assert status == 200 and written["written"] is True
    assert written["created"] == report["created"]
    assert demo.store.count_nodes() == before + report["created"]
    status, again = _upload(editor, CSV, dry_run="nee")
    assert again["created"] == 0 and again["unchanged"] >= 2


def test_import_reports_rejected_rows_and_writes_nothing(demo: Directory,
                                                         app: Starlette) -> None:
    editor = logged_in(app, "redacteur")
    before = demo.store.count_nodes()
    status, report = _upload(editor, BAD_CSV, dry_run="false")
    assert status == 200 and report["written"] is False
    assert [(r["line"], r["field"]) for r in report["rejected"]] == [(4, "Leefgebied(en)")]
    assert demo.store.count_nodes() == before
    status, skipped = _upload(editor, BAD_CSV, dry_run="false", skip_invalid="true")
    assert skipped["written"] is True and len(skipped["rejected"]) == 1


def test_import_refusals(app: Starlette) -> None:
    editor = logged_in(app, "redacteur")
    no_file = editor.post("/api/import", data={"dry_run": "true"},
                          files={"other": ("x.csv", b"a", "text/csv")})
    assert no_file.status_code == 422
    as_json = editor.post("/api/import", json={"file": "x"})
    assert as_json.status_code == 415
    status, report = _upload(editor, "\x00\x01\x02 niets", format="csv")
    assert status == 422 and report["error"]["details"]  # type: ignore[index]
    status, bad_flag = _upload(editor, CSV, dry_run="misschien")
    assert status == 422
    assert logged_in(app, "lezer").post(
        "/api/import", files={"file": ("a.csv", CSV.encode(), "text/csv")}).status_code == 403


def test_import_upload_size_limit(app: Starlette) -> None:
    from web.security import MAX_UPLOAD_BYTES

    editor = logged_in(app, "redacteur")
    big = b"Naam;Organisatie\n" + b"x;y\n" * (MAX_UPLOAD_BYTES // 4 + 10)
    got = editor.post("/api/import", files={"file": ("groot.csv", big, "text/csv")})
    assert got.status_code == 413 and got.json()["error"]["code"] == "too_large"


def test_restoring_a_dump_through_the_api_needs_the_beheerder(app: Starlette) -> None:
    dump = {"format": "wijkkaart-dump", "version": 1, "nodes": [], "edges": [], "audit": []}
    files = {"file": ("dump.json", json.dumps(dump).encode(), "application/json")}
    refused = logged_in(app, "redacteur").post("/api/import", files=files,
                                               data={"dry_run": "false"})
    assert refused.status_code == 422
    assert "alleen een beheerder" in refused.json()["error"]["message"]
    # a beheerder gets past the role check; the demo store is not empty, so it is refused
    beheerder = logged_in(app, "beheerder").post("/api/import", files=files,
                                                 data={"dry_run": "false"})
    assert beheerder.status_code == 409
    assert "lege opslag" in beheerder.json()["error"]["message"]
