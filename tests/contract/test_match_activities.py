"""match_activities: the search filters every backend applies itself."""

from __future__ import annotations

from dataclasses import replace

import pytest

from directory.facets import ActivityFilter
from directory.model import ACTIVITY, AREA, ORGANISATION, Edge, Node
from directory.store import GraphStore

BASE = ActivityFilter()


def _activity(node_id: str, title: str, **props: object) -> Node:
    return Node(node_id, ACTIVITY, {"title": title, **props})


@pytest.fixture
def filled(store: GraphStore) -> GraphStore:
    store.put_nodes([
        Node("GM0268", AREA, {"code": "GM0268", "name": "Nijmegen", "level": "gemeente"}),
        Node("WK026807", AREA, {"code": "WK026807", "name": "Dukenburg", "level": "wijk"}),
        Node("org-1", ORGANISATION, {"name": "Buurtkamer De Schakel"}),
        _activity("act-1", "Inloop met koffieochtend", life_domains=["welzijn"],
                  target_groups=["iedereen"], schedule="FREQ=WEEKLY;BYDAY=TU", cost="gratis",
                  lat=51.82, lon=5.79, gemeente="GM0268"),
        _activity("act-2", "Schuldhulpmaatje", life_domains=["financien"],
                  target_groups=["18plus"], schedule="FREQ=WEEKLY;BYDAY=MO,TH",
                  cost="€ 2,50", referral_needed=True, lat=51.84, lon=5.86,
                  gemeente="GM0268"),
        _activity("act-3", "Taalcafé", life_domains=["welzijn"], target_groups=["nieuwkomers"],
                  schedule="FREQ=WEEKLY;BYDAY=TU", cost="gratis", status="gestopt"),
        _activity("act-4", "Wandelgroep", target_groups=[], gemeente="GM0268"),
    ])
    store.add_edges([Edge("WITHIN", "WK026807", "GM0268"),
                     Edge("IN_AREA", "act-1", "WK026807"),
                     Edge("OFFERED_BY", "act-2", "org-1")])
    return store


def ids(store: GraphStore, where: ActivityFilter) -> list[str]:
    rows, total = store.match_activities(where)
    assert total == len(rows)
    return sorted(row.id for row in rows)


def test_filters(filled: GraphStore) -> None:
    assert ids(filled, BASE) == ["act-1", "act-2", "act-4"]  # act-3 has stopped
    assert ids(filled, replace(BASE, include_stopped=True)) == ["act-1", "act-2", "act-3",
                                                                "act-4"]
    assert ids(filled, replace(BASE, domains=("financien", "zorg"))) == ["act-2"]
    assert ids(filled, replace(BASE, days=("di",))) == ["act-1"]
    assert ids(filled, replace(BASE, free=True)) == ["act-1"]
    assert ids(filled, replace(BASE, no_referral=True)) == ["act-1", "act-4"]
    # for nieuwkomers: their own, everyone's, and those for no stated group
    assert ids(filled, replace(BASE, targets=("nieuwkomers",))) == ["act-1", "act-4"]
    assert ids(filled, replace(BASE, ids=frozenset({"act-2", "act-3"}))) == ["act-2"]
    assert ids(filled, replace(BASE, box=(51.81, 51.83, 5.7, 5.8))) == ["act-1"]


def test_area_means_placed_there_or_only_known_by_gemeente(filled: GraphStore) -> None:
    assert ids(filled, replace(BASE, area_codes=frozenset({"WK026807"}))) == ["act-1"]
    # act-2 and act-4 have no wijk: they count for their gemeente
    assert ids(filled, replace(BASE, area_codes=frozenset({"GM0268", "WK026807"}))) == [
        "act-1", "act-2", "act-4"]


def test_text_matches_the_activity_or_its_organisation(filled: GraphStore) -> None:
    rows, _ = filled.match_activities(replace(BASE, terms=[("koffie",)]))
    assert [(r.id, r.via_organisation) for r in rows] == [("act-1", False)]
    rows, _ = filled.match_activities(replace(BASE, terms=[("schakel",)]))
    assert [(r.id, r.via_organisation) for r in rows] == [("act-2", True)]
    assert ids(filled, replace(BASE, terms=[("koffie",), ("schuld",)])) == []
    assert ids(filled, replace(BASE, terms=[("koffie",), ("schuld",)], mode="any")) == [
        "act-1", "act-2"]
    assert ids(filled, replace(BASE, terms=[("xyzzy", "koffie")])) == ["act-1"]
    row = filled.match_activities(replace(BASE, terms=[("koffie",)]))[0][0]
    assert (row.title, row.lat, row.lon) == ("Inloop met koffieochtend", 51.82, 5.79)
    assert "koffieochtend" in row.text


