"""Contract: the audit log, AVG erasure, and dump/load between two stores of one backend."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from directory.errors import Conflict, NotFound
from directory.model import ACTIVITY, ORGANISATION, PERSON, Edge, Node
from directory.store import GraphStore

YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


def _history(store: GraphStore) -> dict[str, Any]:
    """Create, update, relate, end and delete, as different actors."""
    store.put_nodes([
        Node(id="per-1", kind=PERSON, props={"name": "Anna de Vries", "email": "anna@x.nl"}),
        Node(id="org-1", kind=ORGANISATION, props={"name": "Humanitas"}, source="kvk",
             source_id="123"),
        Node(id="act-1", kind=ACTIVITY, props={"title": "Taalcafé"}),
        Node(id="org-gone", kind=ORGANISATION, props={"name": "Opgeheven"}),
    ], actor="anna")
    person = store.get_node("per-1")
    person.props = {**person.props, "job_title": "maatje"}
    store.put_node(person, actor="bert")
    edge = store.add_edge(Edge(type="WORKS_AT", src="per-1", dst="org-1", since="2020-01-01",
                               props={"role": "vrijwilliger"}), actor="anna")
    store.add_edge(Edge(type="OFFERED_BY", src="act-1", dst="org-1"), actor="anna")
    edge.until = YESTERDAY
    store.update_edge(edge, actor="carla")
    store.delete_node("org-gone", version=1, actor="bert")
    return {"edge": edge}


def _by_action(store: GraphStore, target: str) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for entry in store.audit(target):
        found.setdefault(entry.action, []).append(entry)
    return found


def test_audit_records_every_kind_of_change(store: GraphStore) -> None:
    edge = _history(store)["edge"]
    person = _by_action(store, "per-1")
    (create,) = person["create"]
    assert (create.actor, create.target, create.before) == ("anna", "per-1", None)
    assert create.after is not None and create.after["props"]["name"] == "Anna de Vries"
    assert create.at

    (update,) = person["update"]
    assert update.actor == "bert"
    assert update.before is not None and update.after is not None
    assert "job_title" not in update.before["props"]
    assert update.after["props"]["job_title"] == "maatje"
    assert (update.before["version"], update.after["version"]) == (1, 2)

    (relate,) = person["relate"]
    assert relate.actor == "anna" and relate.before is None
    assert relate.after is not None and relate.after["dst"] == "org-1"
    assert relate.after["id"] == edge.id

    (end,) = person["end"]
    assert end.actor == "carla"
    assert end.before is not None and end.before["until"] is None
    assert end.after is not None and end.after["until"] == YESTERDAY

    (delete,) = _by_action(store, "org-gone")["delete"]
    assert delete.actor == "bert" and delete.after is None
    assert delete.before is not None and delete.before["props"] == {"name": "Opgeheven"}


def test_audit_is_newest_first_and_limited(store: GraphStore) -> None:
    _history(store)
    everything = store.audit(limit=1000)
    assert everything[0].action == "delete"
    assert {e.target for e in everything} >= {"per-1", "org-1", "act-1", "org-gone"}
    ids = [e.id for e in everything]
    assert ids == sorted(ids, reverse=True)
    assert store.audit(limit=2) == everything[:2]
    assert [e.action for e in store.audit("per-1")][0] == "end"
    assert store.audit("nobody") == []


def test_erase_audit_values(store: GraphStore) -> None:
    _history(store)
    store.erase_audit_values("per-1", ["name", "email", "job_title"], actor="privacy")
    entries = store.audit("per-1")
    text = json.dumps([e.as_dict() for e in entries])
    for value in ("Anna de Vries", "anna@x.nl", "maatje"):
        assert value not in text
    erase = entries[0]
    assert (erase.action, erase.actor, erase.target) == ("erase", "privacy", "per-1")
    assert {"create", "update", "relate", "end"} <= {e.action for e in entries}
    relate = next(e for e in entries if e.action == "relate")
    assert relate.after is not None and relate.after["props"] == {"role": "vrijwilliger"}
    other = json.dumps([e.as_dict() for e in store.audit("org-gone")])
    assert "Opgeheven" in other  # other targets are untouched


def test_dump_lists_nodes_then_edges_then_audit(store: GraphStore) -> None:
    _history(store)
    records = list(store.dump())
    sections = [next(iter(r)) for r in records]
    assert sections == sorted(sections, key=["node", "edge", "audit"].index)
    assert sections.count("node") == 3
    assert sections.count("edge") == 2
    assert sections.count("audit") == len(store.audit(limit=1000))
    nodes = {r["node"]["id"]: r["node"] for r in records if "node" in r}
    assert nodes["per-1"]["version"] == 2
    assert nodes["org-1"]["source_id"] == "123"


def test_load_into_fresh_store_gives_identical_dump(store: GraphStore,
                                                    other_store: GraphStore) -> None:
    _history(store)
    store.erase_audit_values("per-1", ["email"], actor="privacy")
    records = list(store.dump())
    other_store.load(records)
    assert list(other_store.dump()) == records
    assert other_store.get_node("per-1") == store.get_node("per-1")
    assert other_store.edges("per-1") == store.edges("per-1")
    assert other_store.audit("per-1") == store.audit("per-1")
    assert [i for i, _ in other_store.text_candidates(["cafe"], ACTIVITY)] == ["act-1"]


def test_load_replaces_existing_content(store: GraphStore, other_store: GraphStore) -> None:
    _history(store)
    other_store.put_nodes([Node(id="per-x", kind=PERSON, props={"name": "Xander"}),
                           Node(id="act-x", kind=ACTIVITY, props={"title": "Schaakclub"})])
    other_store.add_edge(Edge(type="CONTACT", src="act-x", dst="per-x"))
    other_store.load(store.dump())
    assert list(other_store.dump()) == list(store.dump())
    with pytest.raises(NotFound):
        other_store.get_node("per-x")
    assert other_store.text_candidates(["schaak"], ACTIVITY) == []
    assert other_store.audit("per-x") == []


def test_loaded_store_keeps_working(store: GraphStore, other_store: GraphStore) -> None:
    _history(store)
    other_store.load(store.dump())
    loaded_edges = {e.id for e in other_store.edges()}
    edge = other_store.add_edge(Edge(type="CONTACT", src="act-1", dst="per-1"))
    assert edge.id not in loaded_edges
    person = other_store.get_node("per-1")
    person.props = {"name": "Anna"}
    assert other_store.put_node(person).version == 3
    with pytest.raises(Conflict):
        other_store.put_node(Node(id="org-x", kind=ORGANISATION, props={"name": "X"},
                                  source="kvk", source_id="123"))
    audit_ids = [e.id for e in store.audit(limit=1000)]
    newest = other_store.audit(limit=2)
    assert all(e.id not in audit_ids for e in newest)


def test_dump_holds_the_whole_audit_log(store: GraphStore, other_store: GraphStore) -> None:
    store.put_nodes([Node(id=f"org-{i:03d}", kind=ORGANISATION, props={"name": f"O{i}"})
                     for i in range(150)])
    records = list(store.dump())
    assert sum("audit" in r for r in records) == 150
    other_store.load(records)
    assert len(other_store.audit(limit=1000)) == 150


def test_load_of_empty_dump_empties_the_store(store: GraphStore) -> None:
    _history(store)
    store.load([])
    assert store.count_nodes() == 0
    assert store.edges() == []
    assert store.audit(limit=1000) == []
    assert store.text_candidates(["cafe"], ACTIVITY) == []


def test_backup_refuses_to_overwrite(store: GraphStore, tmp_path: Path) -> None:
    existing = tmp_path / "bestaat.bak"
    existing.write_text("niet overschrijven")
    with pytest.raises(Conflict):
        store.backup(str(existing))
    assert existing.read_text() == "niet overschrijven"
