"""Overdracht: a leaving team member's relations move to a colleague, in one transaction."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from directory.coverage import coverage
from directory.demo_data import KNOWS, LIAISONS
from directory.errors import NotFound, ValidationError
from directory.handover import handover, handover_document, handover_markdown
from directory.model import Edge, today_iso
from directory.search import SearchQuery, search
from directory.service import Directory

from .smallregion import Small

DENNIS, YOUSSEF = "per-0004", "per-0002"
DENNIS_PARTNERS = {f"org-{slug}" for per, slug, _, until in LIAISONS
                   if per == DENNIS and not until}
DENNIS_CONTACTS = {contact for per, contact, *_, until in KNOWS if per == DENNIS and not until}
DENNIS_ACTIVITIES = {"act-0038", "act-0043"}


def dump(d: Directory) -> list[dict[str, Any]]:
    return list(d.store.dump())


def current(d: Directory, person: str, type_: str, direction: str = "out") -> list[Edge]:
    return d.store.edges(person, types=[type_], direction=direction,  # type: ignore[arg-type]
                         current=True)


def others(edges: list[Edge], person: str) -> set[str]:
    return {e.dst if e.src == person else e.src for e in edges}


def test_demo_facts_this_file_relies_on() -> None:
    assert len(DENNIS_PARTNERS) == 13 and len(DENNIS_CONTACTS) == 8


def test_dry_run_shows_the_plan_and_writes_nothing(demo: Directory) -> None:
    before = dump(demo)
    plan = handover(demo, DENNIS, YOUSSEF, dry_run=True)
    assert dump(demo) == before
    assert set(plan) >= {"from", "to", "moved", "dry_run"}
    assert plan["dry_run"] is True
    assert plan["from"] == {"id": DENNIS, "kind": "Person", "name": "Dennis Boateng"}
    assert plan["to"]["name"] == "Youssef El Amrani"
    assert Counter(m["type"] for m in plan["moved"]) == {"LIAISON_FOR": 13, "KNOWS": 8,
                                                         "CONTACT": 2}
    for item in plan["moved"]:
        assert set(item["other"]) >= {"id", "kind", "name"}
    moved = {m["other"]["id"] for m in plan["moved"]}
    assert moved == DENNIS_PARTNERS | DENNIS_CONTACTS | DENNIS_ACTIVITIES
    held = {m["other"]["id"] for m in plan["moved"] if m.get("already_held")}
    assert held == {"org-swt-dukenburg"}  # Youssef is already liaison for it
    json.dumps(plan)


def test_handover_ends_old_relations_and_starts_new_ones(demo: Directory) -> None:
    today = today_iso()
    old_edges = {e.id: e for e in demo.store.edges(DENNIS, current=True)
                 if e.type in ("LIAISON_FOR", "KNOWS", "CONTACT")}
    result = handover(demo, "Dennis Boateng", "Youssef El Amrani")
    assert result["dry_run"] is False and len(result["moved"]) == 23

    for type_, direction in (("LIAISON_FOR", "out"), ("KNOWS", "out"), ("CONTACT", "in")):
        assert current(demo, DENNIS, type_, direction) == []
    for edge_id, old in old_edges.items():
        ended = demo.store.get_edge(edge_id)
        assert ended.until == today and ended.since == old.since  # history kept
        assert ended.props == old.props

    liaisons = current(demo, YOUSSEF, "LIAISON_FOR")
    assert others(liaisons, YOUSSEF) >= DENNIS_PARTNERS
    assert len([e for e in liaisons if e.dst == "org-swt-dukenburg"]) == 1  # no duplicate
    new = [e for e in liaisons if e.dst in DENNIS_PARTNERS - {"org-swt-dukenburg"}]
    assert len(new) == 12 and all(e.since == today and e.until is None for e in new)

    knows = [e for e in current(demo, YOUSSEF, "KNOWS") if e.dst in DENNIS_CONTACTS]
    assert {e.dst for e in knows} == DENNIS_CONTACTS
    note = next(e for e in knows if e.dst == "per-0039").props["note"]
    assert note == "Snelle koppeling aan maatje"  # the warm contact's note goes along
    contacts = current(demo, YOUSSEF, "CONTACT", "in")
    assert others(contacts, YOUSSEF) >= DENNIS_ACTIVITIES
    assert all(e.since == today for e in contacts if e.src in DENNIS_ACTIVITIES)


def test_handover_leaves_membership_and_employment_alone(demo: Directory) -> None:
    handover(demo, DENNIS, YOUSSEF)
    assert [e.dst for e in current(demo, DENNIS, "MEMBER_OF")] == ["team-dukenburg"]
    assert [e.dst for e in current(demo, DENNIS, "EMPLOYED_BY")] == ["org-iriszorg"]


def test_done_handover_matches_the_dry_run(demo: Directory) -> None:
    plan = handover(demo, DENNIS, YOUSSEF, dry_run=True)
    done = handover(demo, DENNIS, YOUSSEF)
    assert done["moved"] == plan["moved"]
    assert handover(demo, DENNIS, YOUSSEF)["moved"] == []  # nothing left to move


def test_warm_contact_in_search_follows_the_handover(demo: Directory) -> None:
    handover(demo, DENNIS, YOUSSEF)
    item = search(demo, SearchQuery(text="schulden", area="Dukenburg"))["items"][0]
    assert item["contact"]["name"] == "Henk Brouwer"
    assert [k["name"] for k in item["contact"]["known_by"]] == ["Youssef El Amrani"]
    verslaving = search(demo, SearchQuery(text="inloopspreekuur verslaving",
                                          area="Nijmegen"))["items"][0]
    assert verslaving["contact"]["name"] == "Youssef El Amrani"


def test_departure_risk_moves_with_the_relations(demo: Directory) -> None:
    handover(demo, DENNIS, YOUSSEF)
    risks = coverage(demo, "GM0268")["risks"]
    assert not any(r.get("person", {}).get("id") == DENNIS for r in risks)
    top = next(r for r in risks if r["kind"] == "vertrekrisico")
    assert top["person"]["id"] == YOUSSEF
    # Dennis' 11 sole relations, plus swt-dukenburg (now only Youssef), GGD and Zorgkring
    assert top["orphaned"] == 14


@pytest.mark.parametrize(("to", "who"), [
    ("per-0023", "Fatma Yıldız"),  # a partner's contact person
    ("per-0007", "Lotte Gerritsen"),  # left the team at the end of 2024
])
def test_refuses_a_colleague_who_is_not_an_active_member(demo: Directory, to: str,
                                                         who: str) -> None:
    before = dump(demo)
    with pytest.raises(ValidationError) as caught:
        handover(demo, DENNIS, to)
    assert f"{who} is geen actief teamlid" in str(caught.value)
    assert caught.value.details[0].field == "to"
    assert dump(demo) == before
    with pytest.raises(ValidationError):
        handover(demo, DENNIS, to, dry_run=True)


def test_refuses_self_and_unknown_people(demo: Directory) -> None:
    with pytest.raises(ValidationError, match="iemand anders"):
        handover(demo, DENNIS, "Dennis Boateng")
    with pytest.raises(NotFound):
        handover(demo, DENNIS, "Niemand Bekend")
    with pytest.raises(NotFound):
        handover(demo, DENNIS, "team-dukenburg")  # a team, not a person
    assert {e.type for e in demo.store.edges(DENNIS, current=True)} >= {"LIAISON_FOR", "KNOWS"}


def test_a_failure_halfway_writes_nothing(demo: Directory, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    before = dump(demo)
    store = demo.store
    real_add = store.add_edges
    calls = {"n": 0}

    def failing_add(edges: list[Edge], *, actor: str = "system") -> list[Edge]:
        """Writes half of the new relations, then the disk is full."""
        calls["n"] += 1
        real_add(edges[: len(edges) // 2], actor=actor)
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(store, "add_edges", failing_add)
    with pytest.raises(RuntimeError):
        handover(demo, DENNIS, YOUSSEF)
    assert calls["n"] == 1
    assert dump(demo) == before


def test_handover_in_the_small_region(small: Small) -> None:
    d = small.directory
    result = handover(d, small["nadia"], small["pieter"])
    assert {(m["type"], m["other"]["id"]) for m in result["moved"]} == {
        ("LIAISON_FOR", small["swt"]), ("LIAISON_FOR", small["hap"]),
        ("KNOWS", small["eline"])}
    assert others(current(d, small["pieter"], "LIAISON_FOR"), small["pieter"]) == {
        small["swt"], small["hap"]}
    audit = d.store.audit(small["nadia"], limit=10)
    assert {"end"} <= {entry.action for entry in audit}
    with pytest.raises(ValidationError, match="Olga Oud is geen actief teamlid"):
        handover(d, small["pieter"], small["oud"])


# -- the handover document ---------------------------------------------------------------


def test_handover_document_lists_all_a_person_holds(demo: Directory) -> None:
    doc = handover_document(demo, "Dennis Boateng")
    assert set(doc) >= {"person", "date", "teams", "partners", "contacts", "activities",
                        "agreements"}
    assert doc["person"]["job_title"] == "Maatschappelijk werker"
    assert [t["id"] for t in doc["teams"]] == ["team-dukenburg"]
    assert doc["teams"][0]["role"] == "maatschappelijk_hulpverlener"
    assert {p["id"] for p in doc["partners"]} == DENNIS_PARTNERS
    assert [p["name"] for p in doc["partners"]] == sorted(
        (p["name"] for p in doc["partners"]), key=str.lower)
    assert {c["id"] for c in doc["contacts"]} == DENNIS_CONTACTS
    henk = next(c for c in doc["contacts"] if c["id"] == "per-0039")
    assert henk["note"] == "Snelle koppeling aan maatje" and henk["since"] == "2019-09-01"
    assert {a["id"] for a in doc["activities"]} == DENNIS_ACTIVITIES
    assert {a["id"] for a in doc["agreements"]} == {"agr-001", "agr-002", "agr-003"}
    json.dumps(doc)


def test_handover_document_as_markdown(demo: Directory) -> None:
    text = handover_markdown(handover_document(demo, DENNIS))
    assert text.startswith("# Overdrachtsdocument Dennis Boateng\n")
    for heading in ("## Teams", "## Ketenpartners (relatiebeheer)", "## Warme contacten",
                    "## Activiteiten (contactpersoon)", "## Samenwerkingsafspraken van het team"):
        assert heading in text
    assert "- Huisartsenpraktijk Meijhorst [org-hap-meijhorst] (sinds 2019-03-01)" in text
    assert "rol: Maatschappelijk hulpverlener" in text
    assert "laatste contact: 2025-11-30; notitie: Snelle koppeling aan maatje" in text
    assert "soort: Consultatie en advies; evalueren op: 2025-06-01" in text
    assert "kind:" not in text and "Organisation" not in text


def test_document_after_handover_is_empty_but_for_the_team(demo: Directory) -> None:
    handover(demo, DENNIS, YOUSSEF)
    doc = handover_document(demo, DENNIS)
    assert doc["partners"] == doc["contacts"] == doc["activities"] == []
    assert doc["teams"] and doc["agreements"]
    assert "_Geen._" in handover_markdown(doc)
    youssef = handover_document(demo, YOUSSEF)
    assert {p["id"] for p in youssef["partners"]} >= DENNIS_PARTNERS


def test_only_a_team_members_relations_are_handed_over(demo: Directory) -> None:
    """A partner's contact person is not a leaving team member: refused, nothing written."""
    before = list(demo.store.dump())
    with pytest.raises(ValidationError, match="nooit teamlid"):
        handover(demo, "per-0030", "per-0001")
    assert list(demo.store.dump()) == before
