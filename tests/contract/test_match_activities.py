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


@pytest.fixture
def many(store: GraphStore) -> GraphStore:
    """Forty activities on every score level, with shared titles and mixed filters."""
    starts = ["Koffie", "Buurtkoffie", "Wandelen", "Inloop"]
    nodes = [Node("org-m", ORGANISATION, {"name": "Koffiehuis Noord"})]
    for i in range(40):
        nodes.append(_activity(
            f"act-{i:02d}", f"{starts[i % 4]} {i % 7}",
            description="daarna koffie" if i % 3 == 0 else "samen",
            life_domains=["welzijn"] if i % 2 else ["zorg"],
            target_groups=[] if i % 5 == 0 else ["ouderen"],
            schedule="FREQ=WEEKLY;BYDAY=" + ("MO" if i % 4 else "FR"),
            status="gestopt" if i % 11 == 0 else "actief"))
    store.put_nodes(nodes)
    nodes.append(_activity("act-n", "Koffie en kaarten", description="Noordkaap"))
    store.put_nodes(nodes[-1:])
    # via the organisation; for "koffie noord" act-12 ("Koffie 5") scores (2.5 + 0) / 2
    store.add_edges([Edge("OFFERED_BY", f"act-{i:02d}", "org-m") for i in (2, 5, 6, 9, 12)])
    return store


PAGES = ((0, -1), (0, 3), (2, 5), (7, 4), (30, 10))
WHERES = [
    replace(BASE, terms=[("koffie",)]),
    replace(BASE, terms=[("koffie",)], domains=("welzijn",)),
    replace(BASE, terms=[("koffie",), ("noord",)]),  # only through the organisation
    replace(BASE, terms=[("koff", "buurt")], targets=("nieuwkomers",), days=("ma",)),
    replace(BASE, terms=[("inloop",)], include_stopped=True),
]


