"""GraphML and GEXF exports, read back with networkx: the same nodes and current relations,
properties as text where the formats have no lists, personal data only when asked, scopes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pytest

from directory.cli import main
from directory.listing import list_nodes
from directory.model import ACTIVITY, AREA, ORGANISATION, PERSON, TEAM
from directory.service import Directory
from importers.registry import ExportScope, export_to

FORMATS = ("graphml", "gexf")
if TYPE_CHECKING:
    Graph = nx.MultiDiGraph[str]


def exported(d: Directory, fmt: str, **scope: Any) -> Graph:
    """The export, read back as networkx reads a file from Gephi or another tool."""
    out = io.BytesIO()
    export_to(d, fmt, out, ExportScope(**scope))
    data = io.BytesIO(out.getvalue())
    read = nx.read_graphml(data, force_multigraph=True) if fmt == "graphml" \
        else nx.read_gexf(data)
    return nx.MultiDiGraph(read)


def of_kind(graph: Graph, kind: str) -> set[str]:
    return {n for n, data in graph.nodes(data=True) if data["kind"] == kind}


def relations(graph: Graph) -> set[tuple[str, str, str]]:
    return {(a, b, data["relation"]) for a, b, data in graph.edges(data=True)}


def ids(d: Directory, collection: str, **scope: Any) -> set[str]:
    return {item["id"] for item in list_nodes(d, collection, **scope)["items"]}


@pytest.mark.parametrize("fmt", FORMATS)
def test_whole_network(demo: Directory, fmt: str) -> None:
    graph = exported(demo, fmt)
    store = demo.store
    for kind in (ORGANISATION, PERSON, ACTIVITY, TEAM):
        assert of_kind(graph, kind) == {n.id for n in store.find_nodes(kind)}
    current = {(e.src, e.dst, e.type) for e in store.edges(current=True)
               if e.src in graph and e.dst in graph}
    assert relations(graph) == current
    assert graph.number_of_edges() == len(current)
    ended = {(e.src, e.dst, e.type) for e in store.edges(current=False)} - {
        (e.src, e.dst, e.type) for e in store.edges(current=True)}
    assert ended and not ended & relations(graph)  # history stays out
    areas = of_kind(graph, AREA)
    linked = {b for a, b, t in relations(graph) if t in ("IN_AREA", "ACTIVE_IN", "SERVES")}
    assert linked <= areas and areas - linked  # the gemeenten those wijken lie in
    assert len(areas) < store.count_nodes(AREA) / 10  # not every area of the country


@pytest.mark.parametrize("fmt", FORMATS)
def test_node_and_edge_attributes(demo: Directory, fmt: str) -> None:
    graph = exported(demo, fmt)
    act = demo.store.get_node("act-0014")
    data = graph.nodes["act-0014"]
    assert (data["kind"], data["name"], data["label"]) == ("Activity", act.name, act.name)
    assert data["target_groups"] == "18plus, ouderen" and data["life_domains"] == "zorg"
    assert data["referral_needed"] is True and data["lat"] == act.props["lat"]
    assert data["schedule"] == "FREQ=WEEKLY;BYDAY=MO,TH"
    team = graph.nodes["team-dukenburg"]
    assert team["phase"] == 3 and team["kind"] == "Team"
    agreement = graph.nodes["agr-008"]
    assert (agreement["kind"], agreement["agreement_kind"]) == ("Agreement", "privacy_convenant")
    [member] = [d for a, b, d in graph.edges(data=True) if d["relation"] == "MEMBER_OF"][:1]
    assert member["since"] and "role" in member
    works = [d for a, b, d in graph.edges(data=True) if d["relation"] == "WORKS_AT"]
    assert works and all(d.get("job_title") for d in works)


@pytest.mark.parametrize("fmt", FORMATS)
def test_personal_data_only_when_asked(demo: Directory, fmt: str) -> None:
    person = demo.store.get_node("per-0053")
    without = exported(demo, fmt)
    assert "phone" not in without.nodes[person.id] and "email" not in without.nodes[person.id]
    assert not any("note" in d for _, _, d in without.edges(data=True))
    org = demo.store.find_nodes(ORGANISATION)[0]
    assert without.nodes[org.id]["phone"] == org.props["phone"]  # no personal data
    with_contacts = exported(demo, fmt, include_contacts=True)
    assert with_contacts.nodes[person.id]["phone"] == person.props["phone"]
    assert with_contacts.nodes[person.id]["email"] == person.props["email"]
    assert any("note" in d for _, _, d in with_contacts.edges(data=True))


@pytest.mark.parametrize("fmt", FORMATS)
def test_area_scope_is_the_areas_subgraph(demo: Directory, fmt: str) -> None:
    graph = exported(demo, fmt, area="Dukenburg")
    _, codes = demo.area_closure("Dukenburg")
    assert of_kind(graph, ACTIVITY) == demo.activities_in(codes)
    assert of_kind(graph, ORGANISATION) == ids(demo, "organisations", area="Dukenburg")
    assert of_kind(graph, TEAM) == ids(demo, "teams", area="Dukenburg") == {"team-dukenburg"}
    assert "org-gemeente-tiel" in demo.store.get_nodes(["org-gemeente-tiel"])
    assert "org-gemeente-tiel" not in graph
    assert {b for a, b, t in relations(graph) if t == "IN_AREA"} <= codes
    whole = exported(demo, fmt)
    assert relations(graph) <= relations(whole)


@pytest.mark.parametrize("fmt", FORMATS)
def test_organisation_and_team_scopes(demo: Directory, fmt: str) -> None:
    iris = demo.resolve("IrisZorg", ORGANISATION)
    graph = exported(demo, fmt, organisation="IrisZorg")
    offered = {e.src for e in demo.store.edges(iris.id, types=["OFFERED_BY"], direction="in")}
    assert of_kind(graph, ACTIVITY) == offered and offered
    assert of_kind(graph, ORGANISATION) == {iris.id}
    team = exported(demo, fmt, team="WijkGGZ Nijmegen-Dukenburg")
    assert of_kind(team, PERSON) == ids(demo, "people", team="WijkGGZ Nijmegen-Dukenburg")
    assert of_kind(team, TEAM) == {"team-dukenburg"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_export(demo_db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes],
                    fmt: str) -> None:
    target = tmp_path / f"netwerk.{fmt}"
    assert main(["--store", str(demo_db), "export", "--format", fmt, "-o", str(target),
                 "--area", "Dukenburg"]) == 0
    assert b"item(s) geschreven naar" in capsysbinary.readouterr().err
    assert main(["--store", str(demo_db), "export", "--format", fmt, "-o", "-",
                 "--area", "Dukenburg"]) == 0
    assert capsysbinary.readouterr().out == target.read_bytes()
    read = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
    assert "WK026807" in read and read.number_of_nodes() > 20