def test_pages_by_title_then_id(filled: GraphStore) -> None:
    rows, total = filled.match_activities(replace(BASE, include_stopped=True), page=(1, 2))
    assert total == 4
    assert [r.id for r in rows] == ["act-2", "act-3"]  # Inloop, Schuld…, Taal…, Wandel…
    rows, total = filled.match_activities(BASE, page=(0, -1))
    assert [r.id for r in rows] == ["act-1", "act-2", "act-4"] and total == 3


def test_facets_follow_updates_and_deletes(filled: GraphStore) -> None:
    node = filled.get_node("act-4")
    node.props = {**node.props, "cost": "gratis"}
    filled.put_node(node)
    assert ids(filled, replace(BASE, free=True)) == ["act-1", "act-4"]
    stopped = filled.get_node("act-3")
    filled.delete_node("act-3", version=stopped.version)
    assert "act-3" not in ids(filled, replace(BASE, include_stopped=True))


@pytest.fixture
def titled(store: GraphStore) -> GraphStore:
    """Activities whose titles and texts give every score level of the ranking."""
    store.put_nodes([
        Node("org-k", ORGANISATION, {"name": "Koffiebranderij De Boon"}),
        _activity("act-a", "Koffie en kaarten"),                       # word start: 2.5
        _activity("act-b", "Inloop met koffie"),                       # word start: 2.5
        _activity("act-c", "Buurtkoffie"),                             # in the title: 2.0
        _activity("act-d", "Wandelgroep", description="daarna koffie"),  # in the text: 1.0
        _activity("act-e", "Breicafé"),                                 # via the organisation
        _activity("act-f", "Schuldhulp met koffie"),
        _activity("act-g", "Kookcafé", description="samen koken en eten"),
    ])
    store.add_edges([Edge("OFFERED_BY", "act-e", "org-k")])
    return store


def _ranked(store: GraphStore, where: ActivityFilter, page: tuple[int, int]
            ) -> tuple[list[tuple[str, float, bool]], int]:
    rows, total = store.rank_activities(where, page)
    return [(row.id, score, row.via_organisation) for row, score in rows], total


def test_rank_orders_by_relevance_then_title(titled: GraphStore) -> None:
    ranked, total = _ranked(titled, replace(BASE, terms=[("koffie",)]), (0, -1))
    assert total == 6
    assert ranked == [("act-b", 2.5, False), ("act-a", 2.5, False), ("act-f", 2.5, False),
                      ("act-c", 2.0, False), ("act-e", 1.0, True), ("act-d", 1.0, False)]
    page, total = _ranked(titled, replace(BASE, terms=[("koffie",)]), (2, 2))
    assert [r[0] for r in page] == ["act-f", "act-c"] and total == 6


def test_rank_averages_terms_and_alternatives(titled: GraphStore) -> None:
    # "koffie schuld": only act-f has both; "any" ranks one-term matches below it
    where = replace(BASE, terms=[("koffie",), ("schuld",)])
    assert _ranked(titled, where, (0, 5)) == ([("act-f", 2.5, False)], 1)
    ranked, total = _ranked(titled, replace(where, mode="any"), (0, 3))
    assert total == 5 and ranked[0] == ("act-f", 2.5, False)  # act-e: its organisation
    # has only one of the terms, and an organisation's name must hold them all
    assert [r[1] for r in ranked[1:]] == [1.25, 1.25]
    # koken: alternatives "kook" (title word start) and "kok" (in text)
    assert _ranked(titled, replace(BASE, terms=[("kook", "kok")]), (0, 5)) == (
        [("act-g", 2.5, False)], 1)


@pytest.mark.parametrize("terms, mode", [
    ([("koffie",)], "all"), ([("koffie",), ("schuld",)], "any"), ([("kook", "kok")], "all"),
    ([("boon",)], "all"), ([("ee",), ("koffie",)], "all"), ([("xyzzy",)], "all")])
def test_rank_agrees_with_the_reference(titled: GraphStore, terms: list[tuple[str, ...]],
                                        mode: str) -> None:
    from directory.relevance import rank_in_memory

    where = replace(BASE, terms=terms, mode=mode)
    for page in ((0, -1), (0, 2), (1, 3), (10, 5)):
        mine, total = titled.rank_activities(where, page)
        reference, expected_total = rank_in_memory(titled, where, page)
        assert total == expected_total
        assert [(r.id, s) for r, s in mine] == [(r.id, s) for r, s in reference]


def test_rank_in_an_area_uses_the_same_order(filled: GraphStore) -> None:
    where = replace(BASE, terms=[("koffie",)], area_codes=frozenset({"GM0268", "WK026807"}))
    ranked, total = _ranked(filled, where, (0, 10))
    assert ranked == [("act-1", 2.5, False)] and total == 1  # "… koffieochtend"
    where = replace(where, terms=[("schakel",)])
    assert _ranked(filled, where, (0, 10)) == ([("act-2", 1.0, True)], 1)
