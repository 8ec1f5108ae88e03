"""The Open Referral HSDS 3.0 read endpoints: paged like the HSDS API, every object valid
against the official schemas, contact persons only for logged-in callers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from api_clients import anonymous, logged_in, make_app
from jsonschema import Draft202012Validator
from starlette.applications import Starlette
from starlette.testclient import TestClient

from directory.model import ACTIVITY, ORGANISATION
from directory.service import Directory
from importers.hsds_export import hsds_id, hsds_service
from importers.hsds_schema import validate_hsds

PAGE_SCHEMA = Path(__file__).resolve().parents[3] / "shared/data/hsds/schema/openapi.json"


@pytest.fixture
def app(demo: Directory) -> Starlette:
    return make_app(demo)


@pytest.fixture
def client(app: Starlette) -> TestClient:
    return anonymous(app)


def _valid_page(body: dict[str, Any], kind: str) -> None:
    page_schema = json.loads(PAGE_SCHEMA.read_text(encoding="utf-8"))["components"][
        "schemas"]["Page"]
    assert list(Draft202012Validator(page_schema).iter_errors(body)) == []
    for obj in body["contents"]:
        assert validate_hsds(kind, obj) == [], obj["id"]


def test_services_are_paged_and_valid(demo: Directory, client: TestClient) -> None:
    first = client.get("/api/hsds/services", params={"per_page": 30})
    assert first.status_code == 200
    body = first.json()
    total = demo.store.count_nodes(ACTIVITY)
    assert body["total_items"] == total > 30
    assert (body["page_number"], body["size"], body["first_page"]) == (1, 30, True)
    assert body["total_pages"] == -(-total // 30) and body["last_page"] is False
    _valid_page(body, "service")
    last = client.get("/api/hsds/services", params={"per_page": 30,
                                                    "page": body["total_pages"]}).json()
    assert last["last_page"] is True and last["size"] == total - 30 * (body["total_pages"] - 1)
    seen = {s["id"] for s in body["contents"]} & {s["id"] for s in last["contents"]}
    assert seen == set()
    beyond = client.get("/api/hsds/services", params={"page": 99}).json()
    assert beyond["empty"] is True and beyond["contents"] == []


def test_organizations_are_paged_and_valid(demo: Directory, client: TestClient) -> None:
    body = client.get("/api/hsds/organizations", params={"per_page": 200}).json()
    assert body["total_items"] == demo.store.count_nodes(ORGANISATION) == body["size"]
    _valid_page(body, "organization")
    found = client.get("/api/hsds/organizations", params={"search": "meijhorst"}).json()
    assert [o["name"] for o in found["contents"]] == ["Buurtcentrum De Meijhorst",
                                                      "Huisartsenpraktijk Meijhorst"]


def test_service_by_hsds_id_or_own_id(demo: Directory, client: TestClient) -> None:
    node = demo.get("act-0001")
    by_uuid = client.get(f"/api/hsds/services/{hsds_id(node)}")
    assert by_uuid.status_code == 200
    assert by_uuid.json() == json.loads(json.dumps(hsds_service(demo, node)))
    assert validate_hsds("service", by_uuid.json()) == []
    assert client.get("/api/hsds/services/act-0001").json() == by_uuid.json()
    assert client.get("/api/hsds/services/org-bieb-wijchen").status_code == 404
    missing = client.get("/api/hsds/services/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_organization_by_id(demo: Directory, client: TestClient) -> None:
    node = demo.get("org-buurtcentrum-meijhorst")
    got = client.get(f"/api/hsds/organizations/{hsds_id(node)}")
    assert got.status_code == 200 and got.json()["name"] == "Buurtcentrum De Meijhorst"
    assert validate_hsds("organization", got.json()) == []


def test_search_and_organization_filter(demo: Directory, client: TestClient) -> None:
    found = client.get("/api/hsds/services", params={"search": "koffie"}).json()
    assert found["total_items"] > 0 and all("offie" in s["name"] + s.get("description", "")
                                            for s in found["contents"])
    org = demo.get("org-buurtcentrum-meijhorst")
    offered = client.get("/api/hsds/services", params={"organization_id": hsds_id(org)}).json()
    assert offered["total_items"] > 0
    assert {s["organization"]["id"] for s in offered["contents"]} == {hsds_id(org)}
    bad = client.get("/api/hsds/services", params={"organization_id": "nergens"})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "organization_id"
    assert client.get("/api/hsds/services", params={"per_page": 0}).status_code == 422


def test_contacts_only_for_logged_in_callers(app: Starlette, client: TestClient) -> None:
    path = "/api/hsds/services/act-0001"
    assert "contacts" not in client.get(path).json()
    private = logged_in(app, "lezer").get(path).json()
    assert private["contacts"] and private["contacts"][0]["name"] == "Koen Ariëns"
    assert validate_hsds("service", private) == []
