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
