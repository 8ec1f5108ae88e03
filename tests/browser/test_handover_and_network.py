"""The coordinator's journeys in real Chromium: the handover wizard from choice to printed
document, and the network picture drawn by the vendored vis-network from the app's data."""

from __future__ import annotations

import re
from typing import Any

from browser_pages import DUKENBURG
from browser_tabs import Tab

LEAVING = "per-0004"  # the demo's Dukenburg worker who holds most relations alone


def test_handover_wizard_moves_the_relations_and_prints_the_document(
        open_tab_as: Any) -> None:
    tab: Tab = open_tab_as("coordinator")
    page = tab.page
    tab.goto("/overdracht")
    page.select_option("#van", LEAVING)
    successor = page.eval_on_selector(
        "#naar", "(s, leaving) => Array.from(s.options).map(o => o.value)"
                 ".find(v => v && v !== leaving)", LEAVING)
    page.select_option("#naar", successor)
    page.click(".handover-choice button[type=submit]")
    page.wait_for_selector(".handover-preview")
    moving = page.locator(".handover-preview tbody tr").count()
    assert moving > 0
    assert page.inner_text("#samenvatting").startswith(f"{moving} relatie")

    already = page.locator(".handover-preview tbody tr td", has_text="had deze relatie al")
    taken = moving - already.count()  # the successor keeps the ones they already had
    leaver = page.eval_on_selector("#van", "s => s.selectedOptions[0].text").split(" (")[0]
    heir = page.eval_on_selector("#naar", "s => s.selectedOptions[0].text").split(" (")[0]
    partner = page.get_attribute(".handover-preview tbody tr:first-child a[href]", "href")

    page.click(".handover-preview form button[type=submit]")  # Overdracht bevestigen
    page.wait_for_url(re.compile(r"/overdracht/document\?"))
    done = page.inner_text(".handover-document .alert-ok")
    assert re.search(rf"heeft vandaag {taken} relaties? overgenomen", done), done
    page.emulate_media(media="print")
    assert not page.is_visible(".site-header")
    assert page.is_visible(".handover-document h1")
    tab.snap("overdracht-document-print")

    tab.goto(f"/overdracht?van={LEAVING}&naar={successor}")  # nothing is left to move
    assert "niets over te dragen" in page.inner_text("#samenvatting")

    page.emulate_media(media="screen")
    tab.goto(str(partner))  # the partner's timeline: the old holder ended, the new one since
    history = page.inner_text(".tijdlijn")
    assert re.search(rf"tot [0-9-]+:\s*\S.*{re.escape(leaver)} \(overgedragen aan "
                     rf"{re.escape(heir)}\)", history), history
    assert re.search(rf"sinds [0-9-]+:\s*\S.*{re.escape(heir)} \(overgenomen van "
                     rf"{re.escape(leaver)}\)", history), history
    tab.snap("overdracht-tijdlijn")


def test_network_picture_is_drawn_from_the_apps_own_data(open_tab_as: Any) -> None:
    tab: Tab = open_tab_as("lezer")
    page = tab.page
    tab.goto(f"/netwerk?gebied={DUKENBURG}")
    page.wait_for_selector("#netwerk canvas")
    assert page.is_visible("#netwerk")
    page.wait_for_function("document.getElementById('netwerk-status').textContent"
                           ".startsWith('Netwerkplaat geladen')", timeout=30_000)
    shown = int(re.search(r"(\d+) knopen", page.inner_text("#netwerk-status")).group(1))
    assert shown > 10  # Dukenburg's team, members, partners and contacts
    painted = page.eval_on_selector(
        "#netwerk canvas", "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, "
                           "c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) "
                           "{ if (d[i] > 0) n++; } return n; }")
    assert painted > 1000  # the nodes and edges are really drawn, not an empty canvas
    assert any("/netwerk/data" in u for u in tab.requests)
    assert any("/static/vendor/vis-network/" in u for u in tab.requests)
    assert not tab.console_errors, tab.console_errors
    tab.snap("netwerk-plaat")
