"""Contract: creating, reading, finding, updating and deleting nodes with optimistic locking."""

from __future__ import annotations

import pytest

from directory.errors import Conflict, NotFound, ValidationError
from directory.model import ACTIVITY, AGREEMENT, ORGANISATION, PERSON, Edge, Node
from directory.store import GraphStore


def _org(node_id: str, name: str, **props: object) -> Node:
    return Node(id=node_id, kind=ORGANISATION, props={"name": name, **props})


def test_store_satisfies_protocol(store: GraphStore) -> None:
    assert isinstance(store, GraphStore)
    assert store.url
    store.init()  # a second init is harmless


def test_create_stores_version_one_and_timestamps(store: GraphStore) -> None:
    stored = store.put_node(_org("org-1", "Humanitas", city="Utrecht"), actor="anna")
    assert stored.version == 1
    assert stored.created_at and stored.updated_at
    assert stored.created_at <= stored.updated_at
    assert stored.props == {"name": "Humanitas", "city": "Utrecht"}

    again = store.get_node("org-1")
    assert again == stored
    assert again.kind == ORGANISATION
    assert again.name == "Humanitas"


def test_get_unknown_node_raises_not_found(store: GraphStore) -> None:
    with pytest.raises(NotFound):
        store.get_node("org-nope")


def test_create_existing_id_conflicts(store: GraphStore) -> None:
    store.put_node(_org("org-1", "Humanitas"))
    with pytest.raises(Conflict):
        store.put_node(_org("org-1", "Iets anders"))
    assert store.get_node("org-1").props == {"name": "Humanitas"}
    assert store.count_nodes() == 1


def test_update_with_stored_version_replaces_props(store: GraphStore) -> None:
    first = store.put_node(_org("org-1", "Humanitas", city="Utrecht", phone="030"))
    changed = Node(id="org-1", kind=ORGANISATION, props={"name": "Humanitas NL"},
                   version=first.version)
    second = store.put_node(changed)
    assert second.version == 2
    assert second.props == {"name": "Humanitas NL"}  # replaced, not merged
    assert second.created_at == first.created_at
    assert second.updated_at >= first.updated_at

    stored = store.get_node("org-1")
    assert stored.version == 2
    assert stored.props == {"name": "Humanitas NL"}
    assert stored.name == "Humanitas NL"


def test_update_with_stale_version_conflicts_and_changes_nothing(store: GraphStore) -> None:
    store.put_node(_org("org-1", "Humanitas"))
    first_user = store.get_node("org-1")
    second_user = store.get_node("org-1")

    first_user.props = {"name": "Eerste"}
    store.put_node(first_user)
    second_user.props = {"name": "Tweede"}
    with pytest.raises(Conflict):
        store.put_node(second_user)

    stored = store.get_node("org-1")
    assert stored.version == 2
    assert stored.props == {"name": "Eerste"}


def test_update_with_future_version_conflicts(store: GraphStore) -> None:
    store.put_node(_org("org-1", "Humanitas"))
    with pytest.raises(Conflict):
        store.put_node(Node(id="org-1", kind=ORGANISATION, props={"name": "X"}, version=7))
    assert store.get_node("org-1").version == 1


def test_put_nodes_bulk(store: GraphStore) -> None:
    nodes = [_org(f"org-{i}", f"Organisatie {i}") for i in range(5)]
    stored = store.put_nodes(nodes)
    assert [n.id for n in stored] == [n.id for n in nodes]
    assert all(n.version == 1 for n in stored)
    assert store.count_nodes(ORGANISATION) == 5

    updates = [Node(id=n.id, kind=n.kind, props={"name": n.name + "!"}, version=1)
               for n in stored[:2]]
    mixed = store.put_nodes([*updates, _org("org-new", "Nieuw")])
    assert [n.version for n in mixed] == [2, 2, 1]
    assert store.get_node("org-0").props == {"name": "Organisatie 0!"}


def test_put_nodes_is_all_or_nothing(store: GraphStore) -> None:
    store.put_node(_org("org-1", "Humanitas"))
    with pytest.raises(Conflict):
        store.put_nodes([_org("org-2", "Twee"), _org("org-1", "Dubbel"), _org("org-3", "Drie")])
    assert store.count_nodes() == 1

    with pytest.raises(Conflict):
        store.put_nodes([_org("org-4", "Vier"),
                         Node(id="org-1", kind=ORGANISATION, props={"name": "Oud"}, version=9)])
    assert store.count_nodes() == 1
    assert store.get_node("org-1").props == {"name": "Humanitas"}


def test_get_nodes_skips_missing_ids(store: GraphStore) -> None:
    store.put_nodes([_org("org-1", "Een"), _org("org-2", "Twee")])
    found = store.get_nodes(["org-2", "org-missing", "org-1", "org-2"])
    assert set(found) == {"org-1", "org-2"}
    assert found["org-2"].name == "Twee"
    assert store.get_nodes([]) == {}
    assert store.get_nodes(iter(["org-1"])).keys() == {"org-1"}


