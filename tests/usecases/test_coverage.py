"""Dekking: offer and partners per area, and the risks in the partner network."""

from __future__ import annotations

import json
from typing import Any

import pytest

import directory.coverage as coverage_module
from directory.coverage import coverage, network_risks
from directory.demo_data import AGREEMENTS, LIAISONS
from directory.model import today_iso
from directory.service import Directory

from .smallregion import Small

DENNIS = "per-0004"
NIJMEGEN_WIJKEN = [f"WK02680{n}" for n in range(1, 10)]


def risks_of(result: dict[str, Any] | list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    risks = result["risks"] if isinstance(result, dict) else result
    return [r for r in risks if r["kind"] == kind]


def row(result: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in result["areas"] if r["code"] == code)


def test_whole_country_has_the_design_keys_and_is_json(demo: Directory) -> None:
    result = coverage(demo)
    assert set(result) >= {"areas", "risks"}
    assert len(result["areas"]) == demo.store.count_nodes("Area") - 342  # every wijk
    for item in result["areas"][:50]:
        assert set(item) >= {"code", "name", "population", "activities_by_domain",
                             "partners_by_type"}
    for risk in result["risks"]:
        assert risk["kind"] and risk["message"]
    json.dumps(result)


def test_one_gemeente_has_a_row_per_wijk(demo: Directory) -> None:
    result = coverage(demo, "Nijmegen")
    assert [r["code"] for r in result["areas"]] == NIJMEGEN_WIJKEN
    lindenholt = row(result, "WK026808")
    assert lindenholt["name"] == "Lindenholt" and lindenholt["population"] > 10000
    assert set(lindenholt["activities_by_domain"]) == {"welzijn", "werk_dagbesteding",
                                                       "wonen", "zorg"}
    assert "financien" not in lindenholt["activities_by_domain"]
    dukenburg = row(result, "WK026807")
    assert dukenburg["activities_by_domain"]["welzijn"] == 9
    assert dukenburg["partners_by_type"]["huisarts"] >= 2
    assert sum(dukenburg["partners_by_type"].values()) >= 15
    # local partners (GPs, the wijkteam) count only where they work: the wijken differ
    oost = row(result, "WK026802")
    assert sum(oost["partners_by_type"].values()) < sum(dukenburg["partners_by_type"].values())


def test_rows_agree_with_the_whole_country(demo: Directory) -> None:
    everywhere = coverage(demo)
    nijmegen = coverage(demo, "GM0268")
    for code in NIJMEGEN_WIJKEN:
        assert row(everywhere, code) == row(nijmegen, code)


def test_activities_count_only_where_they_take_place(demo: Directory) -> None:
    """A gemeente-level activity is not counted for every wijk, just as in the wijkanalyse:
    the matrix and the analysis of each wijk agree."""
    from directory.analysis import analyse

    result = coverage(demo, "GM0214")  # Buren: the Mantelzorgcafé is placed in the gemeente
    assert len(result["areas"]) == 7
    for row in result["areas"]:
        analysed = analyse(demo, row["code"])["activities_by_domain"]
        assert row["activities_by_domain"] == {k: v for k, v in analysed.items() if v}


def test_wijk_without_wijken_is_its_own_row(demo: Directory) -> None:
    result = coverage(demo, "WK026808")
    assert [r["code"] for r in result["areas"]] == ["WK026808"]


def test_departure_risk_dennis_orphans_the_most_partners(demo: Directory) -> None:
    sole = {f"org-{slug}" for per, slug, _, until in LIAISONS if per == DENNIS and not until}
    sole -= {"org-talis", "org-swt-dukenburg"}  # shared with Anouk and Youssef
    for risks in (network_risks(demo), coverage(demo, "GM0268")["risks"]):
        departures = risks_of(risks, "vertrekrisico")
        top = departures[0]
        assert top["person"] == {"id": DENNIS, "kind": "Person", "name": "Dennis Boateng"}
        assert top["orphaned"] == len(sole) == 11
        assert {o["id"] for o in top["organisations"]} == sole
        assert all(r["orphaned"] <= top["orphaned"] for r in departures)
        assert "als Dennis Boateng vertrekt" in top["message"]
        assert [r["orphaned"] for r in departures] == sorted(
            (r["orphaned"] for r in departures), reverse=True)


def test_partners_hanging_on_one_member(demo: Directory) -> None:
    single = {r["organisation"]["id"]: r["person"]["id"]
              for r in risks_of(coverage(demo, "GM0268"), "een_relatiebeheerder")}
    assert single["org-hap-meijhorst"] == DENNIS
    assert single["org-zorgkring"] == "per-0002"
    assert "org-talis" not in single and "org-swt-dukenburg" not in single
    assert "org-hap-passewaaij" not in single  # Tiel is out of scope


def test_partners_without_any_liaison(demo: Directory) -> None:
    orphans = {r["organisation"]["id"] for r in risks_of(coverage(demo, "GM0268"),
                                                         "geen_relatiebeheerder")}
    # Lotte Gerritsen left at the end of 2024 without handing these over
    assert {"org-diaconie-dukenburg", "org-vrijwilligers-nijmegen"} <= orphans
    assert "org-wijkbewegen" not in orphans  # handed over to Sem Thijssen


def test_liaison_of_someone_who_left_the_team_does_not_count(demo: Directory) -> None:
    membership = demo.current("per-0002", ["MEMBER_OF"])[0]
    demo.end_relation(membership.id)  # Youssef leaves, his liaisons are not handed over
    risks = coverage(demo, "GM0268")["risks"]
    orphans = {r["organisation"]["id"] for r in risks_of(risks, "geen_relatiebeheerder")}
    assert {"org-ggd-gz", "org-zorgkring"} <= orphans
    single = {r["organisation"]["id"]: r["person"]["id"]
              for r in risks_of(risks, "een_relatiebeheerder")}
    assert single["org-swt-dukenburg"] == DENNIS
    assert not any(r["person"]["id"] == "per-0002" for r in risks_of(risks, "vertrekrisico"))
    top = risks_of(risks, "vertrekrisico")[0]
    assert top["person"]["id"] == DENNIS and top["orphaned"] == 12


def test_overdue_agreements(demo: Directory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coverage_module, "today_iso", lambda: "2026-01-15")
    overdue = risks_of(coverage(demo), "afspraak_evalueren")
    assert {r["agreement"]["id"] for r in overdue} == {"agr-002", "agr-004", "agr-008"}
    agr_008 = next(r for r in overdue if r["agreement"]["id"] == "agr-008")
    assert agr_008["review_on"] == "2024-12-31"
    assert "had op 2024-12-31 geëvalueerd moeten worden" in agr_008["message"]


def test_overdue_agreements_today(demo: Directory) -> None:
    expected = {row[0] for row in AGREEMENTS if row[5] < today_iso()}
    overdue = risks_of(network_risks(demo), "afspraak_evalueren")
    assert {r["agreement"]["id"] for r in overdue} == expected
    assert {"agr-002", "agr-004", "agr-008"} <= expected


def test_overdue_agreements_within_one_gemeente(demo: Directory,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coverage_module, "today_iso", lambda: "2026-01-15")
    nijmegen = {r["agreement"]["id"]
                for r in risks_of(coverage(demo, "GM0268"), "afspraak_evalueren")}
    tiel = {r["agreement"]["id"] for r in risks_of(coverage(demo, "Tiel"), "afspraak_evalueren")}
    assert nijmegen == {"agr-002"}
    assert tiel == {"agr-004", "agr-008"}


def test_ended_agreement_needs_no_review(demo: Directory,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coverage_module, "today_iso", lambda: "2026-01-15")
    agreed = demo.current("agr-008", ["AGREED"], direction="in")[0]
    demo.end_relation(agreed.id, "2025-12-31")
    overdue = {r["agreement"]["id"] for r in risks_of(coverage(demo), "afspraak_evalueren")}
    assert overdue == {"agr-002", "agr-004"}


def test_small_region_coverage(small: Small) -> None:
    d = small.directory
    result = coverage(d, "GM1960")
    assert [r["code"] for r in result["areas"]] == ["WK196000", "WK196002"]
    geldermalsen, beesd = result["areas"]
    # its buurt's inloop and its own spreekuur; Tricht is known only by postcode, so it
    # belongs to the gemeente and is not counted for any one wijk
    assert geldermalsen["activities_by_domain"] == {"financien": 1, "welzijn": 1}
    assert beesd["activities_by_domain"] == {"zorg": 1}
    assert geldermalsen["partners_by_type"] == {"sociaal_wijkteam": 1, "woningcorporatie": 1}
    assert beesd["partners_by_type"] == {"huisarts": 1, "sociaal_wijkteam": 1}
    risks = result["risks"]
    assert {r["organisation"]["id"] for r in risks_of(risks, "geen_relatiebeheerder")} == {
        small["corp"]}
    assert {r["organisation"]["id"] for r in risks_of(risks, "een_relatiebeheerder")} == {
        small["swt"]}
    assert risks_of(risks, "vertrekrisico") == []  # Nadia holds one partner alone


def test_postcode_only_partner_counts_for_its_gemeente(small: Small) -> None:
    d = small.directory
    lone = d.create("Organisation", {"name": "Schuldhulp Tricht", "partner_type": "schuldhulp",
                                     "postcode": "4196 AA"})
    result = coverage(d, "GM1960")
    assert all(r["partners_by_type"].get("schuldhulp") == 1 for r in result["areas"])
    orphans = {r["organisation"]["id"] for r in risks_of(result, "geen_relatiebeheerder")}
    assert lone.id in orphans
    # a partner with a known wijk is not counted elsewhere because of its postcode
    geldermalsen = coverage(d, "WK196000")["areas"][0]["partners_by_type"]
    assert "huisarts" not in geldermalsen  # Huisartsenpraktijk Beesd has a postcode in 4153
