"""Wijkanalyse: population, partners, offer, teams, people and gaps of one area."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from directory import areas
from directory.analysis import STALE_AFTER_DAYS, analyse
from directory.errors import NotFound
from directory.service import Directory
from directory.vocabularies import ESSENTIAL_PARTNER_TYPES, LIFE_DOMAINS

from .smallregion import Small

DOMAINS = [term.key for term in LIFE_DOMAINS]


def gap_keys(result: dict[str, Any], kind: str) -> set[str]:
    return {g["key"] for g in result["gaps"] if g["kind"] == kind}


def gap_ids(result: dict[str, Any], kind: str, field: str) -> set[str]:
    return {g[field]["id"] for g in result["gaps"] if g["kind"] == kind}


def test_result_has_the_design_keys_and_is_json(demo: Directory) -> None:
    result = analyse(demo, "Lindenholt")
    assert set(result) >= {"area", "partners_by_type", "activities_by_domain", "gaps",
                           "people", "teams"}
    assert result["area"] == {"code": "WK026808", "name": "Lindenholt", "level": "wijk",
                              "population": areas.area("WK026808").population,  # CBS
                              "year": 2024}
    assert list(result["activities_by_domain"]) == DOMAINS
    for gap in result["gaps"]:
        assert gap["kind"] and gap["message"]
    json.dumps(result)


def test_lindenholt_lacks_financien_and_veiligheid(demo: Directory) -> None:
    result = analyse(demo, "WK026808")
    assert gap_keys(result, "leefgebied_zonder_aanbod") == {"financien", "veiligheid"}
    counts = result["activities_by_domain"]
    assert counts["financien"] == counts["veiligheid"] == 0
    assert counts["welzijn"] == 4 and counts["werk_dagbesteding"] == 2
    assert result["activities"] == 7
    messages = [g["message"] for g in result["gaps"]]
    assert "geen activiteit voor leefgebied Financiën" in messages
    assert "geen activiteit voor leefgebied Veiligheid" in messages


def test_nijmegen_oost_lacks_wonen_and_werk(demo: Directory) -> None:
    result = analyse(demo, "WK026802")
    assert gap_keys(result, "leefgebied_zonder_aanbod") == {"wonen", "werk_dagbesteding"}
    assert [t["id"] for t in result["teams"]] == ["team-nijmegen-oost"]
    assert result["teams"][0]["phase"] == 1


def test_dukenburg_has_the_full_offer(demo: Directory) -> None:
    result = analyse(demo, "Dukenburg")
    assert gap_keys(result, "leefgebied_zonder_aanbod") == set()
    assert result["activities"] == 17  # 18 in the demo, the Repair Café has stopped
    assert result["activities_by_domain"]["welzijn"] == 9


def test_gemeente_counts_every_wijk(demo: Directory) -> None:
    gemeente = analyse(demo, "GM0268")
    wijken = [analyse(demo, f"WK02680{n}") for n in range(1, 10)]
    assert gemeente["activities"] == sum(w["activities"] for w in wijken) == 51
    for key in DOMAINS:
        assert gemeente["activities_by_domain"][key] == sum(
            w["activities_by_domain"][key] for w in wijken)
    assert {t["id"] for t in gemeente["teams"]} == {"team-dukenburg", "team-nijmegen-oost"}
    assert gap_keys(gemeente, "leefgebied_zonder_aanbod") == set()


def test_essential_partner_types_missing(demo: Directory) -> None:
    result = analyse(demo, "WK196002")  # Beesd, West Betuwe
    assert gap_keys(result, "partnertype_ontbreekt") == {"huisarts", "woningcorporatie"}
    assert result["partners_by_type"]["sociaal_wijkteam"] == 1
    assert "geen ketenpartner van type Huisarts" in [g["message"] for g in result["gaps"]]
    assert [t["id"] for t in result["teams"]] == ["team-west-betuwe"]
    assert set(ESSENTIAL_PARTNER_TYPES) <= set(analyse(demo, "Dukenburg")["partners_by_type"])


def test_partners_are_ketenpartners_by_type(demo: Directory) -> None:
    result = analyse(demo, "Lindenholt")
    ids = {p["id"] for p in result["partners"]}
    assert {"org-hap-lindenholt", "org-swt-lindenholt", "org-werkplaats-draai"} <= ids
    assert "org-pro-persona" not in ids and "org-gemeente-nijmegen" not in ids
    assert sum(result["partners_by_type"].values()) == len(result["partners"])
    assert all(count > 0 for count in result["partners_by_type"].values())


def test_partners_without_a_current_contact_person(demo: Directory) -> None:
    result = analyse(demo, "Lindenholt")
    missing = gap_ids(result, "geen_contactpersoon", "organisation")
    assert "org-hap-lindenholt" in missing
    assert "org-diaconie-dukenburg" in missing
    assert "org-vrijwilligers-nijmegen" in missing  # Marco Bosman left in 2025
    assert "org-swt-lindenholt" not in missing


def test_contacts_not_verified_for_twelve_months(demo: Directory) -> None:
    result = analyse(demo, "Lindenholt")
    cutoff = (date.today() - timedelta(days=STALE_AFTER_DAYS)).isoformat()
    contacts = {p["id"]: p for p in result["people"] if p["role"] == "contactpersoon"}
    stale = {pid for pid, p in contacts.items()
             if not p["last_verified_on"] or p["last_verified_on"] < cutoff}
    assert gap_ids(result, "contact_niet_geverifieerd", "person") == stale
    for gap in result["gaps"]:
        if gap["kind"] == "contact_niet_geverifieerd":
            assert "niet gecontroleerd sinds" in gap["message"]


def test_people_are_current_contacts_and_members(demo: Directory) -> None:
    result = analyse(demo, "Lindenholt")
    roles = {(p["id"], p["role"]) for p in result["people"]}
    assert ("per-0029", "contactpersoon") in roles  # Margriet Lammers, SWT Lindenholt
    assert ("per-0076", "contactpersoon") in roles  # moved to SWT Lindenholt in 2024
    assert ("per-0004", "maatschappelijk_hulpverlener") in roles
    ids = {p["id"] for p in result["people"]}
    assert "per-0007" not in ids  # left the team
    assert "per-0044" not in ids  # left the Vrijwilligerscentrale


def test_unknown_area(demo: Directory) -> None:
    with pytest.raises(NotFound):
        analyse(demo, "WK999999")


def test_small_region_analysis(small: Small) -> None:
    d = small.directory
    result = analyse(d, "GM1960")
    assert result["area"]["population"] == 52948
    # the Tricht activity is known only by its postcode, yet it counts for the gemeente
    assert result["activities"] == 4
    assert result["activities_by_domain"] == {"wonen": 0, "welzijn": 2, "financien": 1,
                                              "werk_dagbesteding": 0, "zorg": 1,
                                              "veiligheid": 0}
    assert gap_keys(result, "partnertype_ontbreekt") == {"welzijn", "schuldhulp"}
    assert gap_ids(result, "geen_contactpersoon", "organisation") == {small["corp"]}
    assert gap_ids(result, "contact_niet_geverifieerd", "person") == {small["eline"]}
    people = {p["id"] for p in result["people"]}
    assert people == {small["eline"], small["henk"], small["nadia"], small["pieter"]}
    assert [t["id"] for t in result["teams"]] == [small["team"]]


def test_small_region_wijk_and_buurt(small: Small) -> None:
    d = small.directory
    geldermalsen = analyse(d, "WK196000")
    assert geldermalsen["activities"] == 2  # its own and its buurt's
    assert {p["id"] for p in geldermalsen["partners"]} == {small["swt"], small["corp"]}
    assert [t["id"] for t in geldermalsen["teams"]] == [small["team"]]  # serves the gemeente
    buurt = analyse(d, "BU19600001")
    assert buurt["area"]["level"] == "buurt" and buurt["activities"] == 1


def test_stale_contact_becomes_fresh_when_verified(small: Small) -> None:
    d = small.directory
    eline = d.get(small["eline"])
    d.update(eline.id, {"last_verified_on": date.today().isoformat()}, version=eline.version)
    result = analyse(d, "GM1960")
    assert gap_ids(result, "contact_niet_geverifieerd", "person") == set()