def test_find_nodes_by_kind(store: GraphStore) -> None:
    store.put_nodes([
        _org("org-1", "Humanitas"),
        Node(id="per-1", kind=PERSON, props={"name": "Anna"}),
        Node(id="act-1", kind=ACTIVITY, props={"title": "Taalcafé"}),
    ])
    assert [n.id for n in store.find_nodes(ORGANISATION)] == ["org-1"]
    assert [n.id for n in store.find_nodes(ACTIVITY)] == ["act-1"]
    assert len(store.find_nodes()) == 3
    assert store.find_nodes("Team") == []


def test_find_nodes_where_props(store: GraphStore) -> None:
    store.put_nodes([
        _org("org-1", "Een", city="Utrecht", beds=12, active=True),
        _org("org-2", "Twee", city="Utrecht", beds=3, active=False),
        _org("org-3", "Drie", city="Zeist", beds=12, active=True),
        _org("org-4", "Vier"),
    ])

    def ids(**where: object) -> list[str]:
        return sorted(n.id for n in store.find_nodes(ORGANISATION, where))

    assert ids(city="Utrecht") == ["org-1", "org-2"]
    assert ids(beds=12) == ["org-1", "org-3"]
    assert ids(active=True) == ["org-1", "org-3"]
    assert ids(active=False) == ["org-2"]
    assert ids(city="Utrecht", beds=12) == ["org-1"]
    assert ids(city="Amersfoort") == []
    assert ids(city="utrecht") == []  # equality, not folded search


def test_find_nodes_by_source_key(store: GraphStore) -> None:
    store.put_nodes([
        Node(id="org-1", kind=ORGANISATION, props={"name": "Een"}, source="kvk", source_id="1"),
        Node(id="org-2", kind=ORGANISATION, props={"name": "Twee"}, source="kvk", source_id="2"),
        Node(id="org-3", kind=ORGANISATION, props={"name": "Drie"}, source="sheet",
             source_id="1"),
    ])
    found = store.find_nodes(ORGANISATION, {"source": "kvk", "source_id": "1"})
    assert [n.id for n in found] == ["org-1"]
    assert found[0].source == "kvk" and found[0].source_id == "1"
    assert sorted(n.id for n in store.find_nodes(where={"source": "kvk"})) == ["org-1", "org-2"]
    assert [n.id for n in store.find_nodes(where={"source_id": "1", "source": "sheet"})] == [
        "org-3"]


def test_find_nodes_orders_by_name_then_id(store: GraphStore) -> None:
    store.put_nodes([
        _org("org-c", "Bakker"),
        _org("org-a", "Cees"),
        _org("org-d", "Akker"),
        _org("org-b", "Bakker"),
    ])
    assert [n.id for n in store.find_nodes(ORGANISATION)] == ["org-d", "org-b", "org-c", "org-a"]


def test_find_nodes_orders_names_ignoring_case(store: GraphStore) -> None:
    store.put_nodes([_org("org-1", "bakker"), _org("org-2", "Cees"), _org("org-3", "akker")])
    assert [n.name for n in store.find_nodes(ORGANISATION)] == ["akker", "bakker", "Cees"]


def test_find_nodes_limit_and_offset(store: GraphStore) -> None:
    store.put_nodes([_org(f"org-{i}", f"Naam {i:02d}") for i in range(10)])
    everything = [n.id for n in store.find_nodes(ORGANISATION)]
    assert everything == [f"org-{i}" for i in range(10)]
    assert [n.id for n in store.find_nodes(ORGANISATION, limit=3)] == everything[:3]
    assert [n.id for n in store.find_nodes(ORGANISATION, limit=3, offset=4)] == everything[4:7]
    assert [n.id for n in store.find_nodes(ORGANISATION, offset=8)] == everything[8:]
    assert store.find_nodes(ORGANISATION, limit=5, offset=20) == []


def test_find_nodes_by_name_property_of_each_kind(store: GraphStore) -> None:
    store.put_nodes([
        _org("org-1", "Humanitas"), _org("org-2", "humanitas"), _org("org-3", ""),
        Node(id="act-1", kind=ACTIVITY, props={"title": "Taalcafé", "name": "Anders"}),
        Node(id="act-2", kind=ACTIVITY, props={"title": "Anders"}),
        Node(id="agr-1", kind=AGREEMENT, props={"summary": "Doorverwijzen"}),
        Node(id="agr-2", kind=AGREEMENT, props={"kind": "Doorverwijzen"}),  # named by its kind
        Node(id="per-1", kind=PERSON, props={"name": "Anna", "job_title": "SPV"}),
    ])

    def ids(kind: str, **where: object) -> list[str]:
        return [n.id for n in store.find_nodes(kind, where)]

    assert ids(ORGANISATION, name="Humanitas") == ["org-1"]  # exact, not case-folded
    assert ids(ORGANISATION, name="") == ["org-3"]
    assert ids(ACTIVITY, title="Taalcafé") == ["act-1"]
    assert ids(ACTIVITY, name="Anders") == ["act-1"]  # not the title
    assert ids(AGREEMENT, summary="Doorverwijzen") == ["agr-1"]
    assert ids(PERSON, name="Anna", job_title="SPV") == ["per-1"]
    assert ids(PERSON, name="Anna", job_title="Huisarts") == []


