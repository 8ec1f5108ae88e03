"""The benchmark generator at a tiny scale: valid, referentially whole, deterministic."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.generate import NationalDirectory, batched, sizes
from directory import areas
from directory.model import AREA, EDGE_TYPES
from directory.records import clean_props

SCALE = 0.001


@pytest.fixture(scope="module")
def generated() -> tuple[NationalDirectory, list, list]:
    national = NationalDirectory(SCALE)
    return national, list(national.nodes()), list(national.edges())


def test_sizes_follow_the_scale(generated: tuple[NationalDirectory, list, list]) -> None:
    national, nodes, edges = generated
    kinds = Counter(node.kind for node in nodes)
    s = sizes(SCALE)
    assert kinds["Organisation"] == s.organisations == 60
    assert kinds["Person"] == s.people == 200
    assert kinds["Activity"] == s.activities == 150
    assert kinds["Team"] == s.teams
    assert AREA not in kinds  # the store's Directory.init provides the real areas
    assert 1.5 * len(nodes) < len(edges) < 4 * len(nodes)


def test_edges_reference_existing_nodes_or_real_areas(
        generated: tuple[NationalDirectory, list, list]) -> None:
    _, nodes, edges = generated
    kind_of = {node.id: node.kind for node in nodes}
    assert len(kind_of) == len(nodes)  # ids are unique
    kind_of.update({a.code: AREA for a in areas.national_areas()})
    assert {e.type for e in edges} == {"OFFERED_BY", "IN_AREA", "CONTACT", "WORKS_AT",
                                       "ACTIVE_IN", "MEMBER_OF", "LIAISON_FOR", "KNOWS",
                                       "SERVES"}
    for edge in edges:
        assert edge.type in EDGE_TYPES
        src_kind, dst_kind = EDGE_TYPES[edge.type]
        assert kind_of.get(edge.src) == src_kind, edge
        assert kind_of.get(edge.dst) == dst_kind, edge
        assert edge.since
        assert edge.until is None or edge.until > edge.since


def test_props_are_what_validation_would_store(
        generated: tuple[NationalDirectory, list, list]) -> None:
    _, nodes, _ = generated
    for node in nodes[::7]:
        cleaned = clean_props(node.kind, node.props)
        assert cleaned == node.props, node.id


def test_generator_is_deterministic() -> None:
    first, second = NationalDirectory(SCALE), NationalDirectory(SCALE)
    assert [n.as_dict() for n in first.nodes()] == [n.as_dict() for n in second.nodes()]
    assert [e.as_dict() for e in first.edges()] == [e.as_dict() for e in second.edges()]
    assert ([r.props for r in first.import_records(20)]
            == [r.props for r in second.import_records(20)])
    other = NationalDirectory(SCALE, seed=7)
    assert [n.props for n in other.activities()] != [n.props for n in first.activities()]


def test_import_records_are_valid_rows(generated: tuple[NationalDirectory, list, list]) -> None:
    national, _, _ = generated
    for record in national.import_records(30):
        clean_props(record.kind, record.props, record.line)
        assert record.organisation
        assert areas.area(record.areas[0][0]) is not None


def test_batched() -> None:
    assert list(batched(range(5), 2)) == [[0, 1], [2, 3], [4]]
