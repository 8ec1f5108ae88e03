"""Contract: dated edges — adding, ending, listing by node, direction, type and currency."""

from __future__ import annotations

from datetime import date, timedelta

import networkx as nx
import pytest

from directory.errors import NotFound
from directory.model import ACTIVITY, AREA, ORGANISATION, PERSON, TEAM, Edge, Node
from directory.store import GraphStore

PAST = "2001-01-01"
FUTURE = (date.today() + timedelta(days=30)).isoformat()
YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


@pytest.fixture
def people(store: GraphStore) -> GraphStore:
    """Two people, two organisations, a team and an area."""
    store.put_nodes([
        Node(id="per-a", kind=PERSON, props={"name": "Anna"}),
        Node(id="per-b", kind=PERSON, props={"name": "Bert"}),
        Node(id="org-1", kind=ORGANISATION, props={"name": "Humanitas"}),
        Node(id="org-2", kind=ORGANISATION, props={"name": "Leger des Heils"}),
        Node(id="team-1", kind=TEAM, props={"name": "WijkGGZ Noord"}),
        Node(id="area-1", kind=AREA, props={"name": "Overvecht"}),
    ])
    return store


def _ids(edges: list[Edge]) -> set[int | None]:
    return {e.id for e in edges}


def test_add_edge_assigns_id_and_defaults_since_to_today(people: GraphStore) -> None:
    edge = people.add_edge(Edge(type="WORKS_AT", src="per-a", dst="org-1",
                                props={"role": "coördinator"}))
    assert isinstance(edge.id, int)
    assert edge.since == date.today().isoformat()
    assert edge.until is None
    assert edge.current
    stored = people.get_edge(edge.id)
    assert stored == edge
    assert stored.props == {"role": "coördinator"}


def test_add_edge_keeps_given_dates(people: GraphStore) -> None:
    edge = people.add_edge(Edge(type="WORKS_AT", src="per-a", dst="org-1", since=PAST,
                                until=YESTERDAY))
    stored = people.get_edge(edge.id or 0)
    assert (stored.since, stored.until) == (PAST, YESTERDAY)
    assert not stored.current


def test_add_edges_assigns_distinct_ids(people: GraphStore) -> None:
    edges = people.add_edges([
        Edge(type="WORKS_AT", src="per-a", dst="org-1"),
        Edge(type="WORKS_AT", src="per-a", dst="org-1"),  # parallel edges are allowed
        Edge(type="KNOWS", src="per-a", dst="per-b"),
    ])
    assert len({e.id for e in edges}) == 3
    assert [e.type for e in edges] == ["WORKS_AT", "WORKS_AT", "KNOWS"]
    for edge in edges:
        assert people.get_edge(edge.id or 0) == edge


def test_add_edge_with_missing_end_raises_not_found(people: GraphStore) -> None:
    with pytest.raises(NotFound):
        people.add_edge(Edge(type="WORKS_AT", src="per-missing", dst="org-1"))
    with pytest.raises(NotFound):
        people.add_edge(Edge(type="WORKS_AT", src="per-a", dst="org-missing"))
    assert people.edges() == []


def test_add_edges_writes_nothing_when_one_fails(people: GraphStore) -> None:
    audit_before = len(people.audit(limit=1000))
    with pytest.raises(NotFound):
        people.add_edges([
            Edge(type="WORKS_AT", src="per-a", dst="org-1"),
            Edge(type="WORKS_AT", src="per-b", dst="org-missing"),
            Edge(type="KNOWS", src="per-a", dst="per-b"),
        ])
    assert people.edges() == []
    assert len(people.audit(limit=1000)) == audit_before


def test_failed_batch_names_the_edge_and_keeps_ids_unique(people: GraphStore) -> None:
    first = people.add_edge(Edge(type="KNOWS", src="per-a", dst="per-b"))
    with pytest.raises(NotFound, match="WORKS_AT"):
        people.add_edges([Edge(type="WORKS_AT", src="per-a", dst="org-1"),
                          Edge(type="WORKS_AT", src="per-b", dst="org-missing")])
    batch = people.add_edges([Edge(type="WORKS_AT", src="per-a", dst="org-1"),
                              Edge(type="WORKS_AT", src="per-b", dst="org-2")])
    ids = [first.id, *(e.id for e in batch)]
    assert len(set(ids)) == 3 and ids == sorted(ids)  # type: ignore[type-var]
    assert [e.id for e in people.edges()] == ids
    assert [people.get_edge(e.id or 0) for e in batch] == batch


def test_get_unknown_edge_raises_not_found(people: GraphStore) -> None:
    with pytest.raises(NotFound):
        people.get_edge(987654)


