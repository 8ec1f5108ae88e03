"""Fixtures for the web app: an app on the demo region (SQLite, or each backend), clients
per role, and the login flow through the real form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from web_helpers import SECRET, ClientFor, login, password_hash

from directory.accounts import ROLES, StoredAccount, accounts_of
from directory.service import Directory
from graph.sqlite_store import SqliteStore
from web.app import create_app


@pytest.fixture
def sqlite_demo(demo_db: Path) -> Iterator[Directory]:
    """The demo region on SQLite only (fast): for page tests that are not about backends."""
    store = SqliteStore(str(demo_db))
    yield Directory(store, actor="tester")
    store.close()


def _app(directory: Directory) -> Starlette:
    app = create_app(directory, secret_key=SECRET)
    accounts = accounts_of(directory.store)
    for role in ROLES:  # hashed once per test session: argon2 is slow on purpose
        if accounts.get(role) is None:
            accounts.insert(StoredAccount(role, role, password_hash(), "2026-01-01T00:00:00"))
    return app


@pytest.fixture
def app(sqlite_demo: Directory) -> Starlette:
    """The app on the SQLite demo, with one account per role (named after the role)."""
    return _app(sqlite_demo)


@pytest.fixture
def demo_app(demo: Directory) -> Starlette:
    """The app on the demo region of each backend, with one account per role."""
    return _app(demo)


def _clients(app: Starlette) -> Iterator[ClientFor]:
    opened: list[TestClient] = []

    def client_for(role: str | None) -> TestClient:
        client = TestClient(app)
        client.__enter__()
        opened.append(client)
        return login(client, role) if role else client

    yield client_for
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client_for(app: Starlette) -> Iterator[ClientFor]:
    """``client_for(role)``: a client logged in with that role (None: anonymous)."""
    yield from _clients(app)


@pytest.fixture
def demo_client_for(demo_app: Starlette) -> Iterator[ClientFor]:
    """``client_for`` on each backend."""
    yield from _clients(demo_app)


@pytest.fixture
def client(client_for: ClientFor) -> TestClient:
    """An anonymous client on the SQLite demo."""
    return client_for(None)
