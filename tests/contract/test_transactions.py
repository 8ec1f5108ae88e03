"""Contract: transactions are all-or-nothing, nest by joining, and are safe across threads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from directory.errors import Conflict
from directory.model import ORGANISATION, PERSON, Edge, Node
from directory.store import GraphStore


class Boom(Exception):
    """Raised on purpose inside a transaction."""


def _org(node_id: str, name: str = "Organisatie") -> Node:
    return Node(id=node_id, kind=ORGANISATION, props={"name": name})


def _person(node_id: str) -> Node:
    return Node(id=node_id, kind=PERSON, props={"name": "Anna"})


def test_exception_rolls_back_nodes_edges_and_audit(store: GraphStore) -> None:
    store.put_nodes([_org("org-1", "Humanitas"), _person("per-1")])
    audit_before = store.audit(limit=1000)
    with pytest.raises(Boom), store.transaction("anna"):
        store.put_node(_org("org-2"))
        store.put_node(Node(id="org-1", kind=ORGANISATION, props={"name": "Nieuw"}, version=1))
        store.add_edge(Edge(type="WORKS_AT", src="per-1", dst="org-1"))
        raise Boom
    assert store.count_nodes() == 2
    assert store.get_node("org-1").props == {"name": "Humanitas"}
    assert store.get_node("org-1").version == 1
    assert store.edges() == []
    assert store.audit(limit=1000) == audit_before


def test_store_error_inside_transaction_rolls_back_earlier_writes(store: GraphStore) -> None:
    store.put_node(_org("org-1"))
    with pytest.raises(Conflict), store.transaction():
        store.put_node(_org("org-2"))
        store.put_node(_org("org-1"))  # duplicate id
    assert store.count_nodes() == 1


def test_committed_transaction_keeps_everything(store: GraphStore) -> None:
    with store.transaction("anna"):
        store.put_nodes([_org("org-1"), _person("per-1")])
        store.add_edge(Edge(type="WORKS_AT", src="per-1", dst="org-1"))
    assert store.count_nodes() == 2
    assert len(store.edges()) == 1


def test_nested_transaction_joins_the_outer_one(store: GraphStore) -> None:
    with pytest.raises(Boom), store.transaction():
        store.put_node(_org("org-1"))
        with store.transaction():
            store.put_node(_org("org-2"))
        store.put_node(_org("org-3"))
        raise Boom
    assert store.count_nodes() == 0


def test_exception_in_nested_transaction_rolls_back_all(store: GraphStore) -> None:
    with pytest.raises(Boom), store.transaction(), store.transaction():
        store.put_node(_org("org-1"))
        raise Boom
    assert store.count_nodes() == 0
    store.put_node(_org("org-2"))  # the store is usable again
    assert store.count_nodes() == 1


def test_inner_commit_waits_for_the_outer_one(store: GraphStore) -> None:
    seen: list[int] = []
    with store.transaction():
        with store.transaction():
            store.put_node(_org("org-1"))
        reader = threading.Thread(target=lambda: seen.append(store.count_nodes()))
        reader.start()
        reader.join()
    assert seen == [0]
    assert store.count_nodes() == 1


def test_two_threads_write_in_their_own_transactions(store: GraphStore) -> None:
    def write(prefix: str) -> None:
        for i in range(50):
            store.put_node(_org(f"org-{prefix}-{i}"))
        with store.transaction(prefix):
            for i in range(50, 100):
                store.put_node(_org(f"org-{prefix}-{i}"))

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(write, "a"), pool.submit(write, "b")]:
            future.result()
    assert store.count_nodes(ORGANISATION) == 200
    assert len(store.get_nodes(f"org-{p}-{i}" for p in "ab" for i in range(100))) == 200


def test_concurrent_updates_of_one_node_lose_no_update(store: GraphStore) -> None:
    store.put_node(_org("org-1", "Humanitas"))
    both_read = threading.Barrier(2)

    def update(name: str) -> str:
        node = store.get_node("org-1")
        both_read.wait(timeout=10)
        node.props = {"name": name}
        try:
            store.put_node(node, actor=name)
        except Conflict:
            return "conflict"
        return "ok"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(update, ["eerste", "tweede"]))
    assert sorted(outcomes) == ["conflict", "ok"]
    stored = store.get_node("org-1")
    assert stored.version == 2
    winner = ["eerste", "tweede"][outcomes.index("ok")]
    assert stored.props == {"name": winner}
    assert [e.actor for e in store.audit("org-1") if e.action == "update"] == [winner]
