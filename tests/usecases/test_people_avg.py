"""AVG: export everything about one person, and erase a person keeping anonymised history."""

from __future__ import annotations

import json
from typing import Any

import pytest

from directory.coverage import coverage
from directory.errors import NotFound
from directory.model import today_iso
from directory.people import ERASED_NAME, contact_card, erase_person, export_person
from directory.search import SearchQuery, search
from directory.service import Directory

from .smallregion import Small

HENK = "per-0039"  # Henk Brouwer, Schuldhulpmaatje Nijmegen


def dumped(d: Directory) -> str:
    return json.dumps(list(d.store.dump()), ensure_ascii=False)


# -- export ------------------------------------------------------------------------------


def test_export_holds_person_relations_and_audit(demo: Directory) -> None:
    export = export_person(demo, "Henk Brouwer")
    assert set(export) >= {"exported_at", "person", "relations", "audit"}
    assert export["person"]["id"] == HENK
    assert export["person"]["props"]["name"] == "Henk Brouwer"
    assert export["person"]["props"]["email"].startswith("h.brouwer@")
    relations = {(r["type"], r["direction"], r["other"]["id"]) for r in export["relations"]}
    assert relations == {("WORKS_AT", "out", "org-schuldhulpmaatje-nijmegen"),
                         ("KNOWS", "in", "per-0004"), ("CONTACT", "in", "act-0002")}
    knows = next(r for r in export["relations"] if r["type"] == "KNOWS")
    assert knows["props"]["note"] == "Snelle koppeling aan maatje"
    assert knows["since"] == "2019-09-01" and knows["until"] is None
    actions = [entry["action"] for entry in export["audit"]]
    assert "create" in actions
    # his own entries, and those of relations that point at him (a colleague KNOWS him)
    assert all(entry["target"] == HENK or (entry["after"] or entry["before"])["dst"] == HENK
               for entry in export["audit"])
    assert any(entry["target"] != HENK for entry in export["audit"])
    json.dumps(export)


def test_export_includes_later_changes_and_history(demo: Directory) -> None:
    henk = demo.get(HENK)
    demo.update(HENK, {"phone": "06 12345678"}, version=henk.version)
    works = demo.current(HENK, ["WORKS_AT"])[0]
    demo.end_relation(works.id)
    export = export_person(demo, HENK)
    update = next(e for e in export["audit"] if e["action"] == "update")
    assert update["after"]["props"]["phone"] == "+31612345678"
    assert update["actor"] == "tester"
    ended = next(r for r in export["relations"] if r["type"] == "WORKS_AT")
    assert ended["until"] == today_iso()
    assert export["audit"][0]["action"] == "end"  # newest first


def test_export_of_a_team_member(demo: Directory) -> None:
    export = export_person(demo, "per-0007")  # Lotte Gerritsen, left in 2024
    types = {r["type"] for r in export["relations"]}
    assert types == {"MEMBER_OF", "EMPLOYED_BY", "LIAISON_FOR", "KNOWS"}
    assert all(r["until"] == "2024-12-31" for r in export["relations"])


def test_export_unknown_person(demo: Directory) -> None:
    with pytest.raises(NotFound):
        export_person(demo, "Niemand Bekend")
    with pytest.raises(NotFound):
        export_person(demo, "org-talis")


# -- erasure -----------------------------------------------------------------------------


def test_erase_removes_personal_data_everywhere(demo: Directory) -> None:
    henk = demo.get(HENK)
    demo.update(HENK, {"phone": "06 12345678"}, version=henk.version)
    email, old_phone = henk.props["email"], henk.props["phone"]
    assert "Henk Brouwer" in dumped(demo)

    erased = erase_person(demo, "Henk Brouwer")
    assert erased.id == HENK and erased.name == ERASED_NAME == "verwijderde persoon"
    assert set(erased.props) == {"name", "erased_on"}
    assert erased.props["erased_on"] == today_iso()
    everything = dumped(demo)
    for secret in ("Henk Brouwer", email, old_phone, "+31612345678"):
        assert secret not in everything
    for entry in demo.store.audit(HENK, limit=1000):
        for record in (entry.before, entry.after):
            props = (record or {}).get("props") or {}
            for field in ("email", "phone", "job_title"):
                assert not props.get(field)
            assert props.get("name") in (None, ERASED_NAME)


