"""Home, organisation, activity and wijk pages."""

from __future__ import annotations

from starlette.testclient import TestClient
from web_helpers import ClientFor


def test_home_points_to_the_journeys(client_for: ClientFor) -> None:
    anonymous = client_for(None).get("/").text
    assert 'href="/zoeken"' in anonymous and 'lang="nl"' in anonymous
    assert 'class="skip-link" href="#inhoud"' in anonymous
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in anonymous
    assert 'href="/wijk/' not in anonymous  # the wijkanalyse needs a login
    reader = client_for("lezer").get("/").text
    assert 'href="/wijk/GM0268">Nijmegen</a>' in reader
    assert 'action="/uitloggen"' in reader and 'name="csrf-token"' in reader


def test_organisation_page(client_for: ClientFor) -> None:
    anonymous = client_for(None).get("/organisaties/org-wijkbewegen")
    assert anonymous.status_code == 200
    html = anonymous.text
    assert "<h1>Wijkbewegen Nijmegen</h1>" in html
    assert "Kerem Öztürk" in html and 'href="/activiteiten/act-0014"' in html
    assert "Telefoon:" not in html
    assert "Telefoon:" in client_for("lezer").get("/organisaties/org-wijkbewegen").text


def test_activity_page(client: TestClient) -> None:
    html = client.get("/activiteiten/act-0014").text
    assert "<h1>Bewegen op recept</h1>" in html
    assert "maandag, donderdag 10:00–11:00" in html
    assert 'href="/organisaties/org-wijkbewegen"' in html
    assert 'href="/meegeefkaart?id=act-0014"' in html


def test_unknown_or_wrong_kind_is_not_found(client: TestClient) -> None:
    for path in ("/organisaties/act-0014", "/activiteiten/org-wijkbewegen",
                 "/activiteiten/bestaat-niet"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Niet gevonden" in response.text and 'lang="nl"' in response.text


def test_wijk_page_shows_the_analysis_and_gaps(client_for: ClientFor) -> None:
    client = client_for("lezer")
    html = client.get("/wijk/WK026807").text
    assert "Wijkanalyse Dukenburg" in html
    assert "Witte vlekken" in html and 'class="gap"' in html
    assert "WijkGGZ Nijmegen-Dukenburg" in html
    assert 'href="/wijk/GM0268"' in html  # up to the gemeente
    assert 'href="/organisaties/' in html
    gemeente = client.get("/wijk/gm0268").text
    assert 'href="/wijk/WK026807">Dukenburg</a>' in gemeente


def test_wijk_page_unknown_code(client_for: ClientFor) -> None:
    client = client_for("lezer")
    assert client.get("/wijk/WK999999").status_code == 404
    assert client.get("/wijk/onzin").status_code == 404
    assert client.get("/wijk/act-0014").status_code == 404
