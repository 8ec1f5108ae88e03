"""The results map's server side: cards carry their location, Leaflet is served by the app,
and map tiles come from outside only when ``WIJKKAART_TILES_URL`` is set (and then the CSP
allows exactly that origin for images)."""

from __future__ import annotations

import re

import pytest
from web_helpers import ClientFor

from directory.model import ACTIVITY
from directory.service import Directory
from web.security import CSP
from web.tiles import TILES_ENV, csp_with_tiles, tiles_from_env

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def test_cards_carry_the_activity_location(client_for: ClientFor,
                                           sqlite_demo: Directory) -> None:
    page = client_for(None).get("/zoeken", params={"gebied": "GM0268"}).text
    cards = re.findall(r'<li class="card" data-lat="([-0-9.]+)" data-lon="([-0-9.]+)">\s*'
                       r'<div class="card-head">\s*<input type="checkbox" name="id" '
                       r'value="([^"]+)"', page)
    assert len(cards) >= 5
    for lat, lon, node_id in cards:
        node = sqlite_demo.store.get_node(node_id)
        assert node.kind == ACTIVITY
        assert (float(lat), float(lon)) == (node.props["lat"], node.props["lon"])


def test_a_card_without_location_has_no_map_data(client_for: ClientFor,
                                                 sqlite_demo: Directory) -> None:
    sqlite_demo.create(ACTIVITY, {"title": "Zonder plek kaarttest", "life_domains": ["welzijn"]})
    page = client_for(None).get("/zoeken", params={"q": "kaarttest"}).text
    assert "Zonder plek kaarttest" in page
    assert "data-lat" not in page


def test_leaflet_is_served_by_the_app(client_for: ClientFor) -> None:
    client = client_for(None)
    page = client.get("/zoeken", params={"gebied": "GM0268"}).text
    for asset in ("/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css",
                  "/static/kaart.js", "/static/vendor/leaflet/images/marker-icon.png"):
        assert client.get(asset).status_code == 200, asset
    assert 'src="/static/kaart.js"' in page and "leaflet.css" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from elsewhere


def test_no_tiles_by_default(client_for: ClientFor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TILES_ENV, raising=False)
    response = client_for(None).get("/zoeken", params={"gebied": "GM0268"})
    assert "data-tiles-url" not in response.text
    assert response.headers["content-security-policy"] == CSP


def test_configured_tiles_reach_the_page_and_the_csp(client_for: ClientFor,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TILES_ENV, OSM)
    response = client_for(None).get("/zoeken", params={"gebied": "GM0268"})
    assert f'data-tiles-url="{OSM}"' in response.text
    csp = response.headers["content-security-policy"]
    img_src = next(d for d in csp.split("; ") if d.startswith("img-src "))
    assert img_src == "img-src 'self' data: https://tile.openstreetmap.org"
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    other = client_for(None).get("/inloggen")  # only the search page loosens img-src
    assert other.headers["content-security-policy"] == CSP


@pytest.mark.parametrize("url", [
    "javascript:alert(1)//{z}{x}{y}", "https://tiles.example.org/{z}/{x}.png",
    "ftp://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org;script-src */{z}/{x}/{y}",
    "https://a b/{z}/{x}/{y}.png",
])
def test_unusable_tile_settings_are_ignored(url: str) -> None:
    assert tiles_from_env({TILES_ENV: url}) is None


def test_subdomain_templates_become_a_wildcard_origin() -> None:
    tiles = tiles_from_env({TILES_ENV: "https://{s}.tiles.example.org:8443/{z}/{x}/{y}.png"})
    assert tiles is not None and tiles.origin == "https://*.tiles.example.org:8443"
    assert "img-src 'self' data: https://*.tiles.example.org:8443;" in csp_with_tiles(CSP, tiles)
