"""The read endpoints of the JSON API give the CLI's JSON shapes on the demo region, paged,
with people's phone and e-mail only for logged-in callers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from api_clients import anonymous, logged_in, make_app
from starlette.applications import Starlette
from starlette.testclient import TestClient

from directory.analysis import analyse
from directory.cli import main
from directory.coverage import coverage
from directory.listing import list_nodes, show_node
from directory.search import SearchQuery, search
from directory.service import Directory


@pytest.fixture
def app(demo: Directory) -> Starlette:
    return make_app(demo)


@pytest.fixture
def client(app: Starlette) -> TestClient:
    return anonymous(app)


def plain(data: Any) -> Any:
    """What the data looks like after a trip through JSON."""
    return json.loads(json.dumps(data))


def test_search_gives_the_cli_items_with_paging(demo: Directory, client: TestClient) -> None:
    got = client.get("/api/activities", params={"q": "koffie", "limit": 3, "offset": 1})
    assert got.status_code == 200
    core = search(demo, SearchQuery(text="koffie", limit=3, offset=1),
                  show_contact_details=False)
    assert got.json() == {"items": plain(core["items"]), "total": core["total"], "limit": 3,
                          "offset": 1}
    assert core["total"] > 3


def test_search_filters_as_query_parameters(demo: Directory, client: TestClient) -> None:
    params: dict[str, Any] = {"area": "Dukenburg", "domain": ["welzijn", "zorg"],
                              "day": ["ma", "di"], "free": "true", "target": "18plus"}
    got = client.get("/api/activities", params=params).json()
    core = search(demo, SearchQuery(area="Dukenburg", domains=["welzijn", "zorg"],
                                    days=["ma", "di"], free=True, targets=["18plus"]),
                  show_contact_details=False)
    assert got["items"] == plain(core["items"]) and got["total"] == core["total"] > 0
    assert all(item["free"] for item in got["items"])
    near = client.get("/api/activities", params={"near": "6535", "km": "2.5"}).json()
    assert near["items"] and all(i["distance_km"] <= 2.5 for i in near["items"])


def test_search_matches_the_real_cli_on_sqlite(demo_db: Path, capsys: pytest.CaptureFixture[str]
                                                ) -> None:
    from graph.sqlite_store import SqliteStore

    assert main(["--store", str(demo_db), "search", "koffie", "--free", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    store = SqliteStore(str(demo_db))
    try:
        app = make_app(Directory(store))
        got = logged_in(app, "lezer").get("/api/activities", params={"q": "koffie",
                                                                     "free": "1"}).json()
    finally:
        store.close()
    assert got["items"] == cli["items"] and got["total"] == cli["total"]


def test_contact_details_only_when_logged_in(app: Starlette, client: TestClient) -> None:
    params = {"q": "koffie", "limit": 50}
    open_items = client.get("/api/activities", params=params).json()["items"]
    contacts = [i["contact"] for i in open_items if i["contact"]]
    assert contacts and all("phone" not in c and "email" not in c for c in contacts)
    assert all(c["name"] for c in contacts)
    private = logged_in(app, "lezer").get("/api/activities", params=params).json()["items"]
    assert any(i["contact"] and i["contact"]["phone"] for i in private)


@pytest.mark.parametrize(("params", "field"), [
    ({"limit": "0"}, "limit"), ({"limit": "201"}, "limit"), ({"limit": "tien"}, "limit"),
    ({"offset": "-1"}, "offset"), ({"km": "ver"}, "km"), ({"km": "0"}, "km"),
    ({"domain": "tuinieren"}, "domain"), ({"day": "blauwe maandag"}, "day"),
    ({"target": "katten"}, "target"), ({"near": "12"}, "near"), ({"free": "misschien"}, "free"),
    ({"area": "Atlantis"}, "area"), ({"zoekterm": "x"}, "zoekterm"),
])
def test_bad_search_parameters_are_422_naming_the_parameter(
        client: TestClient, params: dict[str, str], field: str) -> None:
    got = client.get("/api/activities", params=params)
    assert got.status_code == 422
    error = got.json()["error"]
    assert error["code"] == "validation_error"
    assert [d["field"] for d in error["details"]] == [field]
    assert error["details"][0]["message"]


def test_activity_by_id_is_the_show_shape(demo: Directory, client: TestClient) -> None:
    got = client.get("/api/activities/act-0001")
    assert got.status_code == 200
    assert got.json() == plain(show_node(demo, "act-0001", show_private=False))
    assert {r["type"] for r in got.json()["relations"]} >= {"OFFERED_BY", "CONTACT"}
    missing = client.get("/api/activities/act-bestaat-niet")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong_kind = client.get("/api/activities/org-buurtcentrum-meijhorst")
    assert wrong_kind.status_code == 404


@pytest.mark.parametrize("collection", ["organisations", "teams", "areas"])
def test_open_lists_are_the_cli_listing_paged(demo: Directory, client: TestClient,
                                              collection: str) -> None:
    got = client.get(f"/api/{collection}", params={"limit": 2, "offset": 2})
    assert got.status_code == 200
    core = list_nodes(demo, collection, limit=2, offset=2, show_private=False)
    assert got.json() == {"items": plain(core["items"]), "total": core["total"], "limit": 2,
                          "offset": 2}
    default = client.get(f"/api/{collection}").json()
    assert default["limit"] == 20 and len(default["items"]) == min(20, core["total"])


def test_lists_within_an_area_or_team(demo: Directory, client: TestClient) -> None:
    got = client.get("/api/organisations", params={"area": "GM0281", "limit": 200}).json()
    core = list_nodes(demo, "organisations", area="GM0281")
    assert got["total"] == core["total"] > 0
    assert [i["id"] for i in got["items"]] == [i["id"] for i in core["items"]]
    team = client.get("/api/areas", params={"team": "team-tiel"}).json()
    assert team["total"] == list_nodes(demo, "areas", team="team-tiel")["total"] > 0
    bad = client.get("/api/organisations", params={"team": "geen-team"})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "team"


def test_area_by_code_or_name(client: TestClient) -> None:
    by_code = client.get("/api/areas/GM0268").json()
    assert by_code["id"] == "GM0268" and by_code["level"] == "gemeente"
    assert client.get("/api/areas/gm0268").json()["id"] == "GM0268"
    assert client.get("/api/areas/GM9999").status_code == 404


@pytest.mark.parametrize("path", ["/api/people", "/api/people/per-0001", "/api/agreements",
                                  "/api/agreements/agr-002", "/api/areas/GM0268/analysis",
                                  "/api/coverage"])
def test_private_reads_need_a_login(client: TestClient, path: str) -> None:
    got = client.get(path)
    assert got.status_code == 401
    assert got.json()["error"]["code"] == "unauthorized"


def test_people_for_a_lezer_with_phone_and_email(demo: Directory, app: Starlette) -> None:
    lezer = logged_in(app, "lezer")
    got = lezer.get("/api/people", params={"limit": 200}).json()
    assert got == {"items": plain(list_nodes(demo, "people")["items"]), "total": 77,
                   "limit": 200, "offset": 0}
    person = lezer.get("/api/people/per-0035").json()
    assert person["phone"] and person["email"]
    assert person["relations"] == plain(show_node(demo, "per-0035")["relations"])


def test_organisation_shows_people_without_their_details(client: TestClient) -> None:
    got = client.get("/api/organisations/org-buurtcentrum-meijhorst").json()
    works = [r for r in got["relations"] if r["type"] == "WORKS_AT"]
    assert works and set(works[0]["other"]) == {"id", "kind", "name"}
    assert "per-0035" in json.dumps(got) and "k.ariens@" not in json.dumps(got)


def test_analysis_is_the_cli_wijkanalyse(demo: Directory, app: Starlette) -> None:
    lezer = logged_in(app, "lezer")
    got = lezer.get("/api/areas/WK026807/analysis")
    assert got.status_code == 200
    assert got.json() == plain(analyse(demo, "WK026807"))
    assert lezer.get("/api/areas/WK999999/analysis").status_code == 404


def test_coverage_pages_rows_and_risks(demo: Directory, app: Starlette) -> None:
    lezer = logged_in(app, "lezer")
    core = plain(coverage(demo, "GM0268"))
    got = lezer.get("/api/coverage", params={"area": "GM0268", "limit": 4, "offset": 2,
                                             "risk_limit": 5, "risk_offset": 1}).json()
    assert got["areas"] == core["areas"][2:6] and got["risks"] == core["risks"][1:6]
    assert (got["total_areas"], got["total_risks"]) == (len(core["areas"]), len(core["risks"]))
    whole = lezer.get("/api/coverage", params={"area": "GM0268"}).json()
    assert whole["areas"] == core["areas"] and whole["risks"] == core["risks"]
    national = lezer.get("/api/coverage").json()
    assert national["total_areas"] > 3000 and len(national["areas"]) == national["limit"] == 200
    bad = lezer.get("/api/coverage", params={"risk_limit": "5000"})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "risk_limit"
