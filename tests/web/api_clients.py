"""Clients of the JSON API: anonymous, or logged in with a role (through the real login form,
``web_helpers.login``) and sending the session's CSRF token from ``GET /api/session`` as
``X-CSRF-Token``, as an API client of a cookie session does."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.testclient import TestClient
from web_helpers import PASSWORD, SECRET, login

from directory.accounts import add_account
from directory.service import Directory
from web.app import create_app


def make_app(directory: Directory) -> Starlette:
    return create_app(directory, secret_key=SECRET)


def anonymous(app: Starlette) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


def logged_in(app: Starlette, role: str) -> TestClient:
    """A client logged in as the account ``test-<role>`` (made when missing)."""
    name = f"test-{role}"
    if app.state.accounts.get(name) is None:
        add_account(app.state.accounts, name, role, PASSWORD)
    client = login(TestClient(app, raise_server_exceptions=False), name)
    session = client.get("/api/session").json()
    assert session["user"] == {"name": name, "role": role}
    client.headers["X-CSRF-Token"] = session["csrf_token"]
    return client
