"""A browser tab for the tests: a page in its own context that records every request,
failed response and console error, and saves screenshots as test artifacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from browser_live import LiveServer

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Tab:
    """A page in its own browser context, with what it asked for and what went wrong."""

    page: Any
    server: LiveServer
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # responses with status >= 400

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.server.url(path))
        self.page.wait_for_load_state("load")
        return response

    def outside_requests(self) -> list[str]:
        """Requests to anywhere but the app on 127.0.0.1 (``data:`` URLs stay in the page)."""
        return [u for u in self.requests
                if not u.startswith("data:") and urlsplit(u).hostname != "127.0.0.1"]

    def snap(self, name: str, *, full_page: bool = True) -> Path:
        """A screenshot as a test artifact (``tests/browser/artifacts/``, git-ignored)."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def _favicon(location: dict[str, Any]) -> bool:
    """Chromium asks for /favicon.ico on its own; the app has none (not a page error)."""
    return urlsplit(str(location.get("url", ""))).path == "/favicon.ico"


def open_tab(browser: Any, server: LiveServer, **options: Any) -> Tab:
    context = browser.new_context(locale="nl-NL", viewport=options.pop("viewport", DESKTOP),
                                  **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    tab = Tab(page, server)
    context.on("request", lambda request: tab.requests.append(request.url))
    page.on("console", lambda message: tab.console_errors.append(
        f"{message.text} ({message.location.get('url', '')})")
        if message.type == "error" and not _favicon(message.location) else None)
    page.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    context.on("response", lambda response: tab.failed.append(f"{response.status} {response.url}")
               if response.status >= 400 else None)
    return tab
