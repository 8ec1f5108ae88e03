"""Security of the web app: headers, CSRF, the session cookie, login rate limiting,
session fixation, body size limits and the redirect after login."""

from __future__ import annotations

import io
import re

import pytest
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.testclient import TestClient
from web_helpers import PASSWORD, ClientFor, login, token_of

from directory.accounts import accounts_of, remove_account
from web.csrf import CSRF_HEADER
from web.pages.login import safe_next
from web.security import MAX_BODY_BYTES, SESSION_COOKIE, LoginLimiter, check_upload_size


@pytest.mark.parametrize("path", ["/", "/zoeken", "/static/wijkkaart.css", "/bestaat-niet",
                                  "/api/session", "/inloggen"])
def test_security_headers_everywhere(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    for part in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'",
                 "base-uri 'none'", "form-action 'self'"):
        assert part in csp
    assert "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client_for: ClientFor) -> None:
    client = client_for("beheerder")
    for path in ("/", "/zoeken?q=koffie", "/meegeefkaart?id=act-0014", "/wijk/GM0268",
                 "/organisaties/org-wijkbewegen", "/activiteiten/act-0014", "/inloggen"):
        html = client.get(path).text
        assert "<script>" not in html and "style=" not in html and "<style" not in html
        assert re.search(r"\son[a-z]+=", html) is None, path  # no inline event handlers
        loaded = re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="([^"]+)"', html)
        assert loaded and all(url.startswith("/static/") for url in loaded), path


def test_form_post_without_or_with_a_wrong_token_is_refused(client: TestClient) -> None:
    token_of(client)
    form = {"naam": "beheerder", "wachtwoord": PASSWORD}
    assert client.post("/inloggen", data=form).status_code == 403
    assert client.post("/inloggen", data=form | {"csrf_token": "vals"}).status_code == 403
    assert "csrf" not in client.cookies.get(SESSION_COOKIE, "")  # still not logged in
    assert client.get("/wijk/GM0268", follow_redirects=False).status_code == 303


def test_token_from_another_session_is_refused(client_for: ClientFor) -> None:
    other = token_of(client_for(None))
    client = client_for(None)
    token_of(client)
    response = client.post("/inloggen", data={"naam": "beheerder", "wachtwoord": PASSWORD,
                                              "csrf_token": other})
    assert response.status_code == 403