def test_update_edge_ends_it_and_keeps_history(people: GraphStore) -> None:
    edge = people.add_edge(Edge(type="WORKS_AT", src="per-a", dst="org-1", since=PAST,
                                props={"role": "maatje"}))
    ended = people.update_edge(Edge(type=edge.type, src=edge.src, dst=edge.dst,
                                    props={"role": "maatje", "reason": "verhuisd"},
                                    since=PAST, until=YESTERDAY, id=edge.id))
    assert ended.id == edge.id
    assert ended.until == YESTERDAY
    stored = people.get_edge(edge.id or 0)
    assert stored == ended
    assert stored.props == {"role": "maatje", "reason": "verhuisd"}
    assert (stored.type, stored.src, stored.dst) == ("WORKS_AT", "per-a", "org-1")
    assert _ids(people.edges("per-a")) == {edge.id}
    assert people.edges("per-a", current=True) == []
    assert _ids(people.edges("per-a", current=False)) == {edge.id}


def test_update_edge_keeps_ends_and_type(people: GraphStore) -> None:
    edge = people.add_edge(Edge(type="WORKS_AT", src="per-a", dst="org-1"))
    people.update_edge(Edge(type="KNOWS", src="per-b", dst="org-2", props={"x": 1},
                            since=PAST, id=edge.id))
    stored = people.get_edge(edge.id or 0)
    assert (stored.type, stored.src, stored.dst) == ("WORKS_AT", "per-a", "org-1")
    assert (stored.props, stored.since) == ({"x": 1}, PAST)


def test_update_unknown_edge_raises_not_found(people: GraphStore) -> None:
    with pytest.raises(NotFound):
        people.update_edge(Edge(type="WORKS_AT", src="per-a", dst="org-1", id=987654))


def test_edges_by_node_and_direction(people: GraphStore) -> None:
    works = people.add_edge(Edge(type="WORKS_AT", src="per-a", dst="org-1"))
    knows = people.add_edge(Edge(type="KNOWS", src="per-b", dst="per-a"))
    member = people.add_edge(Edge(type="MEMBER_OF", src="per-b", dst="team-1"))

    assert _ids(people.edges("per-a")) == {works.id, knows.id}
    assert _ids(people.edges("per-a", direction="both")) == {works.id, knows.id}
    assert _ids(people.edges("per-a", direction="out")) == {works.id}
    assert _ids(people.edges("per-a", direction="in")) == {knows.id}
    assert _ids(people.edges("team-1", direction="out")) == set()
    assert _ids(people.edges()) == {works.id, knows.id, member.id}
    assert people.edges("area-1") == []
    assert people.edges("per-missing") == []


def test_edges_by_type(people: GraphStore) -> None:
    works = people.add_edge(Edge(type="WORKS_AT", src="per-a", dst="org-1"))
    knows = people.add_edge(Edge(type="KNOWS", src="per-a", dst="per-b"))
    people.add_edge(Edge(type="MEMBER_OF", src="per-a", dst="team-1"))
    assert _ids(people.edges("per-a", types=["WORKS_AT"])) == {works.id}
    assert _ids(people.edges("per-a", types=["WORKS_AT", "KNOWS"])) == {works.id, knows.id}
    assert _ids(people.edges(types=["KNOWS"])) == {knows.id}
    assert people.edges("per-a", types=["SERVES"]) == []


def test_edges_current_filter(people: GraphStore) -> None:
    open_ended = people.add_edge(Edge(type="WORKS_AT", src="per-a", dst="org-1"))
    ended = people.add_edge(Edge(type="WORKS_AT", src="per-a", dst="org-2", since=PAST,
                                 until=YESTERDAY))
    ends_later = people.add_edge(Edge(type="MEMBER_OF", src="per-a", dst="team-1",
                                      until=FUTURE))
    ends_today = people.add_edge(Edge(type="KNOWS", src="per-a", dst="per-b", since=PAST,
                                      until=date.today().isoformat()))
    assert ends_later.current and not ends_today.current
    assert _ids(people.edges("per-a", current=True)) == {open_ended.id, ends_later.id}
    assert _ids(people.edges("per-a", current=False)) == {ended.id, ends_today.id}
    assert _ids(people.edges("per-a", current=None)) == {
        open_ended.id, ended.id, ends_later.id, ends_today.id}
    assert _ids(people.edges(current=False)) == {ended.id, ends_today.id}
    assert _ids(people.edges("per-a", types=["WORKS_AT"], direction="out", current=True)) == {
        open_ended.id}


def test_edges_between(people: GraphStore) -> None:
    a_org = people.add_edge(Edge(type="WORKS_AT", src="per-a", dst="org-1"))
    b_org = people.add_edge(Edge(type="WORKS_AT", src="per-b", dst="org-2", since=PAST,
                                 until=YESTERDAY))
    a_team = people.add_edge(Edge(type="MEMBER_OF", src="per-a", dst="team-1"))
    serves = people.add_edge(Edge(type="SERVES", src="team-1", dst="area-1"))

    out = people.edges_between(["WORKS_AT"], ["per-a", "per-b"], direction="out")
    assert _ids(out) == {a_org.id, b_org.id}  # ended edges too: the caller filters
    assert _ids(people.edges_between(["WORKS_AT", "MEMBER_OF"], ["per-a"])) == {
        a_org.id, a_team.id}
    assert _ids(people.edges_between(["WORKS_AT"], iter(["org-1", "org-2"]),
                                     direction="in")) == {a_org.id, b_org.id}
    assert _ids(people.edges_between(["SERVES"], ["area-1"], direction="in")) == {serves.id}
    assert people.edges_between(["SERVES"], ["area-1"], direction="out") == []
    assert people.edges_between(["WORKS_AT"], ["org-1"], direction="out") == []
    assert people.edges_between(["WORKS_AT"], []) == []


