"""The worker's journey in a real browser: search, the results map, two activities chosen,
the meegeefkaart printed (print media, one PDF page) with exactly those two."""

from __future__ import annotations

import re

from browser_tabs import Tab

NIJMEGEN = "GM0268"


def search_nijmegen(tab: Tab) -> None:
    tab.goto("/zoeken")
    tab.page.fill("#gebied", NIJMEGEN)
    tab.page.click("#zoekformulier button[type=submit]")
    tab.page.wait_for_url(re.compile(r"/zoeken\?.*gebied=GM0268"))
    tab.page.wait_for_selector("ol.cards li.card")


def test_results_map_shows_one_marker_per_located_result(tab: Tab) -> None:
    search_nijmegen(tab)
    page = tab.page
    located = page.locator("ol.cards li.card[data-lat][data-lon]").count()
    assert located > 0
    page.wait_for_selector("#kaart .leaflet-marker-icon")
    assert page.is_visible("#kaart")
    assert page.locator("#kaart .leaflet-marker-icon").count() == located
    assert page.get_attribute("#kaart", "data-markers") == str(located)
    # no tile server configured: a plain background, no tile images at all
    assert page.locator("#kaart .leaflet-tile").count() == 0
    assert "map-plain" in (page.get_attribute("#kaart", "class") or "")
    # a marker names its activity, opens from the keyboard, and its popup links to it
    first_title = page.locator("ol.cards li.card[data-lat] h3 a").first.inner_text()
    page.locator(f'#kaart .leaflet-marker-icon[alt="{first_title}"]').first.focus()
    page.keyboard.press("Enter")
    popup_link = page.locator("#kaart .leaflet-popup-content a")
    assert popup_link.inner_text() == first_title
    assert (popup_link.get_attribute("href") or "").startswith("/activiteiten/")
    assert not tab.failed
    assert not tab.console_errors
    tab.snap("zoeken-kaart")


def marker_titles(tab: Tab) -> list[str]:
    return sorted(tab.page.eval_on_selector_all(
        "#kaart .leaflet-marker-icon", "icons => icons.map(i => i.alt)"))


def located_titles(tab: Tab) -> list[str]:
    return sorted(t.strip() for t in tab.page.locator(
        "ol.cards li.card[data-lat][data-lon] h3 a").all_inner_texts())


def test_map_follows_results_updated_in_place(tab: Tab) -> None:
    search_nijmegen(tab)
    page = tab.page
    page.wait_for_selector("#kaart .leaflet-marker-icon")
    assert marker_titles(tab) == located_titles(tab)
    heading = page.inner_text("#resultaten-kop")
    url = page.url
    page.fill("#q", "koffie")  # zoeken.js swaps the results without a reload
    page.wait_for_function(
        "old => document.getElementById('resultaten-kop').textContent.trim() !== old",
        arg=heading.strip())
    assert page.url != url and "q=koffie" in page.url
    page.wait_for_function("n => document.querySelectorAll("
                           "'#kaart .leaflet-marker-icon').length === n",
                           arg=len(located_titles(tab)))
    assert marker_titles(tab) == located_titles(tab)


def test_two_chosen_activities_make_the_meegeefkaart(tab: Tab) -> None:
    search_nijmegen(tab)
    page = tab.page
    cards = page.locator("ol.cards li.card")
    assert cards.count() >= 3
    chosen = []
    for index in (0, 2):
        card = cards.nth(index)
        card.locator(".card-head input[type=checkbox]").check()
        chosen.append(card.locator("h3").inner_text().strip())
    page.click("form.results-form > button[type=submit]")
    page.wait_for_url(re.compile(r"/meegeefkaart\?"))
    shown = [t.strip() for t in page.locator(".handout-item h2").all_inner_texts()]
    assert shown == chosen
    assert page.is_visible("#print-knop")  # meegeefkaart.js offers a print button

    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".handout-tools"):
        assert not page.is_visible(hidden), hidden
    assert page.locator(".handout-item").count() == 2
    assert all(page.locator(".handout-item").nth(i).is_visible() for i in range(2))
    tab.snap("meegeefkaart-print")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # one sheet for the resident


def test_search_by_keyboard_alone(tab: Tab) -> None:
    tab.goto("/zoeken")
    page = tab.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")  # "Naar de inhoud"
    assert page.evaluate("document.activeElement.id") == "inhoud"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("koffie")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken\?.*q=koffie"))
    assert "gevonden" in page.inner_text("#resultaten-kop")
