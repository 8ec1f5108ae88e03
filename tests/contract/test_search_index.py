"""Contract: text_candidates finds nodes by folded substrings of their indexed text."""

from __future__ import annotations

import pytest

from directory.model import ACTIVITY, ORGANISATION, Node
from directory.store import GraphStore


def _activity(node_id: str, title: str, **props: object) -> Node:
    return Node(id=node_id, kind=ACTIVITY, props={"title": title, **props})


@pytest.fixture
def activities(store: GraphStore) -> GraphStore:
    """Three activities and an organisation that shares a word with one of them."""
    store.put_nodes([
        _activity("act-koffie", "Inloop met koffieochtend", city="Utrecht"),
        _activity("act-taal", "Taalcafé", description="Nederlands oefenen bij de koffie"),
        _activity("act-schuld", "Schuldhulpmaatje", city="Zeist"),
        Node(id="org-1", kind=ORGANISATION, props={"name": "Koffiehuis de Zaak"}),
    ])
    return store


def _ids(result: list[tuple[str, float]]) -> set[str]:
    return {node_id for node_id, _ in result}


def test_substring_terms_find_folded_text(activities: GraphStore) -> None:
    assert _ids(activities.text_candidates(["schuld"], ACTIVITY)) == {"act-schuld"}
    assert _ids(activities.text_candidates(["cafe"], ACTIVITY)) == {"act-taal"}  # from "café"
    assert _ids(activities.text_candidates(["koffie"], ACTIVITY)) == {"act-koffie", "act-taal"}
    assert _ids(activities.text_candidates(["maatje"], ACTIVITY)) == {"act-schuld"}
    assert _ids(activities.text_candidates(["zeist"], ACTIVITY)) == {"act-schuld"}
    assert activities.text_candidates(["fietsen"], ACTIVITY) == []


def test_mode_all_and_any(activities: GraphStore) -> None:
    both = activities.text_candidates(["koffie", "inloop"], ACTIVITY, mode="all")
    assert _ids(both) == {"act-koffie"}
    assert _ids(activities.text_candidates(["koffie", "inloop"], ACTIVITY)) == {"act-koffie"}
    assert activities.text_candidates(["koffie", "schuld"], ACTIVITY, mode="all") == []
    either = activities.text_candidates(["koffie", "schuld"], ACTIVITY, mode="any")
    assert _ids(either) == {"act-koffie", "act-taal", "act-schuld"}


def test_kind_filter(activities: GraphStore) -> None:
    assert _ids(activities.text_candidates(["koffie"], ORGANISATION)) == {"org-1"}
    assert activities.text_candidates(["schuld"], ORGANISATION) == []
    assert activities.text_candidates(["koffie"], "Team") == []


def test_limit(activities: GraphStore) -> None:
    assert len(activities.text_candidates(["koffie"], ACTIVITY, limit=1)) == 1
    assert len(activities.text_candidates(["koffie", "schuld"], ACTIVITY, mode="any",
                                          limit=2)) == 2


def test_scores_are_floats_best_first(store: GraphStore) -> None:
    store.put_nodes([
        _activity("act-1", "Koffie met zang"),
        _activity("act-2", "Koffie met taal"),
        _activity("act-3", "Wandelen in het park"),
    ])
    result = store.text_candidates(["koffie", "taal"], ACTIVITY, mode="any")
    assert [node_id for node_id, _ in result] == ["act-2", "act-1"]
    scores = [score for _, score in result]
    assert all(isinstance(score, float) for score in scores)
    assert scores[0] > scores[1]


def test_updated_text_is_reindexed(activities: GraphStore) -> None:
    node = activities.get_node("act-schuld")
    node.props = {"title": "Wandelgroep"}
    activities.put_node(node)
    assert activities.text_candidates(["schuld"], ACTIVITY) == []
    assert _ids(activities.text_candidates(["wandel"], ACTIVITY)) == {"act-schuld"}


def test_deleted_node_is_not_found(activities: GraphStore) -> None:
    activities.delete_node("act-schuld", version=1)
    assert activities.text_candidates(["schuld"], ACTIVITY) == []


def test_unindexed_kinds_and_empty_terms(store: GraphStore) -> None:
    store.put_node(Node(id="agr-1", kind="Agreement", props={"summary": "Koffieafspraak"}))
    assert store.text_candidates(["koffie"], "Agreement") == []  # search_text is empty
    assert store.text_candidates([], ACTIVITY) == []
