"""Helpers for the web tests: the login flow through the real form and the CSRF token."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from starlette.testclient import TestClient

SECRET = "test-secret-key-0123456789abcdef0123456789"
PASSWORD = "een-goed-wachtwoord"

ClientFor = Callable[[str | None], TestClient]


@cache
def password_hash() -> str:
    """The argon2 hash of ``PASSWORD``, computed once."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(PASSWORD)


def token_of(client: TestClient) -> str:
    """The session's CSRF token, as the login page hands it out (creates the session)."""
    page = client.get("/inloggen")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "login page has no CSRF field"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    """Log in through the form; the client then carries the session cookie."""
    response = client.post("/inloggen", data={"naam": name, "wachtwoord": password,
                                              "csrf_token": token_of(client)},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


