"""Writes through the JSON API: roles, CSRF, optimistic locking, validation details, and
ending instead of deleting."""

from __future__ import annotations

import pytest
from api_clients import anonymous, logged_in, make_app
from starlette.applications import Starlette
from starlette.testclient import TestClient

from directory.search import SearchQuery, search
from directory.service import Directory


@pytest.fixture
def app(demo: Directory) -> Starlette:
    return make_app(demo)


@pytest.fixture
def editor(app: Starlette) -> TestClient:
    return logged_in(app, "redacteur")


NEW_ORG = {"name": "Repair Café Hatert", "partner_type": "vrijwilligers",
           "postcode": "6532 AB", "email": "info@repaircafe-hatert.example"}


def test_create_update_and_read_back(demo: Directory, editor: TestClient) -> None:
    made = editor.post("/api/organisations", json=NEW_ORG)
    assert made.status_code == 201, made.text
    org = made.json()
    assert made.headers["location"] == f"/api/organisations/{org['id']}"
    assert org["version"] == 1 and org["city"] == "Nijmegen" and org["gemeente"] == "GM0268"
    changed = editor.patch(f"/api/organisations/{org['id']}",
                           json={"description": "Elke eerste zaterdag", "version": 1})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stored = demo.get(org["id"])
    assert stored.props["description"] == "Elke eerste zaterdag"
    assert stored.props["email"] == NEW_ORG["email"]
    assert demo.store.audit(org["id"])[0].actor == "test-redacteur"


def test_put_replaces_and_accepts_what_get_returned(demo: Directory, editor: TestClient) -> None:
    org = editor.post("/api/organisations", json=NEW_ORG).json()
    shown = editor.get(f"/api/organisations/{org['id']}").json()
    shown.pop("email")
    shown["website"] = "repaircafe-hatert.example"
    replaced = editor.put(f"/api/organisations/{org['id']}", json=shown)
    assert replaced.status_code == 200, replaced.text
    props = demo.get(org["id"]).props
    assert "email" not in props and props["website"] == "https://repaircafe-hatert.example"


def test_stale_version_is_409_in_dutch(editor: TestClient) -> None:
    org = editor.post("/api/organisations", json=NEW_ORG).json()
    path = f"/api/organisations/{org['id']}"
    assert editor.patch(path, json={"phone": "024 123 4567", "version": 1}).status_code == 200
    late = editor.patch(path, json={"description": "te laat", "version": 1})
    assert late.status_code == 409
    error = late.json()["error"]
    assert error["code"] == "conflict"
    assert "iemand anders heeft dit net gewijzigd" in error["message"]
    assert editor.get(path).json().get("description") is None


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "X", "email": "geen-adres"}, "email"),
    ({"name": "X", "partner_type": "ruimtevaart"}, "partner_type"),
    ({"partner_type": "welzijn"}, "name"),
    ({"name": "X", "kleur": "blauw"}, "kleur"),
])
def test_invalid_properties_are_422_with_details(editor: TestClient, body: dict[str, str],
                                                 field: str) -> None:
    got = editor.post("/api/organisations", json=body)
    assert got.status_code == 422
    assert field in [d["field"] for d in got.json()["error"]["details"]]


def test_update_needs_a_version_and_a_json_object(editor: TestClient) -> None:
    no_version = editor.patch("/api/organisations/org-bieb-wijchen", json={"phone": "0241"})
    assert no_version.status_code == 422
    assert no_version.json()["error"]["details"][0]["field"] == "version"
    not_json = editor.post("/api/organisations", content=b"{kapot",
                           headers={"content-type": "application/json"})
    assert not_json.status_code == 400 and not_json.json()["error"]["code"] == "bad_request"
    a_list = editor.post("/api/organisations", json=["naam"])
    assert a_list.status_code == 400
    missing = editor.patch("/api/organisations/org-bestaat-niet", json={"version": 1})
    assert missing.status_code == 404


def test_roles_for_writes(app: Starlette) -> None:
    assert anonymous(app).post("/api/organisations", json=NEW_ORG).status_code == 401
    lezer = logged_in(app, "lezer")
    refused = lezer.post("/api/organisations", json=NEW_ORG)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    editor = logged_in(app, "redacteur")
    assert editor.post("/api/activities", json={"title": "Soepmiddag"}).status_code == 201
    assert editor.post("/api/teams", json={"name": "WijkGGZ Hatert"}).status_code == 403
    coordinator = logged_in(app, "coordinator")
    team = coordinator.post("/api/teams", json={"name": "WijkGGZ Hatert", "phase": 0})
    assert team.status_code == 201
    assert logged_in(app, "beheerder").post("/api/people", json={"name": "Sam"}).status_code \
        == 201


