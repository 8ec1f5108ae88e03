"""The ``wijkkaart`` command (DESIGN §3): every command, its --json shape and its exit codes.

Most tests call ``directory.cli.main`` in-process on a private copy of the demo store; two
run the installed console script to prove the entry point works.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from store_files import dump, fingerprint

from directory.cli import main

Run = Callable[..., tuple[int, str, str]]

SEARCH_KEYS = {"id", "title", "organisation", "areas", "life_domains", "days", "start", "end",
               "cost", "free", "referral_needed", "contact", "distance_km", "score"}
RELATION_KEYS = {"type", "direction", "other", "since", "until"}
KINDS = {"organisations": "Organisation", "people": "Person", "activities": "Activity",
         "teams": "Team", "areas": "Area", "agreements": "Agreement"}


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], demo_db: Path) -> Run:
    """``run(*argv, store=...)`` → (exit code, stdout, stderr); the demo store by default."""
    def call(*argv: str, store: Path | str | None = None) -> tuple[int, str, str]:
        code = main(["--store", str(store or demo_db), *argv])
        out, err = capsys.readouterr()
        return code, out, err
    return call


def run_json(run: Run, *argv: str, store: Path | None = None) -> Any:
    code, out, err = run(*argv, "--json", store=store)
    assert code == 0, err
    return json.loads(out)


def assert_one_line_error(err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("fout: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


# --- init and demo -------------------------------------------------------------------------


def test_init_loads_the_national_areas_once(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "new.db"
    code, out, _ = run("init", store=store)
    assert code == 0
    assert "3735 gebieden toegevoegd" in out
    areas = run_json(run, "list", "areas", "--limit", "1", store=store)
    assert areas["total"] == 3735
    code, out, _ = run("init", store=store)
    assert code == 0 and "(0 gebieden toegevoegd)" in out


def test_demo_loads_once_and_a_second_run_changes_nothing(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "fresh.db"
    code, out, _ = run("demo", store=store)
    assert code == 0 and "Demoregio geladen" in out
    first = dump(store)
    code, out, _ = run("demo", store=store)
    assert code == 0 and "staat al" in out
    assert dump(store) == first
    assert run_json(run, "list", "teams", store=store)["total"] == 5


def test_store_comes_from_the_environment(
        capsys: pytest.CaptureFixture[str], demo_db: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKKAART_STORE", str(demo_db))
    assert main(["list", "teams", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 5


def test_store_option_may_follow_the_command(
        capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    assert main(["list", "teams", "--store", str(demo_db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 5


# --- list ----------------------------------------------------------------------------------


@pytest.mark.parametrize("collection", list(KINDS))
def test_list_every_kind_has_the_documented_shape(run: Run, collection: str) -> None:
    data = run_json(run, "list", collection)
    assert set(data) >= {"items", "total"}
    assert data["total"] == len(data["items"]) > 0
    for item in data["items"]:
        assert {"id", "kind", "name"} <= set(item)
        assert item["kind"] == KINDS[collection]


def test_list_text_output_ends_with_a_count(run: Run) -> None:
    code, out, _ = run("list", "teams")
    assert code == 0
    assert "WijkGGZ Tiel" in out
    assert out.strip().endswith("(5 van 5)")


def test_list_pages_with_limit_and_offset(run: Run) -> None:
    everyone = run_json(run, "list", "people")
    first = run_json(run, "list", "people", "--limit", "5")
    second = run_json(run, "list", "people", "--limit", "5", "--offset", "5")
    assert first["total"] == second["total"] == everyone["total"]
    assert [i["id"] for i in first["items"] + second["items"]] == \
        [i["id"] for i in everyone["items"][:10]]
    past_end = run_json(run, "list", "people", "--offset", str(everyone["total"]))
    assert past_end["items"] == [] and past_end["total"] == everyone["total"]


def test_list_filters_by_area(run: Run) -> None:
    everything = run_json(run, "list", "activities")["total"]
    dukenburg = run_json(run, "list", "activities", "--area", "Dukenburg")
    assert 0 < dukenburg["total"] < everything
    teams = run_json(run, "list", "teams", "--area", "WK026807")
    assert [t["id"] for t in teams["items"]] == ["team-dukenburg"]
    tiel = run_json(run, "list", "organisations", "--area", "GM0281")
    assert "org-welzijn-tielerwaard" in {o["id"] for o in tiel["items"]}
    assert "org-talis" not in {o["id"] for o in tiel["items"]}


def test_list_filters_by_team(run: Run) -> None:
    people = run_json(run, "list", "people", "--team", "WijkGGZ Tiel")
    ids = {p["id"] for p in people["items"]}
    assert {"per-0008", "per-0009", "per-0013"} <= ids
    assert "per-0001" not in ids
    partners = run_json(run, "list", "organisations", "--team", "team-dukenburg")
    assert "org-hap-meijhorst" in {o["id"] for o in partners["items"]}


# --- show ----------------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["org-pro-persona", "Pro Persona", "pro persona"])
def test_show_by_id_or_exact_name(run: Run, ref: str) -> None:
    data = run_json(run, "show", ref)
    assert (data["id"], data["kind"], data["name"]) == \
        ("org-pro-persona", "Organisation", "Pro Persona")
    assert data["role"] == "moederorganisatie"
    assert data["relations"]
    for relation in data["relations"]:
        assert set(relation) >= RELATION_KEYS
        assert relation["direction"] in ("out", "in")
        assert set(relation["other"]) >= {"id", "kind", "name"}
    assert {"EMPLOYED_BY", "ACTIVE_IN"} <= {r["type"] for r in data["relations"]}


@pytest.mark.parametrize("ref", ["GM0268", "gm0268", "WK026807"])
def test_show_an_area_by_cbs_code(run: Run, ref: str) -> None:
    data = run_json(run, "show", ref)
    assert data["kind"] == "Area" and data["id"] == ref.upper()
    assert any(r["type"] == "WITHIN" for r in data["relations"])


def test_show_an_agreement(run: Run) -> None:
    first = run_json(run, "list", "agreements", "--limit", "1")["items"][0]
    data = run_json(run, "show", first["id"])
    assert data["kind"] == "Agreement"
    assert data["agreement_kind"] in {"aanmelden", "consultatie_advies", "terugkoppeling",
                                      "casuistiekoverleg", "privacy_convenant"}
    assert {"WITH", "AGREED"} <= {r["type"] for r in data["relations"]}


def test_show_lists_past_relations_too(run: Run) -> None:
    data = run_json(run, "show", "per-0016")  # moved from Dukenburg to Wijchen in 2022
    member = {r["other"]["id"]: r for r in data["relations"] if r["type"] == "MEMBER_OF"}
    assert member["team-dukenburg"]["until"] == "2022-03-31"
    assert member["team-wijchen"]["until"] is None
    assert member["team-dukenburg"]["direction"] == "out"


def test_show_text_output(run: Run) -> None:
    code, out, _ = run("show", "team-tiel")
    assert code == 0
    assert out.startswith("WijkGGZ Tiel (Team, team-tiel)")
    assert "Relaties:" in out and "MEMBER_OF" in out and " – nu)" in out
    code, out, _ = run("show", "act-0072")
    assert code == 0 and "referral_needed: nee" in out and "False" not in out


# --- search --------------------------------------------------------------------------------


def test_search_json_has_the_documented_keys(run: Run) -> None:
    data = run_json(run, "search", "koffie")
    assert data["total"] >= len(data["items"]) > 0
    for item in data["items"]:
        assert set(item) >= SEARCH_KEYS
    scores = [item["score"] for item in data["items"]]
    assert scores == sorted(scores, reverse=True)


def test_search_pages_and_counts_every_match(run: Run) -> None:
    everything = run_json(run, "search", "--limit", "0")
    assert everything["total"] == len(everything["items"]) > 20
    page = run_json(run, "search")
    assert len(page["items"]) == 20 and page["total"] == everything["total"]
    second = run_json(run, "search", "--limit", "5", "--offset", "5")
    assert [i["id"] for i in second["items"]] == [i["id"] for i in everything["items"][5:10]]


def test_search_filters(run: Run) -> None:
    found = run_json(run, "search", "--domain", "financien", "--limit", "0")["items"]
    assert found and all("financien" in i["life_domains"] for i in found)
    found = run_json(run, "search", "--day", "di", "--limit", "0")["items"]
    assert found and all("di" in i["days"] for i in found)
    found = run_json(run, "search", "--free", "--no-referral", "--limit", "0")["items"]
    assert found and all(i["free"] and not i["referral_needed"] for i in found)
    found = run_json(run, "search", "--near", "6535", "--km", "2", "--limit", "0")["items"]
    assert found and all(i["distance_km"] is not None and i["distance_km"] <= 2 for i in found)
    found = run_json(run, "search", "--area", "Tiel", "--limit", "0")["items"]
    assert found and all(i["gemeente"] == "GM0281" for i in found)
    found = run_json(run, "search", "--target", "ouderen", "--limit", "0")["items"]
    assert found


def test_search_text_output(run: Run) -> None:
    code, out, _ = run("search", "schulden", "--area", "Nijmegen")
    assert code == 0
    assert out.startswith("1. ") and "resultaten)" in out
    code, out, _ = run("search", "zzzqqq")
    assert code == 0 and out.startswith("Geen activiteiten gevonden")


@pytest.mark.parametrize("argv, fragment", [
    (["--domain", "astrologie"], "astrologie"),
    (["--day", "blauwdag"], "blauwdag"),
    (["--near", "123"], "postcode"),
    (["--area", "Atlantis"], "Atlantis"),
])
def test_search_with_a_bad_filter_is_a_domain_error(run: Run, argv: list[str],
                                                     fragment: str) -> None:
    code, out, err = run("search", *argv)
    assert code == 1 and out == ""
    assert_one_line_error(err, fragment)


# --- handover ------------------------------------------------------------------------------


def _current(run: Run, person: str, types: set[str]) -> list[tuple[str, str]]:
    data = run_json(run, "show", person)
    return sorted((r["type"], r["other"]["id"]) for r in data["relations"]
                  if r["type"] in types and r["until"] is None)


def test_handover_dry_run_plans_and_changes_nothing(run: Run, demo_db: Path) -> None:
    before = fingerprint(demo_db)
    plan = run_json(run, "handover", "--from", "per-0004", "--to", "Youssef El Amrani",
                    "--dry-run")
    assert set(plan) >= {"from", "to", "moved", "dry_run"}
    assert plan["dry_run"] is True
    assert plan["from"]["id"] == "per-0004" and plan["to"]["id"] == "per-0002"
    assert plan["moved"]
    for item in plan["moved"]:
        assert item["type"] in ("LIAISON_FOR", "KNOWS", "CONTACT")
        assert set(item["other"]) >= {"id", "kind", "name"}
    assert fingerprint(demo_db) == before


def test_handover_moves_the_relations_once(run: Run) -> None:
    moved_types = {"LIAISON_FOR", "CONTACT"}
    held = _current(run, "per-0004", moved_types)
    assert held
    done = run_json(run, "handover", "--from", "per-0004", "--to", "per-0002")
    assert done["dry_run"] is False
    assert {(m["type"], m["other"]["id"]) for m in done["moved"]} >= set(held)
    assert _current(run, "per-0004", moved_types) == []
    assert set(held) <= set(_current(run, "per-0002", moved_types))
    again = run_json(run, "handover", "--from", "per-0004", "--to", "per-0002")
    assert again["moved"] == []


def test_handover_text_output(run: Run) -> None:
    code, out, _ = run("handover", "--from", "per-0004", "--to", "per-0002", "--dry-run")
    assert code == 0 and out.startswith("Plan: Dennis Boateng → Youssef El Amrani")


def test_handover_to_someone_outside_a_team_is_refused(run: Run, demo_db: Path) -> None:
    before = fingerprint(demo_db)
    code, _, err = run("handover", "--from", "per-0004", "--to", "per-0023")
    assert code == 1
    assert_one_line_error(err, "geen actief teamlid")
    assert fingerprint(demo_db) == before


def test_handover_document_markdown_and_json(run: Run) -> None:
    code, out, _ = run("handover-document", "per-0004")
    assert code == 0
    assert out.startswith("# Overdrachtsdocument Dennis Boateng")
    assert "## Ketenpartners (relatiebeheer)" in out and "Huisartsenpraktijk Meijhorst" in out
    data = run_json(run, "handover-document", "Dennis Boateng")
    assert set(data) >= {"person", "date", "teams", "partners", "contacts", "activities",
                         "agreements"}
    assert data["person"]["id"] == "per-0004"
    assert [t["id"] for t in data["teams"]] == ["team-dukenburg"]


# --- analyse and coverage ------------------------------------------------------------------


def test_analyse_json_and_text(run: Run) -> None:
    data = run_json(run, "analyse", "Lindenholt")
    assert set(data) >= {"area", "partners_by_type", "activities_by_domain", "gaps", "people",
                         "teams"}
    assert set(data["area"]) >= {"code", "name", "level", "population"}
    assert data["area"]["code"] == "WK026808"
    assert "team-dukenburg" in {t["id"] for t in data["teams"]}
    assert all("message" in gap for gap in data["gaps"])
    code, out, _ = run("analyse", "WK026808")
    assert code == 0 and out.startswith("Wijkanalyse Lindenholt (WK026808, wijk)")


def test_coverage_json_and_text(run: Run) -> None:
    data = run_json(run, "coverage", "--area", "GM0268")
    assert set(data) >= {"areas", "risks"}
    codes = {row["code"] for row in data["areas"]}
    assert "WK026807" in codes and all(c.startswith(("GM0268", "WK0268")) for c in codes)
    for row in data["areas"]:
        assert set(row) >= {"code", "name", "population", "activities_by_domain",
                            "partners_by_type"}
    assert data["risks"] and all({"kind", "message"} <= set(r) for r in data["risks"])
    code, out, _ = run("coverage", "--area", "Tiel")
    assert code == 0 and "Risico's:" in out


# --- backup, restore and the AVG ------------------------------------------------------------


def test_backup_and_restore_round_trip(run: Run, demo_db: Path, tmp_path: Path) -> None:
    original = dump(demo_db)
    backup = tmp_path / "backup.db"
    code, out, _ = run("backup", str(backup))
    assert code == 0 and "Back-up geschreven" in out
    assert run("person", "erase", "per-0023", "--yes")[0] == 0
    assert dump(demo_db) != original
    code, out, _ = run("restore", str(backup))
    assert code == 0 and out.startswith("Hersteld uit")
    assert dump(demo_db) == original


def test_backup_never_overwrites_a_file(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    code, _, err = run("backup", str(target))
    assert code == 1
    assert_one_line_error(err, "bestaat al")
    assert target.read_text() == "keep me"


@pytest.mark.parametrize("content", [None, b"dit is geen database\n"])
def test_restore_from_a_missing_or_foreign_file_is_refused(run: Run, demo_db: Path,
                                                           tmp_path: Path,
                                                           content: bytes | None) -> None:
    source = tmp_path / "source.db"
    if content is not None:
        source.write_bytes(content)
    before = fingerprint(demo_db)
    code, _, err = run("restore", str(source))
    assert code == 1
    assert_one_line_error(err)
    assert fingerprint(demo_db) == before


def test_person_export_and_erase(run: Run, demo_db: Path) -> None:
    code, out, _ = run("person", "export", "Fatma Yıldız")
    assert code == 0
    exported = json.loads(out)
    assert exported["person"]["id"] == "per-0023"
    assert exported["person"]["props"]["phone"]
    assert exported["relations"] and exported["audit"]

    before = fingerprint(demo_db)
    code, _, err = run("person", "erase", "per-0023")
    assert code == 1
    assert_one_line_error(err, "--yes")
    assert fingerprint(demo_db) == before

    code, out, _ = run("person", "erase", "per-0023", "--yes")
    assert code == 0 and "gewist" in out
    erased = json.loads(run("person", "export", "per-0023")[1])
    assert erased["person"]["props"]["name"] == "verwijderde persoon"
    assert "phone" not in erased["person"]["props"]
    assert "Yıldız" not in json.dumps(erased, ensure_ascii=False)
    assert erased["relations"]  # history stays, anonymised


# --- errors and exit codes -----------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["show", "bestaat-niet"],
    ["handover", "--from", "niemand", "--to", "per-0002"],
    ["handover-document", "per-9999"],
    ["analyse", "WK999999"],
    ["coverage", "--area", "Atlantis"],
    ["list", "people", "--team", "WijkGGZ Atlantis"],
    ["person", "export", "org-pro-persona"],
])
def test_unknown_references_exit_1_with_one_line(run: Run, argv: list[str]) -> None:
    code, out, err = run(*argv)
    assert code == 1 and out == ""
    assert_one_line_error(err)


def test_ambiguous_names_ask_for_an_id(run: Run) -> None:
    code, _, err = run("show", "Wandelgroep De Stap")
    assert code == 1
    assert_one_line_error(err, "niet eenduidig", "act-")


@pytest.mark.parametrize("argv", [
    [],
    ["vlieg"],
    ["list"],
    ["list", "boten"],
    ["list", "people", "--limit", "-1"],
    ["list", "people", "--limit", "veel"],
    ["search", "--km", "ver"],
    ["handover", "--from", "per-0004"],
    ["import"],
    ["import", "x.csv", "--format", "pdf"],
    ["person", "wijzig", "per-0001"],
])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], demo_db: Path,
                             argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--store", str(demo_db), *argv])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "Traceback" not in err


def test_a_file_that_is_no_database_exits_1(run: Run, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("boodschappen: melk, brood\n" * 50)
    for argv in (["list", "teams"], ["init"], ["demo"], ["search", "koffie"]):
        code, out, err = run(*argv, store=bogus)
        assert code == 1 and out == "", argv
        assert_one_line_error(err, str(bogus))
    assert bogus.read_text().startswith("boodschappen")


def test_a_store_in_a_missing_folder_exits_1(run: Run, tmp_path: Path) -> None:
    code, _, err = run("list", "teams", store=tmp_path / "nergens" / "store.db")
    assert code == 1
    assert_one_line_error(err, "bestaat niet")


def test_an_unsupported_backend_exits_1(run: Run) -> None:
    code, _, err = run("list", "teams", store="neo4j://localhost:7687")
    assert code == 1
    assert_one_line_error(err, "Neo4j")


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_stops_early_is_no_error(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str],
                                               demo_db: Path) -> None:
    """``wijkkaart list areas | head -1`` ends quietly instead of 'fout: Broken pipe'."""
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["--store", str(demo_db), "list", "areas"]) == 0
    assert capsys.readouterr().err == ""


# --- the installed console script -----------------------------------------------------------


def _script() -> str:
    found = Path(sys.executable).with_name("wijkkaart")
    return str(found) if found.exists() else shutil.which("wijkkaart") or "wijkkaart"


def _console(*argv: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKKAART_STORE": str(store), "PYTHONWARNINGS": "error"}
    return subprocess.run([_script(), *argv], capture_output=True, text=True, env=env,
                          timeout=60, check=False)


def test_console_script_demo_then_search(tmp_path: Path) -> None:
    store = tmp_path / "console.db"
    loaded = _console("demo", store=store)
    assert loaded.returncode == 0, loaded.stderr
    assert "Demoregio geladen" in loaded.stdout
    found = _console("search", "koffie", "--area", "Tiel", "--json", store=store)
    assert found.returncode == 0, found.stderr
    data = json.loads(found.stdout)
    assert data["total"] > 0 and set(data["items"][0]) >= SEARCH_KEYS


def test_console_script_exit_codes(demo_db: Path) -> None:
    missing = _console("show", "bestaat-niet", store=demo_db)
    assert missing.returncode == 1 and missing.stdout == ""
    assert_one_line_error(missing.stderr, "bestaat-niet")
