"""Property-based round trips (hypothesis) for the formats whose own tests do not have one:
the JSON dump, GraphML and GEXF, postcode tables and GeoJSON boundaries.

Each test writes what it generated in the format, parses it, writes the result again and
parses that: nothing may be lost or changed on the way."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory import areas
from directory.importing import Record
from directory.model import ACTIVITY, ORGANISATION, PERSON
from directory.service import Directory
from graph.sqlite_store import SqliteStore
from importers.geojson import parse_geojson
from importers.json_dump import format_dump, parse_dump
from importers.pc4 import parse_pc4
from importers.registry import ExportScope, export_to

_TEXT = st.text(st.one_of(st.sampled_from(list("<>&\"';,=+-@ éëçüßØ€\n")),
                          st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn"))),
                min_size=1, max_size=25).filter(lambda t: bool(t.strip()))
_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the JSON dump ----------

def _dump_records(names: list[str], texts: list[str]) -> list[dict[str, Any]]:
    """A small, consistent dump: organisations, a person working at the first, audit."""
    nodes = [{"id": f"org-{i}", "kind": ORGANISATION, "props": {"name": name, "tags": texts},
              "version": 1 + i, "created_at": "2026-01-01T00:00:00+00:00",
              "updated_at": "2026-01-02T00:00:00+00:00", "source": None, "source_id": None}
             for i, name in enumerate(names)]
    nodes.append({"id": "per-1", "kind": PERSON, "props": {"name": texts[0]}, "version": 1,
                  "created_at": "2026-01-01T00:00:00+00:00",
                  "updated_at": "2026-01-01T00:00:00+00:00", "source": "vcard:x",
                  "source_id": texts[-1]})
    edges = [{"id": 1, "type": "WORKS_AT", "src": "per-1", "dst": "org-0",
              "props": {"job_title": texts[-1]}, "since": "2026-01-01", "until": None}]
    audit = [{"id": 1, "at": "2026-01-01T00:00:00+00:00", "actor": names[0], "action": "create",
              "target": "per-1", "before": None, "after": json.dumps({"name": texts[0]})}]
    return ([{"node": n} for n in nodes] + [{"edge": e} for e in edges]
            + [{"audit": a} for a in audit])


@_SETTINGS
@given(names=st.lists(_TEXT, min_size=1, max_size=4), texts=st.lists(_TEXT, min_size=1,
                                                                     max_size=3))
def test_json_dump_round_trip(names: list[str], texts: list[str]) -> None:
    records = _dump_records(names, texts)
    parsed = parse_dump(format_dump(records))
    assert parsed == records
    assert parse_dump(format_dump(parsed)) == records


# --- GraphML and GEXF ----------

def _read_back(data: bytes, fmt: str) -> nx.MultiDiGraph[str]:
    stream = io.BytesIO(data)
    read = nx.read_graphml(stream, force_multigraph=True) if fmt == "graphml" \
        else nx.read_gexf(stream)
    return nx.MultiDiGraph(read)


@_SETTINGS
@given(org=_TEXT, title=_TEXT, description=_TEXT, fmt=st.sampled_from(["graphml", "gexf"]))
def test_graph_exports_round_trip(org: str, title: str, description: str, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(str(Path(folder) / "s.db"))
        try:
            store.init()
            d = Directory(store, actor="test")
            o = d.create(ORGANISATION, {"name": "Org " + org, "description": description})
            a = d.create(ACTIVITY, {"title": title, "description": description,
                                    "life_domains": ["welzijn", "zorg"]})
            d.relate("OFFERED_BY", a.id, o.id)
            out = io.BytesIO()
            export_to(d, fmt, out, ExportScope())
        finally:
            store.close()
    graph = _read_back(out.getvalue(), fmt)
    assert graph.nodes[o.id]["name"] == o.name
    assert graph.nodes[o.id]["description"] == o.props["description"]
    assert graph.nodes[a.id]["name"] == a.name
    assert graph.nodes[a.id]["life_domains"] == "welzijn, zorg"
    assert [(s, t, data["relation"]) for s, t, data in graph.edges(data=True)] == [
        (a.id, o.id, "OFFERED_BY")]
    # written again by networkx and read once more: the same graph
    again = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, again)
    else:
        nx.write_gexf(graph, again)
    second = _read_back(again.getvalue(), fmt)
    assert dict(second.nodes(data=True)) == dict(graph.nodes(data=True))


# --- postcode tables ----------

_POSTCODES = sorted(areas._postcodes().items())


def _pc4_table(rows: list[tuple[str, str]]) -> str:
    return "postcode;gemeente\n" + "".join(f"{pc};{gm}\n" for pc, gm in rows)


def _table_of(records: list[Record]) -> list[tuple[str, str]]:
    return sorted((pc, r.props["code"]) for r in records for pc in r.props["postcodes"])


@_SETTINGS
@given(st.lists(st.sampled_from(_POSTCODES), min_size=1, max_size=30, unique_by=lambda x: x[0]))
def test_pc4_table_round_trip(chosen: list[tuple[str, Any]]) -> None:
    rows = sorted((pc, info.gemeente) for pc, info in chosen)
    records, _ = parse_pc4(_pc4_table(rows))
    assert all(r.problem is None for r in records)
    assert _table_of(records) == rows
    again, _ = parse_pc4(_pc4_table(_table_of(records)))
    assert [r.props for r in again] == [r.props for r in records]


# --- GeoJSON boundaries ----------

_GEMEENTEN = sorted((a.code, a.name) for a in areas.national_areas() if a.level == "gemeente")
_BOX = st.tuples(st.floats(3.4, 7.0), st.floats(50.8, 53.4), st.floats(0.001, 0.2),
                 st.floats(0.001, 0.2))


def _collection(features: list[tuple[str, str, Any]]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"statcode": code, "statnaam": name},
         "geometry": geometry} for code, name, geometry in features]})


def _square(box: tuple[float, float, float, float]) -> dict[str, Any]:
    lon, lat, width, height = box
    ring = [[lon, lat], [lon + width, lat], [lon + width, lat + height], [lon, lat + height],
            [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@_SETTINGS
@given(st.lists(st.tuples(st.sampled_from(_GEMEENTEN), _BOX), min_size=1, max_size=5,
                unique_by=lambda x: x[0][0]))
def test_geojson_round_trip(features: list[tuple[tuple[str, str], Any]]) -> None:
    records = parse_geojson(_collection([(c, n, _square(b)) for (c, n), b in features]))
    assert all(r.problem is None for r in records)
    from directory.records import clean_props

    cleaned = [clean_props(r.kind, r.props) for r in records]
    again = parse_geojson(_collection([(p["code"], p["name"], json.loads(p["geometry"]))
                                       for p in cleaned]))
    assert [clean_props(r.kind, r.props) for r in again] == cleaned
    assert sorted(p["code"] for p in cleaned) == sorted(c for (c, _), _ in features)
