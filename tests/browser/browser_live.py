"""The browser set-up shared by the browser tests and ``tools/screenshots.py``: Debian's
Chromium found (never downloaded), a demo store copy with one account per role, and the app
served by uvicorn on 127.0.0.1 on a free port in a background thread."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory.accounts import ROLES, accounts_of, add_account
from directory.service import Directory
from graph.sqlite_store import SqliteStore

CHROMIUM_ENV = "WIJKKAART_CHROMIUM"
REQUIRE_ENV = "WIJKKAART_REQUIRE_BROWSER"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]
PASSWORD = "browser-wachtwoord-123"  # every test account has it; name = role
SECRET = "browser-test-secret-0123456789abcdef0123"


def browser_required() -> bool:
    """In CI (``CI=true``) or with ``WIJKKAART_REQUIRE_BROWSER=1`` a missing browser fails."""
    return (os.environ.get("CI", "").lower() == "true"
            or os.environ.get(REQUIRE_ENV) == "1")


def chromium_executable() -> tuple[str | None, str]:
    """The Chromium to drive (``WIJKKAART_CHROMIUM``, else Debian's), or None and why not."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return None, "the Python package 'playwright' is not installed (pip install '.[test]')"
    chosen = os.environ.get(CHROMIUM_ENV, "").strip()
    candidates = (chosen,) if chosen else CHROMIUM_CANDIDATES
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path, ""
    found = shutil.which("chromium")
    if found and not chosen:
        return found, ""
    return None, (f"no Chromium at {', '.join(candidates)} (install Debian's 'chromium' "
                  f"package, or set {CHROMIUM_ENV})")


def launch_chromium(playwright: Any, executable: str) -> Any:
    """Headless Chromium from ``executable`` (Playwright never downloads a browser here)."""
    return playwright.chromium.launch(executable_path=executable, headless=True,
                                      args=CHROMIUM_ARGS)


def demo_directory(template: Path, folder: Path) -> Directory:
    """A private copy of the demo store with one account per role (name = role)."""
    target = folder / "browser-demo.db"
    shutil.copy(template, target)
    directory = Directory(SqliteStore(str(target)), actor="browser")
    accounts = accounts_of(directory.store)
    for role in ROLES:
        if accounts.get(role) is None:
            add_account(accounts, role, role, PASSWORD)
    return directory


def build_demo_template(folder: Path) -> Path:
    """An SQLite file with the national areas and the demo region (for the script)."""
    from directory.demo_load import load_demo

    path = folder / "demo.db"
    store = SqliteStore(str(path))
    load_demo(Directory(store, actor="demo"))
    store.close()
    return path


@dataclass
class LiveServer:
    """The app served by uvicorn on 127.0.0.1 in a thread; ``url(path)`` gives addresses."""

    directory: Directory
    base: str = ""
    _server: Any = None
    _thread: threading.Thread | None = None
    _socket: socket.socket | None = field(default=None, repr=False)

    def start(self) -> LiveServer:
        import uvicorn

        from web.app import create_app

        app = create_app(self.directory, secret_key=SECRET)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))  # a free port, held from here on: no race
        port = sock.getsockname()[1]
        self._server = uvicorn.Server(config)
        self._socket = sock
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        daemon=True, name="wijkkaart-live")
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the web app did not start")
            time.sleep(0.02)
        self.base = f"http://127.0.0.1:{port}"
        return self

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self.directory.store.close()


def log_in(page: Any, server: LiveServer, name: str) -> None:
    """Log in through the real form (name = role, the shared password)."""
    page.goto(server.url("/inloggen"))
    page.fill("#naam", name)
    page.fill("#wachtwoord", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
