"""Zoeken and the meegeefkaart: filters reach the search, cards show what a worker needs,
contact details only after login, everything escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient
from web_helpers import ClientFor

from directory.model import ACTIVITY, ORGANISATION, PERSON
from directory.service import Directory

XSS = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
RAW_MARKERS = ("<script>alert(1)", "<img src=x", "onerror=alert(2)>")


def ids_on(html: str) -> list[str]:
    """The activities listed as result cards (their meegeefkaart checkboxes)."""
    return re.findall(r'name="id" value="([^"]+)"', html)


def total_on(html: str) -> int:
    found = re.search(r"(\d+) activiteit(?:en)? gevonden", html)
    return int(found.group(1)) if found else 0


@pytest.fixture
def hostile(sqlite_demo: Directory) -> Iterator[dict[str, str]]:
    """An organisation, activity and contact person whose every text field is a payload."""
    d = sqlite_demo
    org = d.create(ORGANISATION, {"name": "Org " + XSS, "description": XSS,
                                  "partner_type": "welzijn", "address": XSS})
    act = d.create(ACTIVITY, {"title": "Act " + XSS, "description": XSS, "cost": XSS,
                              "address": XSS, "life_domains": ["welzijn"],
                              "accessibility": XSS})
    person = d.create(PERSON, {"name": "Per " + XSS, "job_title": XSS,
                               "email": "contact@example.org", "phone": "0243001234"})
    d.relate("OFFERED_BY", act.id, org.id)
    d.relate("CONTACT", act.id, person.id)
    d.relate("WORKS_AT", person.id, org.id)
    yield {"org": org.id, "activity": act.id, "person": person.id}


def test_search_page_lists_cards(client: TestClient) -> None:
    page = client.get("/zoeken")
    assert page.status_code == 200
    assert total_on(page.text) == 134
    assert len(ids_on(page.text)) == 20  # one page
    assert 'href="/zoeken?pagina=2"' in page.text
    second = client.get("/zoeken?pagina=2").text
    assert set(ids_on(second)).isdisjoint(ids_on(page.text))


def test_each_filter_changes_the_results(client: TestClient) -> None:
    everything = total_on(client.get("/zoeken").text)
    for query in ("q=koffie", "leefgebied=financien", "dag=za", "gratis=1",
                  "zonder_verwijzing=1", "doelgroep=ouderen", "gebied=WK026807",
                  "gebied=Tiel", "postcode=6535&km=2"):
        found = total_on(client.get(f"/zoeken?{query}").text)
        assert 0 < found < everything, query


def test_filters_narrow_and_are_shown_again(client: TestClient) -> None:
    free = client.get("/zoeken?gratis=1&leefgebied=welzijn&dag=di").text
    assert ids_on(free)  # the demo has such activities: the checks below really run
    for activity_id in ids_on(free):
        card = client.get(f"/activiteiten/{activity_id}").text
        assert "Welzijn" in card and "dinsdag" in card
    assert 'name="gratis" value="1" checked' in free
    assert re.search(r'value="welzijn"\s+checked', free)
    assert re.search(r'value="di"\s+checked', free)


def test_card_shows_what_where_when_cost_and_contact(client_for: ClientFor) -> None:
    html = client_for(None).get("/zoeken?q=bewegen+op+recept").text
    card = html[html.index('value="act-0014"'):]
    card = card[:card.index("</li>\n")]
    for text in ("Bewegen op recept", "Wijkbewegen Nijmegen", "Lingedijk 76", "Dukenburg",
                 "maandag, donderdag 10:00–11:00", "€ 5 per maand", "verwijzing nodig",
                 "Kerem Öztürk", "Buurtsportcoach", "Sem Thijssen",
                 "WijkGGZ Nijmegen-Dukenburg"):
        assert text in card, text


def test_anonymous_never_sees_phone_or_email(client_for: ClientFor, hostile: dict[str, str]
                                             ) -> None:
    pages = ["/zoeken", "/zoeken?q=bewegen", f"/activiteiten/{hostile['activity']}",
             f"/organisaties/{hostile['org']}", "/activiteiten/act-0014",
             f"/meegeefkaart?id={hostile['activity']}"]
    anonymous = client_for(None)
    for path in pages:
        html = anonymous.get(path).text
        assert "contact@example.org" not in html and "024 300 1234" not in html, path
        assert "Telefoon:" not in html, path  # the contact card's phone line
    reader = client_for("lezer")
    html = reader.get(f"/activiteiten/{hostile['activity']}").text
    assert "contact@example.org" in html and "024 300 1234" in html
    assert "Telefoon:" in reader.get("/zoeken?q=bewegen").text


def test_payloads_are_escaped(client_for: ClientFor, hostile: dict[str, str]) -> None:
    client = client_for("beheerder")
    pages = ["/zoeken?q=Act", f"/meegeefkaart?id={hostile['activity']}",
             f"/activiteiten/{hostile['activity']}", f"/organisaties/{hostile['org']}",
             "/zoeken?q=" + XSS, "/wijk/GM0268"]
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 422), path
        for marker in RAW_MARKERS:
            assert marker not in response.text, (path, marker)
    results = client.get("/zoeken?q=Act").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in results
    assert hostile["activity"] in ids_on(results)


def test_meegeefkaart_has_the_chosen_activities_only(client: TestClient) -> None:
    other = re.findall(r"<h1>(.*?)</h1>", client.get("/activiteiten/act-0001").text)[0]
    html = client.get("/meegeefkaart?id=act-0014&id=act-0001&id=org-wijkbewegen&id=nope").text
    assert re.findall(r"<h2>(.*?)</h2>", html) == ["Bewegen op recept", other]
    assert "Wijkbewegen Nijmegen" in html  # the organisation, to reach them
    assert "Per " not in html and "Kerem" not in html  # no contact persons on it
    assert 'media="print"' in html
    assert re.search(r'<form[^>]*role="search"', html) is None


def test_meegeefkaart_without_choice(client: TestClient) -> None:
    html = client.get("/meegeefkaart").text
    assert "Er zijn geen activiteiten gekozen" in html


def test_bad_filters_are_explained_next_to_the_field(client: TestClient) -> None:
    response = client.get("/zoeken?postcode=12&km=x&gebied=Nergenshuizen")
    assert response.status_code == 422
    assert 'id="fout-km"' in response.text
    bad_postcode = client.get("/zoeken?postcode=abcd")
    assert bad_postcode.status_code == 422 and 'id="fout-postcode"' in bad_postcode.text
    unknown_area = client.get("/zoeken?gebied=Nergenshuizen")
    assert unknown_area.status_code == 422 and 'id="fout-gebied"' in unknown_area.text


def test_search_works_without_javascript_and_loads_only_local_files(client: TestClient
                                                                   ) -> None:
    html = client.get("/zoeken").text
    assert re.search(r'<form method="get" action="/zoeken"', html)
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert sources and all(s.startswith("/static/") for s in sources)
    for source in sources:
        assert client.get(source).status_code == 200