def test_erasure_is_in_the_audit_log(demo: Directory) -> None:
    erase_person(demo, HENK)
    newest = demo.store.audit(HENK, limit=1)[0]
    assert newest.action == "erase" and newest.actor == "tester"
    assert {"name", "phone", "email"} <= set(newest.after["erased_fields"])


def test_erase_keeps_relations_as_ended_history(demo: Directory) -> None:
    before = {e.id: e for e in demo.store.edges(HENK)}
    erase_person(demo, HENK)
    after = {e.id: e for e in demo.store.edges(HENK)}
    assert set(after) == set(before)  # nothing deleted
    for edge_id, edge in after.items():
        assert (edge.type, edge.src, edge.dst, edge.since) == (
            before[edge_id].type, before[edge_id].src, before[edge_id].dst,
            before[edge_id].since)
        assert edge.until == today_iso()
    knows = next(e for e in after.values() if e.type == "KNOWS")
    assert "note" not in knows.props
    assert knows.props["last_contact_on"] == "2025-11-30"
    export = export_person(demo, HENK)
    assert export["person"]["props"]["name"] == ERASED_NAME
    assert {r["other"]["id"] for r in export["relations"]} == {
        "org-schuldhulpmaatje-nijmegen", "per-0004", "act-0002"}


def test_erased_person_is_no_longer_offered_as_contact(demo: Directory) -> None:
    erase_person(demo, HENK)
    item = search(demo, SearchQuery(text="schulden", area="Dukenburg"))["items"][0]
    assert item["id"] == "act-0002" and item["contact"] is None
    assert "Henk Brouwer" not in json.dumps(item, ensure_ascii=False)


def test_erasing_a_team_member_ends_their_liaisons(demo: Directory) -> None:
    erase_person(demo, "per-0004")
    risks = coverage(demo, "GM0268")["risks"]
    assert not any(r.get("person", {}).get("id") == "per-0004" for r in risks)
    orphans = {r["organisation"]["id"] for r in risks if r["kind"] == "geen_relatiebeheerder"}
    assert "org-hap-meijhorst" in orphans


def test_erase_unknown_person(small: Small) -> None:
    with pytest.raises(NotFound):
        erase_person(small.directory, "Niemand Bekend")
    with pytest.raises(NotFound):
        erase_person(small.directory, small["swt"])  # an organisation, not a person
    assert small.directory.get(small["swt"]).version == 1


# -- contact cards -----------------------------------------------------------------------


def test_contact_card_shows_details_only_when_allowed(small: Small) -> None:
    d = small.directory
    eline = d.get(small["eline"])
    card: dict[str, Any] = contact_card(d, eline, show_details=True)
    assert card["name"] == "Eline Vos" and card["job_title"] == "Consulent"
    assert card["phone"] == "0345 123 456"
    assert card["email"] == "e.vos@stwb.example"
    assert card["known_by"] == [{"id": small["nadia"], "name": "Nadia Benali",
                                 "team": "WijkGGZ West Betuwe"}]
    hidden = contact_card(d, eline, show_details=False)
    assert "phone" not in hidden and "email" not in hidden
    assert hidden["known_by"] == card["known_by"]


def test_warm_contact_of_a_former_member_is_not_shown(small: Small) -> None:
    d = small.directory
    d.relate("KNOWS", small["oud"], small["henk"], {"note": "oud-collega"}, since="2025-02-01")
    assert contact_card(d, d.get(small["henk"]), show_details=False)["known_by"] == []


def test_erasure_scrubs_notes_of_relations_pointing_at_the_person(demo: Directory) -> None:
    """A colleague's KNOWS relation to Henk, and its note, was logged under the colleague;
    the erasure reaches those entries too."""
    before = [e for e in demo.store.audit(HENK, limit=-1, involving=True)
              if e.target != HENK]
    assert any((e.after or {}).get("props", {}).get("note") for e in before)
    erase_person(demo, HENK)
    for entry in demo.store.audit(HENK, limit=-1, involving=True):
        for record in (entry.before, entry.after):
            if record and "props" in record:
                assert record["props"].get("note") is None
            if record and entry.target == HENK and "props" in record:
                assert record["props"].get("name") in (None, "verwijderde persoon")
