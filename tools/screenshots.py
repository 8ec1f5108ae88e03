"""Make the README's screenshots in ``docs/``: one PNG per journey, from the demo region in
headless Chromium, with the browser tests' set-up (``tests/browser/browser_live.py``).

Usage (from the repository root, with the test extra installed and Debian's ``chromium``)::

    python tools/screenshots.py [--out docs]

Nothing outside 127.0.0.1 is requested; the demo store is built in a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from browser_live import (  # noqa: E402
    LiveServer,
    build_demo_template,
    chromium_executable,
    demo_directory,
    launch_chromium,
    log_in,
)

VIEWPORT = {"width": 1200, "height": 800}


def _choose_three(page: Any) -> None:
    """From the results: tick three activities and make their meegeefkaart."""
    boxes = page.locator("ol.cards li.card .card-head input[type=checkbox]")
    for index in range(3):
        boxes.nth(index).check()
    page.click("form.results-form > button[type=submit]")
    page.wait_for_load_state()
    page.emulate_media(media="print")  # as it comes out of the printer


def _show_map(page: Any) -> None:
    page.wait_for_selector("#kaart .leaflet-marker-icon")
    page.locator("#kaart-blok").scroll_into_view_if_needed()


# (file name, role or None, path, what to do there before the picture)
Journey = tuple[str, str | None, str, Callable[[Any], None] | None]
JOURNEYS: list[Journey] = [
    ("zoeken", None, "/zoeken?q=koffie&gebied=GM0268", None),
    ("zoeken-kaart", None, "/zoeken?gebied=GM0268", _show_map),
    ("meegeefkaart", None, "/zoeken?gebied=GM0268&gratis=1", _choose_three),
    ("wijk", "redacteur", "/wijk/WK026808", None),
    ("dekking", "coordinator", "/dekking?gebied=GM0268", None),
    ("netwerk", "coordinator", "/netwerk?gebied=GM0268", None),
    ("overdracht", "coordinator", "/overdracht?van=per-0004&naar=per-0001", None),
    ("beheer", "beheerder", "/beheer", None),
    ("inloggen", None, "/inloggen", None),
]


def take(browser: Any, server: LiveServer, journey: Journey, out: Path) -> Path:
    name, role, path, action = journey
    context = browser.new_context(locale="nl-NL", viewport=VIEWPORT)
    try:
        page = context.new_page()
        if role:
            log_in(page, server, role)
        response = page.goto(server.url(path))
        page.wait_for_load_state("networkidle")
        if response is None or response.status != 200:
            raise RuntimeError(f"{path}: status {response.status if response else '?'}")
        if action:
            action(page)
            page.wait_for_load_state("networkidle")
        target = out / f"{name}.png"
        page.screenshot(path=str(target))
        return target
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Schermafbeeldingen voor de README maken.")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="map voor de PNG's")
    args = parser.parse_args(argv)
    executable, reason = chromium_executable()
    if executable is None:
        print(f"Geen browser: {reason}", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(demo_directory(build_demo_template(Path(folder)), Path(folder)))
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright, executable)
                for journey in JOURNEYS:
                    print(take(browser, server, journey, args.out).relative_to(ROOT)
                          if args.out.is_relative_to(ROOT) else journey[0])
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