def test_node_values_reads_just_the_named_properties(store: GraphStore) -> None:
    store.put_nodes([
        Node(id="act-1", kind=ACTIVITY, props={
            "title": "Taalcafé", "status": "actief", "life_domains": ["welzijn", "werk"],
            "capacity": 12, "lat": 51.84, "free": True, "referral_needed": False,
            "note": "[niet een lijst]", "description": "lang verhaal"}),
        Node(id="act-2", kind=ACTIVITY, props={"title": "Moestuin", "life_domains": []}),
        _org("org-1", "Humanitas", status="actief"),
    ])
    keys = ["status", "life_domains", "capacity", "lat", "free", "referral_needed", "note",
            "missing"]
    values = store.node_values(ACTIVITY, keys)
    assert values == {
        "act-1": {"status": "actief", "life_domains": ["welzijn", "werk"], "capacity": 12,
                  "lat": 51.84, "free": True, "referral_needed": False,
                  "note": "[niet een lijst]"},
        "act-2": {"life_domains": []},
    }
    one = values["act-1"]
    assert type(one["capacity"]) is int and type(one["free"]) is bool
    assert store.node_values(ORGANISATION, ["name"]) == {"org-1": {"name": "Humanitas"}}
    assert store.node_values(ORGANISATION, []) == {"org-1": {}}
    assert store.node_values(PERSON, ["name"]) == {}


def test_node_values_refuses_odd_property_names(store: GraphStore) -> None:
    with pytest.raises(ValidationError):
        store.node_values(ACTIVITY, ["title') OR 1=1 --"])


def test_count_nodes(store: GraphStore) -> None:
    assert store.count_nodes() == 0
    store.put_nodes([_org("org-1", "Een"), _org("org-2", "Twee"),
                     Node(id="per-1", kind=PERSON, props={"name": "Anna"})])
    assert store.count_nodes() == 3
    assert store.count_nodes(ORGANISATION) == 2
    assert store.count_nodes(PERSON) == 1
    assert store.count_nodes(ACTIVITY) == 0


def test_source_key_is_unique(store: GraphStore) -> None:
    store.put_node(Node(id="org-1", kind=ORGANISATION, props={"name": "Een"},
                        source="kvk", source_id="1"))
    with pytest.raises(Conflict):
        store.put_node(Node(id="org-2", kind=ORGANISATION, props={"name": "Twee"},
                            source="kvk", source_id="1"))
    assert store.count_nodes() == 1

    other = store.put_node(Node(id="org-3", kind=ORGANISATION, props={"name": "Drie"},
                                source="kvk", source_id="3"))
    other.source_id = "1"
    with pytest.raises(Conflict):
        store.put_node(other)
    assert store.get_node("org-3").source_id == "3"


def test_nodes_without_source_key_do_not_clash(store: GraphStore) -> None:
    store.put_nodes([_org("org-1", "Een"), _org("org-2", "Twee")])
    assert store.count_nodes() == 2


def test_delete_node(store: GraphStore) -> None:
    store.put_node(_org("org-1", "Humanitas"))
    with pytest.raises(Conflict):
        store.delete_node("org-1", version=2)
    assert store.get_node("org-1").version == 1

    store.delete_node("org-1", version=1)
    with pytest.raises(NotFound):
        store.get_node("org-1")
    assert store.count_nodes() == 0
    assert store.find_nodes(ORGANISATION) == []
    with pytest.raises(NotFound):
        store.delete_node("org-1", version=1)


def test_delete_node_refuses_while_linked(store: GraphStore) -> None:
    store.put_nodes([_org("org-1", "Humanitas"),
                     Node(id="per-1", kind=PERSON, props={"name": "Anna"})])
    edge = store.add_edge(Edge(type="WORKS_AT", src="per-1", dst="org-1", since="1999-01-01"))
    for node_id in ("org-1", "per-1"):
        with pytest.raises(Conflict):
            store.delete_node(node_id, version=1)
    store.update_edge(Edge(type=edge.type, src=edge.src, dst=edge.dst, since=edge.since,
                           until="2000-01-01", id=edge.id))
    with pytest.raises(Conflict):  # ended relations are history, and still count
        store.delete_node("org-1", version=1)
    assert store.count_nodes() == 2
