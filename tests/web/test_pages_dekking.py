"""Dekking and Netwerk: the matrix shows coverage()'s numbers, the risks are paged and
filtered, the network picture's page, data and offline file are for logged-in users only,
and nothing runs inline (CSP) or unescaped."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from starlette.testclient import TestClient
from web_helpers import ClientFor

from directory.coverage import coverage
from directory.model import ORGANISATION
from directory.service import Directory
from directory.vocabularies import LIFE_DOMAINS, PARTNER_TYPES
from graph.picture import build_picture
from web.pages import dekking

XSS = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"


@pytest.fixture
def lezer(client_for: ClientFor) -> TestClient:
    return client_for("lezer")


def tables(page: str) -> list[tuple[list[str], dict[str, list[int]]]]:
    """Each matrix: its column headers after Wijk/Inwoners, and row code → the numbers."""
    found = []
    for table in re.findall(r'<table class="dekking-matrix">(.*?)</table>', page, re.S):
        headers = [html_lib.unescape(h) for h in
                   re.findall(r'<th scope="col" class="num">([^<]*)</th>', table)][1:]
        rows = {}
        for code, cells in re.findall(
                r'<tr><th scope="row"><a href="/wijk/(\w+)">.*?</th>(.*?)</tr>', table, re.S):
            rows[code] = [int(n) for n in re.findall(r'<td class="num dekking-\d">(\d+)</td>',
                                                     cells)]
        found.append((headers, rows))
    return found


def no_inline_code(page: str) -> None:
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page
    assert re.findall(r"\sstyle\s*=", page) == []
    assert re.findall(r"\son[a-z]+\s*=", page) == []


def test_pages_need_a_login(client: TestClient) -> None:
    for path in ("/dekking?gebied=GM0268", "/netwerk?gebied=GM0268", "/netwerk/data",
                 "/netwerk/bestand?team=team-tiel"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/inloggen?volgende=")


def test_matrix_numbers_are_those_of_coverage(lezer: TestClient,
                                              sqlite_demo: Directory) -> None:
    page = lezer.get("/dekking?gebied=GM0268").text
    expected = {row["code"]: row for row in coverage(sqlite_demo, "GM0268")["areas"]}
    (domain_heads, domains), (type_heads, types) = tables(page)
    domain_keys = [t.key for t in LIFE_DOMAINS]
    assert domain_heads == [LIFE_DOMAINS.label(k) for k in domain_keys]
    type_keys = {PARTNER_TYPES.label(t.key): t.key for t in PARTNER_TYPES}
    assert set(domains) == set(expected) == set(types) and len(expected) == 9
    for code, row in expected.items():
        assert domains[code] == [row["activities_by_domain"].get(k, 0) for k in domain_keys]
        assert types[code] == [row["partners_by_type"].get(type_keys[h], 0)
                               for h in type_heads]
    shown = {type_keys[h] for h in type_heads}
    assert shown == {k for row in expected.values() for k, n in row["partners_by_type"].items()
                     if n}
    assert "12.705" in page  # population, with Dutch thousands


def test_cells_are_classed_by_count_and_the_legend_names_each_class(lezer: TestClient) -> None:
    page = lezer.get("/dekking?gebied=GM0268").text
    for count, css in ((0, "dekking-0"), (1, "dekking-1"), (3, "dekking-2"), (9, "dekking-3")):
        assert dekking.cell_class(count) == css
    for css in ("dekking-0", "dekking-1", "dekking-2", "dekking-3"):
        assert f'dekking-swatch {css}' in page
    assert re.search(r'<td class="num dekking-3">9</td>', page)


def risk_total(page: str) -> int:
    found = re.search(r"Risico \d+ tot en met \d+ van (\d+)\.", page)
    return int(found.group(1)) if found else 0


def test_risks_are_paged_and_filtered(lezer: TestClient, sqlite_demo: Directory,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    risks = coverage(sqlite_demo, "GM0268")["risks"]
    page = lezer.get("/dekking?gebied=GM0268").text
    assert risk_total(page) == len(risks) == 30
    monkeypatch.setattr(dekking, "PAGE_SIZE", 8)
    second = lezer.get("/dekking?gebied=GM0268&pagina=2").text
    assert "Risico 9 tot en met 16 van 30." in second
    assert "pagina 2 van 4" in second
    assert 'href="/dekking?gebied=GM0268&amp;pagina=3#risicos" rel="next"' in second
    items = re.findall(r'<li class="risk risk-(\w+)">', second)
    assert items == [r["kind"] for r in risks[8:16]]
    only = lezer.get("/dekking?gebied=GM0268&soort=vertrekrisico").text
    kinds = set(re.findall(r'<li class="risk risk-(\w+)">', only))
    assert kinds == {"vertrekrisico"}
    assert risk_total(only) == sum(r["kind"] == "vertrekrisico" for r in risks)


def test_team_filter_narrows_rows_and_person_risks(lezer: TestClient,
                                                   sqlite_demo: Directory) -> None:
    page = lezer.get("/dekking?team=team-tiel").text
    assert "<h1>Dekking: WijkGGZ Tiel</h1>" in page
    (_, rows), _ = tables(page)
    assert rows and all(code.startswith("WK0281") for code in rows)
    members = {e.src for e in sqlite_demo.current("team-tiel", ["MEMBER_OF"], "in")}
    people = set(re.findall(r'<a href="/personen/([^"]+)"', page))
    assert people and people <= members


def test_without_a_choice_only_the_chooser(lezer: TestClient) -> None:
    page = lezer.get("/dekking").text
    assert 'class="dekking-matrix"' not in page
    assert 'href="/dekking?team=team-tiel"' in page
    assert '<option value="GM0268">Nijmegen (gemeente)</option>' in page


def test_unknown_area_is_told_next_to_the_field(lezer: TestClient) -> None:
    response = lezer.get("/dekking?gebied=Nergenshuizen")
    assert response.status_code == 200
    assert 'aria-invalid="true" aria-describedby="fout-gebied"' in response.text
    assert "geen gebied gevonden met code, id of naam &#39;Nergenshuizen&#39;" in response.text
    other = lezer.get("/dekking?gebied=GM0268&team=geen-team").text
    assert 'aria-describedby="fout-team"' in other


def test_network_page_data_and_file(lezer: TestClient, sqlite_demo: Directory) -> None:
    page = lezer.get("/netwerk?gebied=WK026807")
    assert page.status_code == 200
    assert '<script src="/static/vendor/vis-network/vis-network.min.js"></script>' in page.text
    assert 'data-bron="/netwerk/data?gebied=WK026807"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    picture = build_picture(sqlite_demo, area="WK026807")
    data = lezer.get("/netwerk/data?gebied=WK026807").json()
    assert {n["id"] for n in data["nodes"]} == {n["id"] for n in picture.nodes}
    assert len(data["edges"]) == len(picture.edges) and data["title"] == "Netwerk Dukenburg"
    for node in picture.nodes:  # the text version lists every partner and team
        if node["group"].startswith("partner") or node["group"] == "team":
            assert html_lib.escape(node["name"]) in page.text
    assert "geen relatiebeheerder" in page.text
    download = lezer.get("/netwerk/bestand?gebied=WK026807")
    assert download.headers["content-disposition"] == (
        'attachment; filename="netwerk-dukenburg.html"')
    assert "@version 9.1.2" in download.text
    assert lezer.get("/static/vendor/vis-network/vis-network.min.js").status_code == 200
    assert lezer.get("/static/netwerk.js").status_code == 200


def test_pages_have_no_inline_code(lezer: TestClient) -> None:
    for path in ("/dekking", "/dekking?gebied=GM0268", "/dekking?team=team-tiel",
                 "/netwerk", "/netwerk?team=team-tiel"):
        response = lezer.get(path)
        assert response.status_code == 200, path
        no_inline_code(response.text)


def test_names_are_escaped(lezer: TestClient, sqlite_demo: Directory) -> None:
    org = sqlite_demo.create(ORGANISATION, {"name": "Org " + XSS, "partner_type": "welzijn"})
    sqlite_demo.relate("ACTIVE_IN", org.id, "WK026807")
    for path in ("/dekking?gebied=WK026807", "/netwerk?gebied=WK026807"):
        page = lezer.get(path).text
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert "Org &lt;script&gt;alert(1)&lt;/script&gt;" in page
    data = lezer.get("/netwerk/data?gebied=WK026807").json()
    assert any(n["label"] == "Org " + XSS for n in data["nodes"])