def test_api_write_with_a_session_needs_the_header(client_for: ClientFor) -> None:
    client = client_for("beheerder")
    response = client.post("/api/organisations", json={"name": "Nieuw"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    token = client.get("/api/session").json()["csrf_token"]
    accepted = client.post("/api/organisations", json={"name": "Nieuw"},
                           headers={CSRF_HEADER: token})
    assert accepted.status_code not in (401, 403)
    assert accepted.status_code == 201 and accepted.json()["name"] == "Nieuw"


def test_session_cookie_flags(app: Starlette) -> None:
    with TestClient(app) as client:
        token_of(client)
        cookie = client.get("/inloggen").headers.get("set-cookie") or _login_cookie(client)
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()
    with TestClient(app, base_url="https://testserver") as secure_client:
        cookie = _login_cookie(secure_client)
    assert "secure" in cookie.lower() and "httponly" in cookie.lower()


def _login_cookie(client: TestClient) -> str:
    response = client.post("/inloggen", data={"naam": "lezer", "wachtwoord": PASSWORD,
                                              "csrf_token": token_of(client)},
                           follow_redirects=False)
    assert response.status_code == 303
    return response.headers["set-cookie"]


def test_login_starts_a_fresh_session(client: TestClient) -> None:
    before_token = token_of(client)
    before_cookie = client.cookies[SESSION_COOKIE]
    login(client, "redacteur")
    assert client.cookies[SESSION_COOKIE] != before_cookie
    after_token = client.get("/api/session").json()["csrf_token"]
    assert after_token and after_token != before_token
    # the cookie from before the login does not carry the login
    with TestClient(client.app) as stranger:
        stranger.cookies.set(SESSION_COOKIE, before_cookie)
        assert stranger.get("/wijk/GM0268", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(client_for: ClientFor) -> None:
    client = client_for("lezer")
    assert client.get("/wijk/GM0268").status_code == 200
    client.post("/uitloggen", data={"csrf_token": token_of(client)})
    assert client.get("/wijk/GM0268", follow_redirects=False).status_code == 303


def test_removed_account_loses_access_at_once(client_for: ClientFor, app: Starlette) -> None:
    client = client_for("lezer")
    assert client.get("/wijk/GM0268").status_code == 200
    remove_account(accounts_of(app.state.directory.store), "lezer")
    assert client.get("/wijk/GM0268", follow_redirects=False).status_code == 303


def test_tampered_session_cookie_is_ignored(client_for: ClientFor) -> None:
    client = client_for("beheerder")
    value = client.cookies[SESSION_COOKIE]
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, value[:-2] + ("AA" if value[-2:] != "AA" else "BB"))
    assert client.get("/wijk/GM0268", follow_redirects=False).status_code == 303


def test_login_rate_limited_per_account_and_client(client: TestClient) -> None:
    def attempt(name: str, password: str) -> int:
        return client.post("/inloggen", data={"naam": name, "wachtwoord": password,
                                              "csrf_token": token_of(client)},
                           follow_redirects=False).status_code

    assert [attempt("lezer", "fout-wachtwoord") for _ in range(5)] == [401] * 5
    locked = client.post("/inloggen", data={"naam": "lezer", "wachtwoord": PASSWORD,
                                            "csrf_token": token_of(client)})
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert "Te veel mislukte pogingen" in locked.text
    assert attempt("redacteur", PASSWORD) == 303  # another account is not locked


def test_limiter_window_lockout_and_clients() -> None:
    now = [1000.0]
    limiter = LoginLimiter(limit=3, window=60, lockout=300, clock=lambda: now[0])
    for _ in range(2):
        limiter.failed("Anna", "10.0.0.1")
    assert limiter.wait_seconds("anna", "10.0.0.1") == 0
    now[0] += 61  # the earlier failures fall out of the window
    limiter.failed("anna", "10.0.0.1")
    assert limiter.wait_seconds("anna", "10.0.0.1") == 0
    limiter.failed("anna", "10.0.0.1")
    limiter.failed("anna", "10.0.0.1")
    assert limiter.wait_seconds("ANNA", "10.0.0.1") == 300
    assert limiter.wait_seconds("anna", "10.0.0.2") == 0
    now[0] += 299.5
    assert limiter.wait_seconds("anna", "10.0.0.1") == 1
    now[0] += 1
    assert limiter.wait_seconds("anna", "10.0.0.1") == 0
    limiter.failed("anna", "10.0.0.1")
    limiter.succeeded("anna", "10.0.0.1")
    limiter.failed("anna", "10.0.0.1")
    limiter.failed("anna", "10.0.0.1")
    assert limiter.wait_seconds("anna", "10.0.0.1") == 0


def test_too_large_body_is_refused(client: TestClient) -> None:
    token = token_of(client)
    response = client.post("/inloggen", data={"csrf_token": token,
                                              "naam": "x" * (MAX_BODY_BYTES + 10)})
    assert response.status_code == 413


@pytest.mark.parametrize("target,expected", [
    ("/zoeken?q=a", "/zoeken?q=a"), ("https://kwaad.example/", "/"), ("//kwaad.example", "/"),
    ("/\\kwaad.example", "/"), ("", "/"), (None, "/")])
def test_only_local_redirects_after_login(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_login_goes_back_where_it_was_asked(client: TestClient) -> None:
    response = client.post("/inloggen", data={
        "naam": "lezer", "wachtwoord": PASSWORD, "csrf_token": token_of(client),
        "volgende": "/wijk/GM0268"}, follow_redirects=False)
    assert response.headers["location"] == "/wijk/GM0268"


def test_no_stack_trace_in_error_pages(client: TestClient) -> None:
    response = client.get("/organisaties/%3Cscript%3E")
    assert response.status_code == 404
    assert "Traceback" not in response.text and "<script>" not in response.text


def test_upload_size_helper() -> None:
    upload = UploadFile(io.BytesIO(b"x" * 11), size=11, filename="lijst.csv")
    check_upload_size(upload, limit=11)
    with pytest.raises(HTTPException) as refused:
        check_upload_size(upload, limit=10)
    assert refused.value.status_code == 413


def test_a_crash_gets_the_security_headers_and_no_trace(app: Starlette,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("geheime details uit de opslag")

    monkeypatch.setattr("web.pages.search.search", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        got = client.get("/zoeken?q=koffie")
    assert got.status_code == 500
    assert "geheime details" not in got.text and "Traceback" not in got.text
    assert got.headers["content-security-policy"].startswith("default-src 'self'")
    assert got.headers["x-frame-options"] == "DENY"
    assert got.headers["cache-control"] == "no-store"
