"""The kwartiermaker's wijk page and logging in and out, in real Chromium: the gaps of the
wijkanalyse shown, a redacteur adding a partner with the quick form, a lezer seeing no form,
and the session ending on logout."""

from __future__ import annotations

from typing import Any

from browser_live import PASSWORD
from browser_pages import DUKENBURG
from browser_tabs import Tab

from directory.analysis import analyse
from directory.model import ORGANISATION

LINDENHOLT = "WK026808"  # in the demo: leefgebieden without activities, and other gaps


def test_wijk_page_shows_the_gaps_of_the_analysis(open_tab_as: Any) -> None:
    tab: Tab = open_tab_as("lezer")
    tab.goto(f"/wijk/{LINDENHOLT}")
    gaps = analyse(tab.server.directory, LINDENHOLT)["gaps"]
    shown = [t.strip() for t in tab.page.locator("ul.gaps li.gap").all_inner_texts()]
    assert shown == [g["message"] for g in gaps]
    assert tab.page.is_visible("ul.gaps")
    # the leefgebieden without activities are marked in the table, with a count of 0
    empty = sum(g["kind"] == "leefgebied_zonder_aanbod" for g in gaps)
    marked = tab.page.locator("tr.gap-row")
    assert empty > 0 and marked.count() == empty
    for i in range(empty):
        assert marked.nth(i).locator("td.num").inner_text().split()[0] == "0"
        assert marked.nth(i).locator(".gap-mark").is_visible()
    assert tab.page.locator("#nieuwe-partner").count() == 0  # a lezer may not add partners
    tab.snap("wijk-witte-vlekken")


def test_redacteur_adds_a_partner_with_the_quick_form(open_tab_as: Any) -> None:
    tab: Tab = open_tab_as("redacteur")
    tab.goto(f"/wijk/{DUKENBURG}")
    page = tab.page
    page.click("#nieuwe-partner summary")
    page.fill("#partner-naam", "Buurtkamer De Browser")
    page.select_option("#partner-soort", "overig")
    page.fill("#partner-postcode", "6535 AB")
    page.click("#nieuwe-partner button[type=submit]")
    page.wait_for_selector("#toegevoegd")
    assert page.url.endswith(f"/wijk/{DUKENBURG}") or f"/wijk/{DUKENBURG}?" in page.url
    assert "Buurtkamer De Browser" in page.inner_text("#toegevoegd")
    page.click("#toegevoegd a")
    page.wait_for_load_state()
    assert page.inner_text("h1").strip().endswith("Buurtkamer De Browser")
    stored = tab.server.directory.store.find_nodes(ORGANISATION,
                                                   {"name": "Buurtkamer De Browser"})
    assert [n.props.get("postcode") for n in stored] == ["6535 AB"]


def test_quick_form_refuses_an_empty_name_next_to_the_field(open_tab_as: Any) -> None:
    tab: Tab = open_tab_as("redacteur")
    tab.goto(f"/wijk/{DUKENBURG}")
    before = tab.server.directory.store.count_nodes(ORGANISATION)
    tab.page.click("#nieuwe-partner summary")
    tab.page.click("#nieuwe-partner button[type=submit]")
    tab.page.wait_for_selector("#partner-fout-naam")
    assert tab.page.get_attribute("#partner-naam", "aria-invalid") == "true"
    assert tab.server.directory.store.count_nodes(ORGANISATION) == before


def test_login_and_logout(tab: Tab) -> None:
    page = tab.page
    tab.goto(f"/wijk/{DUKENBURG}")  # needs a login: the app sends us to the form
    assert "/inloggen" in page.url
    page.fill("#naam", "lezer")
    page.fill("#wachtwoord", "niet-het-wachtwoord")
    page.click("form.stacked button[type=submit]")
    assert page.inner_text("#login-fout").strip() == "Naam of wachtwoord klopt niet."
    page.fill("#wachtwoord", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"**/wijk/{DUKENBURG}")  # back where we wanted to go
    assert "lezer" in page.inner_text(".account .who")
    cookie = next(c for c in page.context.cookies() if c["name"] == "wijkkaart_sessie")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    page.click(".account button[type=submit]")  # Uitloggen
    page.wait_for_load_state()
    assert page.locator(".account a[href='/inloggen']").is_visible()
    tab.goto(f"/wijk/{DUKENBURG}")
    assert "/inloggen" in page.url  # the session is gone

