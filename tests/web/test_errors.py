"""``web.errors``: every error becomes the contract's JSON under /api and a Dutch page
elsewhere, with the right status and never a stack trace."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from directory.errors import (
    BackendUnavailable,
    Conflict,
    Detail,
    NotFound,
    ValidationError,
    WijkkaartError,
)
from web.errors import exception_handlers

RAISED: dict[str, Exception] = {
    "not-found": NotFound("geen activiteit met id 'x'"),
    "conflict": Conflict("iemand anders heeft dit net gewijzigd"),
    "invalid": ValidationError("", [Detail("email", "geen geldig e-mailadres", 3),
                                    Detail("naam", "is verplicht")]),
    "unavailable": BackendUnavailable("Neo4j op bolt://db:7687 reageert niet"),
    "domain": WijkkaartError("iets anders ging mis"),
    "forbidden": HTTPException(403),
    "bad": HTTPException(400, "de inhoud is geen geldige JSON"),
    "crash": RuntimeError("geheim: /srv/wijkkaart/config.py regel 12"),
}


async def fail(request: Request) -> Response:
    raise RAISED[request.path_params["what"]]


def _app(with_templates: bool = False) -> Starlette:
    routes = [Route("/{what}", fail, name="fail")]
    app = Starlette(routes=[Mount("/api", routes=routes), Mount("/pagina", routes=routes)],
                    exception_handlers=exception_handlers())
    if with_templates:
        from web.pages.base import make_templates

        app.state.templates = make_templates()
    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(_app(), raise_server_exceptions=False)


@pytest.mark.parametrize(("what", "status", "code"), [
    ("not-found", 404, "not_found"), ("conflict", 409, "conflict"),
    ("invalid", 422, "validation_error"), ("unavailable", 503, "backend_unavailable"),
    ("domain", 400, "bad_request"), ("forbidden", 403, "forbidden"), ("bad", 400, "bad_request"),
    ("crash", 500, "internal_error"),
])
def test_api_errors_have_the_contract_shape(client: TestClient, what: str, status: int,
                                            code: str) -> None:
    got = client.get(f"/api/{what}")
    assert got.status_code == status
    assert got.headers["content-type"] == "application/json"
    body = got.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)


def test_validation_details_name_line_field_and_reason(client: TestClient) -> None:
    details = client.get("/api/invalid").json()["error"]["details"]
    assert details == [{"line": 3, "field": "email", "message": "geen geldig e-mailadres"},
                       {"line": None, "field": "naam", "message": "is verplicht"}]


def test_messages_are_dutch_not_starlette_english(client: TestClient) -> None:
    assert client.get("/api/forbidden").json()["error"]["message"] == \
        "je hebt geen rechten voor deze handeling"
    assert client.get("/api/bad").json()["error"]["message"] == "de inhoud is geen geldige JSON"
    missing = client.get("/api/een/twee")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "deze pagina of dit item bestaat niet"
    wrong_method = client.post("/api/conflict")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"


def test_a_crash_shows_no_trace(client: TestClient) -> None:
    for path in ("/api/crash", "/pagina/crash"):
        got = client.get(path)
        assert got.status_code == 500
        assert "geheim" not in got.text and "Traceback" not in got.text
        assert "RuntimeError" not in got.text and ".py" not in got.text


def test_pages_get_plain_dutch_text_without_templates(client: TestClient) -> None:
    got = client.get("/pagina/not-found")
    assert got.status_code == 404 and got.headers["content-type"].startswith("text/plain")
    assert got.text.startswith("Fout 404: geen activiteit met id 'x'")
    invalid = client.get("/pagina/invalid")
    assert invalid.status_code == 422 and "email: geen geldig e-mailadres" in invalid.text


def test_pages_get_the_error_template() -> None:
    client = TestClient(_app(with_templates=True), raise_server_exceptions=False)
    got = client.get("/pagina/conflict")
    assert got.status_code == 409 and got.headers["content-type"].startswith("text/html")
    assert "iemand anders heeft dit net gewijzigd" in got.text
    crash = client.get("/pagina/crash")
    assert crash.status_code == 500 and "geheim" not in crash.text