@pytest.fixture(params=[0, 2000], ids=["walked", "sorted"])
def sort_limit(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """A server store sorts few hits and walks the title index for many: both ways."""
    import graph.neo4j_search

    monkeypatch.setattr(graph.neo4j_search, "SORT_LIMIT", request.param)
    return int(request.param)


@pytest.mark.parametrize("where", WHERES)
def test_many_rank_like_the_reference(many: GraphStore, where: ActivityFilter,
                                     sort_limit: int) -> None:
    from directory.relevance import rank_in_memory

    for page in PAGES:
        mine, total = many.rank_activities(where, page)
        reference, expected_total = rank_in_memory(many, where, page)
        assert total == expected_total
        assert [(r.id, s, r.via_organisation) for r, s in mine] == [
            (r.id, s, r.via_organisation) for r, s in reference]


@pytest.mark.parametrize("where", [
    BASE, replace(BASE, include_stopped=True), replace(BASE, domains=("welzijn",)),
    replace(BASE, targets=("nieuwkomers",), days=("vr",)), replace(BASE, no_referral=True)])
def test_many_pages_of_filters_follow_the_titles(many: GraphStore, where: ActivityFilter,
                                                 sort_limit: int) -> None:
    everything, _ = many.match_activities(where)
    expected = sorted(everything, key=lambda r: (r.title.lower(), r.id))
    for offset, limit in PAGES:
        rows, total = many.match_activities(where, page=(offset, limit))
        assert total == len(expected)
        end = None if limit < 0 else offset + limit
        assert [r.id for r in rows] == [r.id for r in expected[offset:end]]


def test_via_follows_organisations_their_names_and_end_dates(store: GraphStore,
                                                            sort_limit: int) -> None:
    from directory.relevance import rank_in_memory

    store.put_nodes([
        Node("org-a", ORGANISATION, {"name": "Koffiehuis"}),
        Node("org-b", ORGANISATION, {"name": "Noord"}),
        Node("org-c", ORGANISATION, {"name": "Wijkcentrum Zuid"}),
        _activity("act-1", "Breien"), _activity("act-2", "Schaken"),
        _activity("act-3", "Dammen"), _activity("act-4", "Zuidelijk koffie drinken")])
    store.add_edges([
        Edge("OFFERED_BY", "act-1", "org-a"), Edge("OFFERED_BY", "act-1", "org-b"),
        Edge("OFFERED_BY", "act-2", "org-c", until="2999-01-01"),  # ends later: current
        Edge("OFFERED_BY", "act-3", "org-c", until="2000-01-01")])  # ended long ago

    def found(*terms: str) -> list[tuple[str, float, bool]]:
        where = replace(BASE, terms=[(t,) for t in terms])
        ranked, total = store.rank_activities(where, (0, 10))
        reference, _ = rank_in_memory(store, where, (0, 10))
        mine = [(r.id, s, r.via_organisation) for r, s in ranked]
        assert mine == [(r.id, s, r.via_organisation) for r, s in reference]
        assert total == len(mine)
        return mine

    assert found("koffie", "noord") == []  # no one organisation has both in its name
    assert found("koffie") == [("act-4", 2.5, False), ("act-1", 1.0, True)]
    assert found("zuid") == [("act-4", 2.5, False), ("act-2", 1.0, True)]
    org = store.get_node("org-c")
    org.props = {**org.props, "name": "Wijkcentrum West"}
    store.put_node(org)  # a new name: found by that, no longer by the old one
    assert found("zuid") == [("act-4", 2.5, False)]
    assert found("west") == [("act-2", 1.0, True)]
    ended = next(e for e in store.edges("act-1", types=["OFFERED_BY"]) if e.dst == "org-b")
    store.update_edge(replace(ended, until="2000-01-02"))
    assert found("noord") == []
    assert found("koffie") == [("act-4", 2.5, False), ("act-1", 1.0, True)]


def test_area_follows_placements_and_their_end_dates(filled: GraphStore,
                                                     sort_limit: int) -> None:
    from directory.relevance import rank_in_memory

    filled.put_nodes([
        Node("WK026801", AREA, {"code": "WK026801", "name": "Stadscentrum", "level": "wijk"}),
        _activity("act-5", "Koffie tot later", gemeente="GM0268"),
        _activity("act-6", "Koffie van vroeger", gemeente="GM0268")])
    filled.add_edges([
        Edge("WITHIN", "WK026801", "GM0268"),
        Edge("IN_AREA", "act-5", "WK026801", until="2999-01-01"),  # placed there until later
        Edge("IN_AREA", "act-6", "WK026801", until="2000-01-01")])  # ended: by gemeente again
    nijmegen = frozenset({"GM0268", "WK026807", "WK026801"})

    def check(codes: frozenset[str], expected: list[str]) -> None:
        where = replace(BASE, area_codes=codes)
        for page in PAGES:
            rows, total = filled.match_activities(where, page=page)
            assert total == len(expected)
            end = None if page[1] < 0 else page[0] + page[1]
            assert [r.id for r in rows] == expected[page[0]:end]
            where_text = replace(where, terms=[("koffie",)])
            mine, total = filled.rank_activities(where_text, page)
            reference, expected_total = rank_in_memory(filled, where_text, page)
            assert total == expected_total
            assert [(r.id, s) for r, s in mine] == [(r.id, s) for r, s in reference]

    # titles: Inloop…(1), Koffie tot…(5), Koffie van…(6), Schuld…(2), Wandel…(4)
    check(nijmegen, ["act-1", "act-5", "act-6", "act-2", "act-4"])
    check(frozenset({"WK026801"}), ["act-5"])
    check(frozenset({"WK026807"}), ["act-1"])
    placed = next(e for e in filled.edges("act-1", types=["IN_AREA"]))
    filled.update_edge(replace(placed, until="2000-01-01"))  # act-1: by its gemeente now
    check(frozenset({"WK026807"}), [])
    check(nijmegen, ["act-1", "act-5", "act-6", "act-2", "act-4"])


def _typo_ids(store: GraphStore, where: ActivityFilter, *pieces: tuple[str, ...],
              limit: int = 100) -> list[str]:
    return sorted(row.id for row in store.typo_candidates(where, list(pieces), limit))


def test_typo_candidates_hold_a_piece_of_every_entry_and_pass_the_filters(
        filled: GraphStore) -> None:
    koffie, schuld = ("kof", "xyz"), ("chu", "qqq")
    assert _typo_ids(filled, BASE, koffie) == ["act-1"]
    assert _typo_ids(filled, BASE, ("cof", "gro")) == ["act-4"]  # "wandelgroep"
    assert _typo_ids(filled, BASE, koffie, schuld) == []  # every entry, not any
    assert _typo_ids(filled, BASE, ("kof", "chu")) == ["act-1", "act-2"]
    assert _typo_ids(filled, BASE, ("caf",)) == []  # act-3 has stopped
    assert _typo_ids(filled, replace(BASE, include_stopped=True), ("caf",)) == ["act-3"]
    assert _typo_ids(filled, replace(BASE, free=True), ("kof", "chu")) == ["act-1"]
    assert _typo_ids(filled, replace(BASE, ids=frozenset({"act-2"})), ("kof", "chu")) == [
        "act-2"]
    in_wijk = replace(BASE, area_codes=frozenset({"WK026807"}))
    assert _typo_ids(filled, in_wijk, ("kof", "chu", "gro")) == ["act-1"]
    in_gemeente = replace(BASE, area_codes=frozenset({"GM0268"}))  # known by gemeente only
    assert _typo_ids(filled, in_gemeente, ("kof", "chu", "gro")) == ["act-2", "act-4"]
    assert _typo_ids(filled, replace(BASE, box=(51.81, 51.83, 5.7, 5.8)),
                     ("kof", "chu")) == ["act-1"]
    row = filled.typo_candidates(BASE, [("kof",)], 10)[0]
    assert (row.title, row.lat, row.lon, row.via_organisation) == (
        "Inloop met koffieochtend", 51.82, 5.79, False)
    assert "koffieochtend" in row.text


def test_typo_candidates_are_each_entrys_best(many: GraphStore) -> None:
    pieces = [("kof", "ffi", "fie"), ("buu", "uur")]
    for where in (BASE, replace(BASE, domains=("welzijn",)), replace(BASE, days=("ma",))):
        passing, _ = many.match_activities(where)  # without a limit: every holder counts
        expected = sorted(r.id for r in passing
                          if all(any(p in r.text for p in entry) for entry in pieces))
        assert _typo_ids(many, where, *pieces, limit=10**6) == expected and expected
    # the 5 holding most pieces, then the filters (a stopped one may drop out)
    few = _typo_ids(many, BASE, pieces[0], limit=5)
    assert 3 <= len(few) <= 5
    assert set(few) <= set(_typo_ids(many, BASE, pieces[0], limit=10**6))
