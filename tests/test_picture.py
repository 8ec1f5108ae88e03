"""The network picture: which teams, people and partners it shows per filter, that its risk
colouring agrees with coverage, how a too large network is folded and cut (with a Dutch
note), and that ``wijkkaart picture`` writes one HTML file that needs nothing from outside."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from directory.cli import main
from directory.coverage import coverage
from directory.errors import NotFound
from directory.model import ORGANISATION, TEAM
from directory.service import Directory
from graph import picture as picture_module
from graph.picture import GROUPS, LIMIT, RELATIONS, Picture, build_picture, kinds_of, shrink
from graph.picture_html import picture_html, vis_data

XSS = "</script><script>alert(1)</script>"


def groups(picture: Picture) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for node in picture.nodes:
        found.setdefault(node["group"], set()).add(node["id"])
    return found


def current_sources(d: Directory, type_: str, target: str) -> set[str]:
    return {e.src for e in d.current(target, [type_], direction="in")}


def assert_well_formed(picture: Picture) -> None:
    ids = [n["id"] for n in picture.nodes]
    assert len(ids) == len(set(ids))
    assert all(e["src"] in ids and e["dst"] in ids for e in picture.edges)
    assert {e["type"] for e in picture.edges} <= set(RELATIONS)
    assert {n["group"] for n in picture.nodes} <= set(GROUPS)


def test_whole_demo_region(demo: Directory) -> None:
    picture = build_picture(demo)
    assert_well_formed(picture)
    found = groups(picture)
    assert found["team"] == {t.id for t in demo.store.find_nodes(TEAM)}
    for team in found["team"]:
        assert current_sources(demo, "MEMBER_OF", team) <= found["teamlid"]
    partners = {o.id for o in demo.store.find_nodes(ORGANISATION)
                if o.props.get("role", "ketenpartner") == "ketenpartner"}
    assert found["partner"] | found["partner_een"] | found["partner_geen"] == partners
    assert {"MEMBER_OF", "LIAISON_FOR", "WORKS_AT", "KNOWS", "SERVES"} <= {
        e["type"] for e in picture.edges}
    assert picture.notes == [] and picture.total == len(picture.nodes)


def test_risk_groups_agree_with_coverage(demo: Directory) -> None:
    picture = build_picture(demo, area="GM0268")
    found = groups(picture)
    risks = coverage(demo, "GM0268")["risks"]
    one = {r["organisation"]["id"] for r in risks if r["kind"] == "een_relatiebeheerder"}
    none = {r["organisation"]["id"] for r in risks if r["kind"] == "geen_relatiebeheerder"}
    assert found["partner_een"] == one and one
    assert found["partner_geen"] == none and none


def test_area_filter(demo: Directory) -> None:
    picture = build_picture(demo, area="GM0268")
    assert_well_formed(picture)
    found = groups(picture)
    assert found["team"] == {"team-dukenburg", "team-nijmegen-oost"}
    assert picture.title == "Netwerk Nijmegen"
    members = current_sources(demo, "MEMBER_OF", "team-tiel")
    assert not members & found["teamlid"]
    # a wijk shows the teams serving it or its gemeente, not the rest of Nijmegen's
    wijk = groups(build_picture(demo, area="WK026807"))
    assert wijk["team"] == {"team-dukenburg"}
    assert wijk["partner_een"] < found["partner_een"]


def test_team_filter(demo: Directory) -> None:
    picture = build_picture(demo, team="WijkGGZ Tiel")
    assert_well_formed(picture)
    found = groups(picture)
    assert found["team"] == {"team-tiel"}
    assert found["teamlid"] >= current_sources(demo, "MEMBER_OF", "team-tiel")
    served = {e.dst for e in demo.current("team-tiel", ["SERVES"])}
    assert found["gebied"] == served
    held = {e.dst for m in current_sources(demo, "MEMBER_OF", "team-tiel")
            for e in demo.current(m, ["LIAISON_FOR"])
            if demo.get(e.dst).props.get("role") == "ketenpartner"}
    assert held
    partners = found["partner"] | found["partner_een"] | found.get("partner_geen", set())
    assert held <= partners
    both = build_picture(demo, area="GM0281", team="team-tiel")
    assert both.title == "Netwerk Tiel · WijkGGZ Tiel"
    assert groups(both)["team"] == {"team-tiel"}


def test_unknown_filters_are_refused(demo: Directory) -> None:
    with pytest.raises(NotFound):
        build_picture(demo, area="Nergenshuizen")
    with pytest.raises(NotFound):
        build_picture(demo, team="Geen Team")


def large_picture(partners: int, contacts_each: int) -> Picture:
    """A synthetic network: one team of 20 members, each partner with contacts whom a
    member knows, and a liaison for every other partner."""
    nodes = [{"id": "t", "name": "Team", "group": "team", "title": "team"}]
    edges = []
    for m in range(20):
        nodes.append({"id": f"m{m}", "name": f"Lid {m}", "group": "teamlid", "title": ""})
        edges.append({"src": f"m{m}", "dst": "t", "type": "MEMBER_OF"})
    for p in range(partners):
        group = "partner_een" if p % 2 else "partner_geen"
        nodes.append({"id": f"p{p}", "name": f"Partner {p}", "group": group, "title": ""})
        if p % 2:
            edges.append({"src": f"m{p % 20}", "dst": f"p{p}", "type": "LIAISON_FOR"})
        for c in range(contacts_each):
            cid = f"c{p}-{c}"
            nodes.append({"id": cid, "name": cid, "group": "contactpersoon", "title": ""})
            edges.append({"src": cid, "dst": f"p{p}", "type": "WORKS_AT"})
            edges.append({"src": f"m{c % 20}", "dst": cid, "type": "KNOWS"})
    return Picture("Groot", nodes, edges, total=len(nodes))


def test_a_large_network_folds_contact_persons_with_a_note() -> None:
    big = large_picture(partners=400, contacts_each=4)  # 2,021 nodes
    small = shrink(big, LIMIT)
    assert_well_formed(small)
    assert len(small.nodes) == 421 and small.total == 2021
    assert "contactpersoon" not in kinds_of(small.nodes)
    assert "2.021 knopen" in small.notes[0] and "samengevoegd" in small.notes[0]
    partner = next(n for n in small.nodes if n["id"] == "p3")
    assert partner["name"] == "Partner 3 (+4 contactpersonen)"
    knows = {(e["src"], e["dst"]) for e in small.edges if e["type"] == "KNOWS"}
    assert ("m0", "p3") in knows and ("m3", "p3") in knows
    assert shrink(large_picture(10, 2), LIMIT).notes == []


def test_a_network_too_large_even_folded_is_cut_with_a_note() -> None:
    small = shrink(large_picture(partners=3000, contacts_each=1), LIMIT)
    assert_well_formed(small)
    assert len(small.nodes) == LIMIT
    counts = kinds_of(small.nodes)
    assert counts["team"] == 1 and counts["teamlid"] == 20
    assert counts["partner_geen"] == LIMIT - 21 and "partner_een" not in counts  # riskiest
    assert any("Alleen de eerste 1.500 knopen" in note for note in small.notes)


def test_build_picture_applies_the_limit(demo: Directory) -> None:
    picture = build_picture(demo, limit=30)
    assert_well_formed(picture)
    assert len(picture.nodes) == 30 and picture.total > 30
    assert len(picture.notes) == 2


def test_vis_data_carries_shapes_legend_and_options(demo: Directory) -> None:
    picture = build_picture(demo, team="team-tiel")
    data = vis_data(picture)
    assert len(data["nodes"]) == len(picture.nodes)
    assert {(e["from"], e["to"]) for e in data["edges"]} == {
        (e["src"], e["dst"]) for e in picture.edges}
    team = next(n for n in data["nodes"] if n["id"] == "team-tiel")
    assert team["shape"] == "box" and team["label"] == "WijkGGZ Tiel"
    assert sum(item["count"] for item in data["legend"]) == len(picture.nodes)
    assert set(data["options"]["groups"]) == set(GROUPS)


def outside_references(html: str) -> list[str]:
    """Tags that load something by address (everything should be inline)."""
    return re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=[^>]*>", html)


def test_picture_command_writes_one_offline_file(demo_db: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "netwerk.html"
    assert main(["--store", str(demo_db), "picture", "--area", "GM0268",
                 "-o", str(target)]) == 0
    html = target.read_text(encoding="utf-8")
    assert "@version 9.1.2" in html and "vis-network" in html  # the library, inline
    assert "new vis.Network(" in html
    assert outside_references(html) == []
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?https?:", html)
    assert "WijkGGZ Nijmegen-Dukenburg" in html and "WijkGGZ Tiel" not in html
    assert "Netwerkplaat met" in capsys.readouterr().err


def test_picture_command_refuses_an_unknown_area(demo_db: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x.html"
    assert main(["--store", str(demo_db), "picture", "--area", "Nergenshuizen",
                 "-o", str(target)]) == 1
    assert "Nergenshuizen" in capsys.readouterr().err
    assert not target.exists()


def test_names_cannot_break_out_of_the_offline_file(demo: Directory) -> None:
    org = demo.create(ORGANISATION, {"name": "Org " + XSS, "partner_type": "welzijn"})
    demo.relate("ACTIVE_IN", org.id, "GM0268")
    html = picture_html(build_picture(demo, area="GM0268"))
    assert XSS not in html and "<script>alert(1)" not in html
    assert "Org \\u003c/script\\u003e" in html


@pytest.mark.parametrize(("area", "team"), [("GM0268", None), (None, "team-tiel"),
                                            ("WK026807", "team-dukenburg")])
def test_a_filtered_picture_read_around_its_scope_equals_one_from_the_projection(
        demo: Directory, area: str | None, team: str | None) -> None:
    pictures = []
    for whole in (True, False):
        edges = picture_module._Edges(demo, whole=whole)
        partners = picture_module._ketenpartners(demo)
        scope = picture_module._scope(demo, edges, partners, area, team)
        pictures.append(picture_module._picture(edges, partners, scope))
    assert pictures[0].nodes == pictures[1].nodes and pictures[0].nodes
    assert pictures[0].edges == pictures[1].edges