def test_cookie_session_writes_need_the_csrf_header(editor: TestClient) -> None:
    token = editor.headers.pop("X-CSRF-Token")
    refused = editor.post("/api/organisations", json=NEW_ORG)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    wrong = editor.post("/api/organisations", json=NEW_ORG, headers={"X-CSRF-Token": "x"})
    assert wrong.status_code == 403
    right = editor.post("/api/organisations", json=NEW_ORG, headers={"X-CSRF-Token": token})
    assert right.status_code == 201


def test_delete_stops_an_activity(demo: Directory, editor: TestClient) -> None:
    version = demo.get("act-0001").version
    assert editor.delete("/api/activities/act-0001").status_code == 422  # no version
    stopped = editor.delete("/api/activities/act-0001", params={"version": version})
    assert stopped.status_code == 200, stopped.text
    assert stopped.json()["status"] == "gestopt" and stopped.json()["deleted"] is False
    found = search(demo, SearchQuery(text="koffie", limit=100))["items"]
    assert "act-0001" not in [i["id"] for i in found]
    assert demo.get("act-0001").props["title"]  # still there, as history
    again = editor.delete("/api/activities/act-0001", params={"version": version + 1})
    assert again.status_code == 409


def test_delete_ends_relations_and_keeps_history(demo: Directory, editor: TestClient) -> None:
    node = demo.get("agr-002")
    before = demo.store.edges("agr-002", current=True)
    ended = editor.delete("/api/agreements/agr-002", params={"version": node.version})
    assert ended.status_code == 200, ended.text
    assert ended.json()["ended_relations"] == len(before) > 0
    assert demo.store.edges("agr-002", current=True) == []
    assert len(demo.store.edges("agr-002")) == len(before)
    assert editor.get("/api/agreements/agr-002").status_code == 200


def test_delete_refuses_what_would_orphan_or_lose_data(demo: Directory,
                                                       editor: TestClient) -> None:
    liaison = editor.delete("/api/people/per-0004",
                            params={"version": demo.get("per-0004").version})
    assert liaison.status_code == 409 and "overdracht" in liaison.json()["error"]["message"]
    org = demo.get("org-buurtcentrum-meijhorst")
    offering = editor.delete(f"/api/organisations/{org.id}", params={"version": org.version})
    assert offering.status_code == 409 and "activiteit" in offering.json()["error"]["message"]
    stale = editor.delete("/api/agreements/agr-002", params={"version": 99})
    assert stale.status_code == 409
    assert editor.delete("/api/areas/GM0268", params={"version": 1}).status_code == 405


def test_delete_of_a_node_never_linked_removes_it(demo: Directory, editor: TestClient) -> None:
    org = editor.post("/api/organisations", json=NEW_ORG).json()
    gone = editor.delete(f"/api/organisations/{org['id']}", params={"version": 1})
    assert gone.status_code == 200 and gone.json()["deleted"] is True
    assert editor.get(f"/api/organisations/{org['id']}").status_code == 404
    assert [e.action for e in demo.store.audit(org["id"])][:1] == ["delete"]


def test_relations_start_and_end(demo: Directory, app: Starlette, editor: TestClient) -> None:
    body = {"type": "WORKS_AT", "src": "per-0035", "dst": "org-bieb-wijchen",
            "props": {"job_title": "vrijwilliger"}}
    made = editor.post("/api/relations", json=body)
    assert made.status_code == 201, made.text
    edge = made.json()
    assert edge["current"] and edge["props"] == {"job_title": "vrijwilliger"}
    wrong = editor.post("/api/relations", json=body | {"type": "SERVES"})
    assert wrong.status_code == 403  # a team relation: coordinator
    mismatch = logged_in(app, "coordinator").post("/api/relations", json=body | {
        "type": "SERVES"})
    assert mismatch.status_code == 422
    ended = editor.delete(f"/api/relations/{edge['id']}")
    assert ended.status_code == 200 and ended.json()["until"] is not None
    assert editor.delete(f"/api/relations/{edge['id']}").status_code == 409
    assert editor.delete("/api/relations/999999").status_code == 404
