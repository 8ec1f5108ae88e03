"""Every main page in real Chromium: it opens for its role, asks nothing of any server but
the app on 127.0.0.1, raises no script or CSP error, passes an axe-core scan without serious
or critical violations, and fits a phone screen. A screenshot of each is kept as an
artifact."""

from __future__ import annotations

from typing import Any

import pytest
from browser_pages import MAIN_PAGES, MainPage
from browser_tabs import Tab

SERIOUS = ("serious", "critical")
PHONE_PAGES = [p.name for p in MAIN_PAGES]


def open_page(tab: Tab, main: MainPage, *, settle: str = "load") -> None:
    response = tab.page.goto(main.url(tab.server))
    tab.page.wait_for_load_state(settle)  # "networkidle": also what scripts fetch later
    assert response is not None and response.status == 200, (main.name, response)
    assert "/inloggen" not in tab.page.url or main.route == "login"


@pytest.mark.parametrize("main", MAIN_PAGES, ids=[p.name for p in MAIN_PAGES])
def test_page_stays_inside_the_app_without_errors(open_tab_as: Any, main: MainPage) -> None:
    tab: Tab = open_tab_as(main.role)
    open_page(tab, main, settle="networkidle")
    assert tab.requests, "the tab saw no requests at all"
    assert not tab.outside_requests()
    assert not tab.failed, tab.failed
    assert not tab.console_errors, tab.console_errors  # CSP refusals show up here too
    tab.snap(main.name)


def serious_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] for n in v["nodes"][:5])
            for v in results.response["violations"] if v["impact"] in SERIOUS]


@pytest.mark.parametrize("main", MAIN_PAGES, ids=[p.name for p in MAIN_PAGES])
def test_page_has_no_serious_accessibility_violations(open_tab_as: Any, main: MainPage
                                                      ) -> None:
    tab: Tab = open_tab_as(main.role)
    open_page(tab, main)
    assert serious_violations(tab.page) == []


def horizontal_overflow(page: Any) -> int:
    return int(page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"))


WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (e.classList.length ? "." + Array.from(e.classList).join(".") : "");
  return Array.from(document.body.querySelectorAll("*"))
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 1)
    .slice(0, 5).map(e => name(e) + " (" + Math.round(e.getBoundingClientRect().right) + "px)");
}"""


@pytest.mark.parametrize("main", [p for p in MAIN_PAGES
                                  if p.name in PHONE_PAGES],
                         ids=lambda p: p.name)
def test_page_fits_a_phone_screen(open_tab_as: Any, main: MainPage) -> None:
    phone: Tab = open_tab_as(main.role, phone=True)
    open_page(phone, main)
    assert phone.page.viewport_size == {"width": 375, "height": 700}
    assert horizontal_overflow(phone.page) <= 0, phone.page.evaluate(WIDEST)
    phone.snap(f"telefoon-{main.name}")
