"""Fixtures for the browser tests: the app live on 127.0.0.1 (a fresh demo store copy, one
account per role), Debian's headless Chromium through Playwright, and a ``tab`` per test that
records every request and console error. Without Chromium these tests skip, except in CI
(``CI=true`` or ``WIJKKAART_REQUIRE_BROWSER=1``), where that is a failure."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_live import (
    LiveServer,
    browser_required,
    chromium_executable,
    demo_directory,
    launch_chromium,
    log_in,
)
from browser_tabs import Tab, open_tab


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium executable, or a skip (a failure in CI) saying why there is none."""
    path, reason = chromium_executable()
    if path is None:
        if browser_required():
            pytest.fail(f"browser tests are required here but cannot run: {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    return path


@pytest.fixture(scope="session")
def live_server(chromium: str, demo_template: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on a fresh copy of the demo store, served on 127.0.0.1 for the session."""
    server = LiveServer(demo_directory(demo_template, tmp_path_factory.mktemp("browser")))
    yield server.start()
    server.stop()


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch_chromium(playwright, chromium)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def session_of(browser: Any, live_server: LiveServer) -> Any:
    """``session_of(role)``: the browser storage state (cookies) of that role's account,
    logged in once through the real form and reused; None for anonymous."""
    states: dict[str, Any] = {}

    def state(role: str | None) -> Any:
        if role is None:
            return None
        if role not in states:
            login_tab = open_tab(browser, live_server)
            log_in(login_tab.page, live_server, role)
            states[role] = login_tab.page.context.storage_state()
            login_tab.page.context.close()
        return states[role]

    return state


@pytest.fixture
def tab(browser: Any, live_server: LiveServer) -> Iterator[Tab]:
    """A fresh browser context (no cookies) on the live app; after the test, nothing may
    have been requested outside 127.0.0.1."""
    opened = open_tab(browser, live_server)
    yield opened
    outside = opened.outside_requests()
    opened.page.context.close()
    assert not outside, f"requests outside the app: {outside}"


@pytest.fixture
def open_tab_as(browser: Any, live_server: LiveServer, session_of: Any) -> Iterator[Any]:
    """``open_tab_as(role, phone=False)``: a tab already logged in with that role (None:
    anonymous), optionally with a 375×700 phone viewport and touch; nothing it requested
    may be outside 127.0.0.1."""
    opened: list[Tab] = []

    def make(role: str | None, phone: bool = False) -> Tab:
        options: dict[str, Any] = {"storage_state": session_of(role)}
        if phone:
            options.update(viewport={"width": 375, "height": 700}, is_mobile=True,
                           has_touch=True, device_scale_factor=2)
        phone_tab = open_tab(browser, live_server, **options)
        opened.append(phone_tab)
        return phone_tab

    yield make
    outside = [u for t in opened for u in t.outside_requests()]
    for t in opened:
        t.page.context.close()
    assert not outside, f"requests outside the app: {outside}"