def test_neighbours_give_the_edges_and_the_nodes_at_both_ends(people: GraphStore) -> None:
    a_org = people.add_edge(Edge(type="WORKS_AT", src="per-a", dst="org-1"))
    b_org = people.add_edge(Edge(type="WORKS_AT", src="per-b", dst="org-2", since=PAST,
                                 until=YESTERDAY))
    knows = people.add_edge(Edge(type="KNOWS", src="per-b", dst="per-a"))
    people.add_edge(Edge(type="MEMBER_OF", src="per-a", dst="team-1"))

    edges, nodes = people.neighbours(["per-a", "per-b"], ["WORKS_AT"])
    assert edges == people.edges_between(["WORKS_AT"], ["per-a", "per-b"])
    assert _ids(edges) == {a_org.id, b_org.id}  # ended edges too: the caller filters
    assert set(nodes) == {"per-a", "per-b", "org-1", "org-2"}
    assert nodes["org-2"] == people.get_node("org-2")
    edges, nodes = people.neighbours(["per-a"], ["KNOWS"], "both")
    assert [(e.id, e.src, e.dst) for e in edges] == [(knows.id, "per-b", "per-a")]
    assert set(nodes) == {"per-a", "per-b"}
    assert people.neighbours(["per-a"], ["KNOWS"], "out") == ([], {"per-a": nodes["per-a"]})
    assert people.neighbours([], ["KNOWS"]) == ([], {})


def test_projection_has_current_edges_only(people: GraphStore) -> None:
    people.put_node(Node(id="act-1", kind=ACTIVITY, props={"title": "Taalcafé"}))
    people.add_edge(Edge(type="WORKS_AT", src="per-a", dst="org-1", props={"role": "maatje"}))
    people.add_edge(Edge(type="WORKS_AT", src="per-b", dst="org-2", since=PAST,
                         until=YESTERDAY))
    people.add_edge(Edge(type="MEMBER_OF", src="per-a", dst="team-1", until=FUTURE))
    people.add_edge(Edge(type="OFFERED_BY", src="act-1", dst="org-1"))

    graph = people.projection()
    assert isinstance(graph, nx.MultiDiGraph)
    assert set(graph.nodes) == {"per-a", "org-1", "team-1", "act-1"}
    assert graph.nodes["per-a"] == {"kind": PERSON, "name": "Anna"}
    assert graph.nodes["act-1"] == {"kind": ACTIVITY, "name": "Taalcafé"}
    assert graph.number_of_edges() == 3
    assert not graph.has_edge("per-b", "org-2")
    (data,) = graph.get_edge_data("per-a", "org-1").values()
    assert data["type"] == "WORKS_AT"
    assert data["role"] == "maatje"


def test_projection_by_types(people: GraphStore) -> None:
    people.add_edge(Edge(type="WORKS_AT", src="per-a", dst="org-1"))
    people.add_edge(Edge(type="WORKS_AT", src="per-b", dst="org-1"))
    people.add_edge(Edge(type="KNOWS", src="per-a", dst="per-b"))
    people.add_edge(Edge(type="SERVES", src="team-1", dst="area-1"))

    graph = people.projection(["WORKS_AT"])
    assert set(graph.nodes) == {"per-a", "per-b", "org-1"}
    assert {d["type"] for _, _, d in graph.edges(data=True)} == {"WORKS_AT"}
    assert graph.number_of_edges() == 2
    assert people.projection(["AGREED"]).number_of_nodes() == 0


def test_update_edges_ends_many_in_one_go(store: GraphStore) -> None:
    store.put_nodes([Node(id=f"per-{i}", kind=PERSON, props={"name": f"P{i}"}) for i in range(3)])
    made = store.add_edges([Edge(type="KNOWS", src="per-0", dst="per-1", since="2020-01-01"),
                            Edge(type="KNOWS", src="per-0", dst="per-2", since="2021-01-01")])
    for edge in made:
        edge.until = "2024-06-30"
    ended = store.update_edges(made, actor="coordinator")
    assert [(e.id, e.until) for e in ended] == [(made[0].id, "2024-06-30"),
                                                (made[1].id, "2024-06-30")]
    assert store.edges("per-0", current=True) == []
    assert [e.action for e in store.audit("per-0")][:2] == ["end", "end"]
    with pytest.raises(NotFound):
        store.update_edges([Edge(type="KNOWS", src="per-0", dst="per-1", id=999_999)])
