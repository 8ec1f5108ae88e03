"""Search: the right local activities for a resident, ranked, with who to call."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from rapidfuzz import fuzz

from directory import areas
from directory.demo_data import ACTIVITIES, TEMPLATES
from directory.errors import Conflict, NotFound, ValidationError
from directory.search import SearchQuery, search
from directory.service import Directory

from .smallregion import Small

ITEM_KEYS = {"id", "title", "organisation", "areas", "life_domains", "days", "start", "end",
             "cost", "free", "referral_needed", "contact", "distance_km", "score"}


def find(d: Directory, **query: Any) -> dict[str, Any]:
    return search(d, SearchQuery(limit=0, **query))


def ids(result: dict[str, Any]) -> list[str]:
    return [item["id"] for item in result["items"]]


def titles(result: dict[str, Any]) -> list[str]:
    return [item["title"] for item in result["items"]]


def demo_ids(keep: Callable[[str, str], bool]) -> set[str]:
    """Ids of the active demo activities whose (template, area) pass ``keep``."""
    return {f"act-{n:04d}" for n, row in enumerate(ACTIVITIES, start=1)
            if not row[7] and keep(row[0], row[2])}


# -- shape -------------------------------------------------------------------------------


def test_result_has_the_design_keys_and_is_json(demo: Directory) -> None:
    result = search(demo, SearchQuery(text="koffie"))
    assert set(result) >= {"items", "total"}
    assert result["total"] == 19 and len(result["items"]) == 19
    for item in result["items"]:
        assert set(item) >= ITEM_KEYS
        assert item["organisation"]["kind"] == "Organisation"
        assert item["distance_km"] is None
    json.dumps(result)


def test_limit_and_offset_page_the_items(demo: Directory) -> None:
    everything = find(demo)
    assert everything["total"] == len(demo_ids(lambda key, area: True)) == 134
    first = search(demo, SearchQuery())
    assert len(first["items"]) == 20 and first["total"] == 134
    page = search(demo, SearchQuery(limit=5, offset=5))
    assert ids(page) == ids(everything)[5:10]


# -- free text ---------------------------------------------------------------------------


def test_inflection_schulden_finds_schuldhulpmaatje(demo: Directory) -> None:
    result = find(demo, text="schulden")
    schuldhulp = demo_ids(lambda key, area: key == "schuldmaatje")
    assert len(schuldhulp) == 6
    assert set(ids(result)[:6]) == schuldhulp
    assert titles(result)[0] == "Schuldhulpmaatje spreekuur"
    # "schulden" is only in the description of Grip op je geld: found, ranked lower
    assert "Cursus Grip op je geld" in titles(result)[6:]


def test_compound_koffie_finds_koffieochtend_title_matches_first(demo: Directory) -> None:
    result = find(demo, text="koffie")
    got = titles(result)
    inloop = [i for i, t in enumerate(got) if t == "Inloop met koffieochtend"]
    wandel = [i for i, t in enumerate(got) if t == "Wandelgroep De Stap"]  # "Na afloop koffie"
    assert len(inloop) == len(demo_ids(lambda key, area: key == "inloop")) == 15
    assert len(wandel) == 4
    assert max(inloop) < min(wandel)


def test_title_matches_rank_above_description_only_matches(directory: Directory) -> None:
    long_text = ("Elke week komen buurtbewoners samen in het buurthuis aan de Kerkstraat om "
                 "bij te praten, de krant te lezen en nieuwe mensen te ontmoeten.")
    title_hit = directory.create("Activity", {"title": "Koffieochtend",
                                              "description": long_text})
    description_hit = directory.create("Activity", {"title": "Buurtkamer",
                                                    "description": "Met koffie."})
    directory.create("Activity", {"title": "Schaakclub", "description": "Schaken."})
    result = find(directory, text="koffie")
    assert ids(result) == [title_hit.id, description_hit.id]
    assert result["items"][0]["score"] > result["items"][1]["score"]


@pytest.mark.parametrize("text", ["cafe", "café", "CAFÉ", "taalcafe"])
def test_diacritics_are_folded(demo: Directory, text: str) -> None:
    result = find(demo, text=text)
    assert "Taalcafé Dukenburg" in titles(result)
    assert "act-0003" in ids(result)


def test_taalcafe_ranks_taalcafes_first(demo: Directory) -> None:
    got = titles(find(demo, text="taalcafe"))
    taalcafes = demo_ids(lambda key, area: key == "taalcafe")
    assert all(t.startswith("Taalcafé") for t in got[:len(taalcafes)])


def test_small_typo_is_forgiven(demo: Directory) -> None:
    result = find(demo, text="wandelgreop")
    assert set(titles(result)) == {"Wandelgroep De Stap"}
    assert set(ids(result)) == demo_ids(lambda key, area: key == "wandel")


def test_typo_in_a_compound(demo: Directory) -> None:
    result = find(demo, text="schuldhulpmatje")
    assert titles(result) and set(titles(result)) == {"Schuldhulpmaatje spreekuur"}


def test_typo_score_is_the_closeness_of_each_terms_nearest_word_start(
        demo: Directory) -> None:
    # per term: the closest word start (a word's first len(term) + 2 letters), summed
    one = find(demo, text="wandelgreop")["items"]
    expected = fuzz.ratio("wandelgreop", "wandelgroep") / 100
    assert {item["score"] for item in one} == {round(expected, 4)}
    two = find(demo, text="wandelgreop stapx")["items"]
    assert {item["title"] for item in two} == {"Wandelgroep De Stap"}
    expected += fuzz.ratio("stapx", "stap") / 100
    assert {item["score"] for item in two} == {round(expected, 4)}
    # every term needs a close word: "wan" finds the walks, but no word starts like this
    assert find(demo, text="wandelgreop wanxxxxxxx")["total"] == 0


def test_nonsense_finds_nothing(demo: Directory) -> None:
    assert find(demo, text="xylofoonorkest")["total"] == 0
    assert find(demo, text="de het een")["total"] == 0


def test_organisation_name_finds_its_activities(demo: Directory) -> None:
    result = find(demo, text="Talis")
    assert set(ids(result)) >= demo_ids(lambda key, area: key == "woonspreekuur"
                                        and area == "WK026807")


# -- area --------------------------------------------------------------------------------


def test_gemeente_includes_everything_within(demo: Directory) -> None:
    result = find(demo, area="GM0268")
    nijmegen = demo_ids(lambda key, area: area.startswith(("WK0268", "GM0268")))
    assert set(ids(result)) == nijmegen
    assert "act-0001" in nijmegen and "act-0026" in nijmegen  # Dukenburg, Nijmegen-Oost
    assert all(a["code"].startswith("WK0268") for item in result["items"]
               for a in item["areas"])


@pytest.mark.parametrize("ref", ["WK026807", "wk026807", "Dukenburg", "dukenburg"])
def test_area_by_code_or_name(demo: Directory, ref: str) -> None:
    dukenburg = demo_ids(lambda key, area: area == "WK026807")
    assert set(ids(find(demo, area=ref))) == dukenburg
    assert "act-0018" not in dukenburg  # the stopped Repair Café


def test_area_without_activities_and_unknown_areas(demo: Directory) -> None:
    assert find(demo, area="GM0363")["total"] == 0  # Amsterdam: nothing in the demo
    with pytest.raises(NotFound):
        find(demo, area="Atlantis")
    with pytest.raises(Conflict, match="niet eenduidig"):
        find(demo, area="Beek")  # a gemeente in Limburg and a wijk of Berg en Dal


def test_activity_with_only_a_postcode_is_in_its_gemeente(demo: Directory) -> None:
    act = demo.create("Activity", {"title": "Wijkontbijt Meijhorst", "postcode": "6535 AB",
                                   "life_domains": "welzijn"})
    assert act.id in ids(find(demo, area="GM0268"))
    assert act.id in ids(find(demo, text="wijkontbijt", area="Nijmegen"))
    assert act.id not in ids(find(demo, area="WK026807"))  # no wijk known yet
    near = find(demo, near="6535", km=1)
    assert act.id in ids(near)


# -- near --------------------------------------------------------------------------------


def test_near_returns_everything_within_the_radius_nearest_first(demo: Directory) -> None:
    result = find(demo, near="6525", km=3)
    distances = [item["distance_km"] for item in result["items"]]
    assert distances == sorted(distances) and distances[-1] <= 3
    origin = areas.pc4_centroid("6525")
    assert origin is not None
    expected = set()
    for node in demo.store.find_nodes("Activity"):
        p = node.props
        km = areas.haversine_km(origin[0], origin[1], p["lat"], p["lon"])
        if km <= 3 and p["status"] == "actief":
            expected.add(node.id)
    assert set(ids(result)) == expected
    assert any(a["code"] == "WK026802" for item in result["items"] for a in item["areas"])
    assert not any(item["areas"][0]["code"].startswith("WK0296") for item in result["items"])


def test_near_accepts_a_full_postcode_and_grows_with_the_radius(demo: Directory) -> None:
    assert ids(find(demo, near="6525 AB", km=3)) == ids(find(demo, near="6525", km=3))
    assert find(demo, near="6525", km=10)["total"] > find(demo, near="6525", km=3)["total"]


def test_near_with_text_keeps_text_relevance(demo: Directory) -> None:
    result = find(demo, text="inloop", near="6535", km=5)
    in_title = ["inloop" in t.lower() for t in titles(result)]
    assert in_title.count(True) >= 2 and in_title.count(False) >= 1
    assert in_title == sorted(in_title, reverse=True)  # title matches first, then the rest
    assert all(item["distance_km"] <= 5 for item in result["items"])


@pytest.mark.parametrize(("query", "field"), [
    ({"near": "abcd"}, "near"),
    ({"near": "1000"}, "near"),
    ({"near": "6525", "km": 0}, "km"),
    ({"near": "6525", "km": 500}, "km"),
    ({"domains": ["tuinieren"]}, "domain"),
    ({"targets": ["katten"]}, "target"),
    ({"days": ["feestdag"]}, "day"),
    ({"limit": -1}, "limit"),
])
def test_invalid_filters_are_refused(demo: Directory, query: dict[str, Any],
                                     field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        search(demo, SearchQuery(**query))
    assert caught.value.details[0].field == field


# -- filters -----------------------------------------------------------------------------


def test_filters_combine(demo: Directory) -> None:
    result = find(demo, area="Dukenburg", domains=["financiën"], free=True, no_referral=True)
    # Grip op je geld needs a referral; the Repair Café has stopped
    assert sorted(titles(result)) == ["Digitaal Café", "Schuldhulpmaatje spreekuur"]
    assert ids(find(demo, area="Dukenburg", domains=["financien"])) != ids(result)


def test_domain_filter(demo: Directory) -> None:
    result = find(demo, area="WK026808", domains=["financien"])
    assert result["total"] == 0  # the planned gap in Lindenholt
    wonen = find(demo, area="GM0268", domains=["wonen"])
    assert wonen["total"] > 0 and all("wonen" in item["life_domains"]
                                      for item in wonen["items"])


@pytest.mark.parametrize("day", ["za", "zaterdag", "Saturday"])
def test_day_filter(demo: Directory, day: str) -> None:
    result = find(demo, area="GM0268", days=[day])
    assert all("za" in item["days"] for item in result["items"])
    assert "Moestuin Dukenburg" in titles(result)
    assert "Inloop met koffieochtend" not in titles(result)


def test_free_and_referral_filters(demo: Directory) -> None:
    dukenburg = find(demo, area="WK026807")
    free = find(demo, area="WK026807", free=True)
    assert "Zin in Zaterdag" in titles(dukenburg) and "Zin in Zaterdag" not in titles(free)
    assert all(item["free"] and item["cost"] == "gratis" for item in free["items"])
    open_ = find(demo, area="WK026807", no_referral=True)
    assert "Werkplaats hout en fiets" not in titles(open_)
    assert not any(item["referral_needed"] for item in open_["items"])


def test_target_group_filter_keeps_offers_for_everyone(demo: Directory) -> None:
    got = titles(find(demo, area="WK026807", targets=["LVB"]))
    assert "Ontmoetingsclub Samen Sterk" in got  # lvb
    assert "Spreekuur wijkagent" in got  # iedereen
    assert "Bewegen op recept" not in got  # 18plus, ouderen


def test_stopped_activities_only_on_request(demo: Directory) -> None:
    assert "act-0018" not in ids(find(demo, text="repair", area="Dukenburg"))
    stopped = find(demo, text="repair", area="Dukenburg", include_stopped=True)
    assert ids(stopped) == ["act-0018"]


# -- contact and warm contact ------------------------------------------------------------


def test_contact_person_with_warm_contact(demo: Directory) -> None:
    result = find(demo, text="schulden", area="Dukenburg")
    item = result["items"][0]
    assert item["id"] == "act-0002"
    assert item["organisation"]["name"] == "Schuldhulpmaatje Nijmegen"
    contact = item["contact"]
    assert contact["name"] == "Henk Brouwer" and contact["job_title"] == "Coördinator"
    assert contact["phone"] and contact["email"].endswith(".example")
    assert contact["known_by"] == [{"id": "per-0004", "name": "Dennis Boateng",
                                    "team": "WijkGGZ Nijmegen-Dukenburg"}]


def test_contact_details_can_be_hidden(demo: Directory) -> None:
    result = search(demo, SearchQuery(text="schulden", area="Dukenburg"),
                    show_contact_details=False)
    contact = result["items"][0]["contact"]
    assert "phone" not in contact and "email" not in contact
    assert contact["known_by"][0]["name"] == "Dennis Boateng"


def test_only_current_warm_contacts_of_current_members(demo: Directory) -> None:
    # Lotte Gerritsen knew Kerem until she left; Sem Thijssen took the contact over
    item = next(i for i in find(demo, text="wandelgroep", area="Dukenburg")["items"])
    assert item["contact"]["name"] == "Kerem Öztürk"
    assert [k["name"] for k in item["contact"]["known_by"]] == ["Sem Thijssen"]


def test_activity_without_contact(demo: Directory) -> None:
    item = find(demo, text="buurtmaaltijd", area="Dukenburg")["items"][0]
    assert item["id"] == "act-0012" and item["contact"] is None


def test_schedule_fields(demo: Directory) -> None:
    item = next(i for i in find(demo, area="Dukenburg")["items"] if i["id"] == "act-0001")
    assert item["days"] == ["ma", "wo"]
    assert (item["start"], item["end"]) == ("09:30", "11:30")
    assert item["title"] == TEMPLATES["inloop"][0]


def test_small_region_search(small: Small) -> None:
    d = small.directory
    result = find(d, area="GM1960")
    assert set(ids(result)) == {small["inloop"], small["schuld"], small["bewegen"],
                                small["dorp"]}
    # a buurt's activity counts for its wijk
    assert set(ids(find(d, area="Geldermalsen"))) == {small["inloop"], small["schuld"]}
    assert ids(find(d, area="BU19600001")) == [small["inloop"]]
    assert ids(find(d, text="koffie", area="GM1960"))[0] == small["inloop"]
