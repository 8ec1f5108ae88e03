"""Beheer of areas (CBS data): the beheerder edits name, population, year and parent, adds
an area under its CBS code (the node id), and is told why an area is never ended."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from web_helpers import ClientFor, token_of

from directory.service import Directory

XSS = '<script>alert("x")</script>'
DUKENBURG = "WK026807"
NEW_BUURT = "BU02680799"


@pytest.fixture
def app(demo_app: Starlette) -> Starlette:
    """These pages write: run them on every backend."""
    return demo_app


@pytest.fixture
def client_for(demo_client_for: ClientFor) -> ClientFor:
    return demo_client_for


def _directory(app: Starlette) -> Directory:
    directory: Directory = app.state.directory
    return directory


def _post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data={**data, "csrf_token": token_of(client)},
                       follow_redirects=False)


def _inputs(page: str) -> dict[str, str]:
    """What the edit form as shown sends back (its inputs are all text or hidden)."""
    form = page[page.index('class="beheer-form"'):]
    form = form[:form.index("</form>")]
    found = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name:
            found[name.group(1)] = html_lib.unescape(value.group(1)) if value else ""
    return found


def _field(page: str, name: str) -> str:
    """The form group of one field, from its label up to the next one."""
    start = page.index(f'for="veld-{name}"')
    end = page.find('<div class="field', start)
    return page[start:end if end > 0 else None]


def _new_area(client: TestClient, **given: str) -> Any:
    data = {"code": NEW_BUURT, "name": "Testbuurt", "population": "", "year": "",
            "binnen": ""} | given
    return _post(client, "/beheer/gebieden/nieuw", data)


def test_edit_name_and_population_round_trip(client_for: ClientFor, app: Starlette) -> None:
    directory = _directory(app)
    stored = directory.get(DUKENBURG)
    directory.update(DUKENBURG, {"postcodes": ["6533", "6535"]}, version=stored.version)
    client = client_for("beheerder")
    page = client.get(f"/beheer/gebieden/{DUKENBURG}").text
    data = _inputs(page)
    assert data["code"] == DUKENBURG and data["binnen"] == "GM0268"
    assert 'name="code" value="WK026807"' in page and 'id="veld-code"' not in page  # read-only
    data |= {"name": "Dukenburg-Zuid", "population": "23.456", "year": "2025",
             "code": "WK026899"}  # a tampered code is ignored: the code is the id
    saved = client.post(f"/beheer/gebieden/{DUKENBURG}",
                        data={**data, "csrf_token": token_of(client)}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert "Wijzigingen in &#39;Dukenburg-Zuid&#39; zijn opgeslagen." in client.get(
        saved.headers["location"]).text
    props = directory.get(DUKENBURG).props
    assert (props["name"], props["population"], props["year"], props["code"]) == (
        "Dukenburg-Zuid", 23456, 2025, DUKENBURG)
    assert props["postcodes"] == ["6533", "6535"] and props["level"] == "wijk"  # untouched
    assert [e.dst for e in directory.current(DUKENBURG, ["WITHIN"])] == ["GM0268"]
    reader = client_for("lezer")
    listing = reader.get("/beheer/gebieden?q=dukenburg-zuid").text
    assert f'href="/wijk/{DUKENBURG}">Dukenburg-Zuid</a>' in listing and "23456" in listing
    assert "/beheer/gebieden/nieuw" not in listing  # a lezer only reads
    wijk = reader.get(f"/wijk/{DUKENBURG}").text
    assert "Dukenburg-Zuid" in wijk and "23.456" in wijk and "2025" in wijk


def test_a_stale_version_shows_the_conflict(client_for: ClientFor, app: Starlette) -> None:
    client = client_for("beheerder")
    data = _inputs(client.get(f"/beheer/gebieden/{DUKENBURG}").text)
    directory = _directory(app)
    directory.update(DUKENBURG, {"population": 1}, version=int(data["version"]))
    response = _post(client, f"/beheer/gebieden/{DUKENBURG}", data | {"name": "Mijn naam"})
    assert response.status_code == 409
    assert "Iemand anders heeft dit net gewijzigd" in response.text
    assert "Mijn naam" in response.text
    assert directory.get(DUKENBURG).props["name"] == "Dukenburg"


def test_create_a_buurt_under_its_wijk(client_for: ClientFor, app: Starlette) -> None:
    client = client_for("beheerder")
    form = client.get("/beheer/gebieden/nieuw").text
    assert "Nieuw gebied" in form and 'id="veld-code"' in form
    created = _new_area(client, code="bu 0268 0799", population="1200", year="2024")
    assert created.status_code == 303, created.text
    assert created.headers["location"] == f"/beheer/gebieden/{NEW_BUURT}"
    assert "Gebied &#39;Testbuurt&#39; is toegevoegd." in client.get(
        created.headers["location"]).text
    directory = _directory(app)
    buurt = directory.get(NEW_BUURT)
    assert (buurt.kind, buurt.props["code"], buurt.props["level"]) == ("Area", NEW_BUURT,
                                                                       "buurt")
    assert buurt.props["population"] == 1200
    assert [e.dst for e in directory.current(NEW_BUURT, ["WITHIN"])] == [DUKENBURG]
    # a wijk named by its name is fine too, when it is the code's wijk
    named = _new_area(client, code="BU02680798", binnen="Dukenburg")
    assert named.status_code == 303, named.text
    assert [e.dst for e in directory.current("BU02680798", ["WITHIN"])] == [DUKENBURG]


@pytest.mark.parametrize(("given", "field", "message"), [
    ({"code": "XX1234"}, "code", "ongeldige CBS-code"),
    ({"code": ""}, "code", "is verplicht"),
    ({"code": DUKENBURG}, "code", "WK026807 bestaat al (Dukenburg)"),
    ({"code": "GM0236"}, "code", "opgeheven gemeente (opgegaan in GM1960"),  # Geldermalsen
    ({"binnen": "WK026808"}, "binnen", "ligt in wijk WK026807, niet in Lindenholt"),
    ({"binnen": "GM0268"}, "binnen", "ligt in wijk WK026807, niet in Nijmegen"),
    ({"code": "BU02689901"}, "binnen", "wijk WK026899 staat nog niet in de kaart"),
    ({"code": "WK023601"}, "binnen", "gemeente GM0236 is opgeheven"),
    ({"code": "GM9999", "binnen": "GM0268"}, "binnen", "een gemeente ligt niet in"),
    ({"name": ""}, "name", "is verplicht"),
    ({"year": "vorig jaar"}, "year", "is geen jaartal"),
])
def test_wrong_input_is_refused_next_to_its_field(client_for: ClientFor, app: Starlette,
                                                  given: dict[str, str], field: str,
                                                  message: str) -> None:
    client = client_for("beheerder")
    before = len(_directory(app).store.audit(None, limit=1000))
    response = _new_area(client, **given)
    assert response.status_code == 422, response.text
    assert message in html_lib.unescape(_field(response.text, field))
    assert "niets is opgeslagen" in response.text
    assert len(_directory(app).store.audit(None, limit=1000)) == before


def test_an_edited_parent_must_fit_the_code(client_for: ClientFor, app: Starlette) -> None:
    client = client_for("beheerder")
    path = f"/beheer/gebieden/{DUKENBURG}"
    data = _inputs(client.get(path).text)
    moved = _post(client, path, data | {"binnen": "GM0281"})
    assert moved.status_code == 422
    assert "ligt in gemeente GM0268, niet in Tiel (GM0281)" in _field(moved.text, "binnen")
    cleared = _post(client, path, data | {"binnen": "", "name": "Dukenburg (Nijmegen)"})
    assert cleared.status_code == 303, cleared.text  # empty: the code's gemeente, unchanged
    edges = _directory(app).store.edges(DUKENBURG, types=["WITHIN"], direction="out")
    assert [(e.dst, e.until) for e in edges] == [("GM0268", None)]


def test_an_empty_parent_is_filled_in_from_the_code(client_for: ClientFor) -> None:
    client = client_for("beheerder")
    response = _new_area(client, name="")
    assert response.status_code == 422
    assert 'name="binnen" value="WK026807"' in response.text


def test_an_area_is_not_ended(client_for: ClientFor, app: Starlette) -> None:
    client = client_for("beheerder")
    page = client.get(f"/beheer/gebieden/{DUKENBURG}/beeindigen").text
    assert "kan niet beëindigd worden" in page and "wijkkaart import --format cbs" in page
    assert "<button" not in page.split("<main", 1)[1]
    listing = client.get("/beheer/gebieden?q=dukenburg").text
    assert f"/beheer/gebieden/{DUKENBURG}\">Bewerken" in listing
    assert f"/beheer/gebieden/{DUKENBURG}/beeindigen" not in listing
    version = _directory(app).get(DUKENBURG).version
    refused = _post(client, f"/beheer/gebieden/{DUKENBURG}/beeindigen",
                    {"version": str(version)})
    assert refused.status_code == 422
    assert "Een gebied komt uit de CBS-gegevens en kan niet beëindigd worden." in refused.text
    assert _directory(app).current(DUKENBURG, ["WITHIN"])
    assert _directory(app).get(DUKENBURG).version == version


def test_only_a_beheerder_writes_areas(client_for: ClientFor, app: Starlette) -> None:
    for role in ("redacteur", "coordinator"):
        client = client_for(role)
        for path in ("/beheer/gebieden/nieuw", f"/beheer/gebieden/{DUKENBURG}",
                     f"/beheer/gebieden/{DUKENBURG}/beeindigen"):
            assert client.get(path).status_code == 403, (role, path)
        assert _new_area(client).status_code == 403
        assert "/beheer/gebieden/nieuw" not in client.get("/beheer").text
    assert _directory(app).store.get_nodes([NEW_BUURT]) == {}
    assert "nieuw gebied" in client_for("beheerder").get("/beheer").text


def test_a_name_with_markup_is_escaped(client_for: ClientFor) -> None:
    client = client_for("beheerder")
    created = _new_area(client, name=f"Buurt {XSS}")
    assert created.status_code == 303, created.text
    for page in (created.headers["location"], "/beheer/gebieden?q=script",
                 f"/wijk/{NEW_BUURT}", f"/beheer/gebieden/{NEW_BUURT}/beeindigen"):
        text = client.get(page).text
        assert "<script>" not in text and "&lt;script&gt;" in text, page
