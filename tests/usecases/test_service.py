"""The Directory service: create, update, relate, end, resolve, and places from postcodes."""

from __future__ import annotations

import pytest

from directory.analysis import analyse
from directory.errors import Conflict, NotFound, ValidationError
from directory.listing import list_nodes, show_node
from directory.model import today_iso
from directory.search import SearchQuery, search
from directory.service import Directory

from .smallregion import Small

# -- create and validation ---------------------------------------------------------------


def test_create_normalises_and_fills_defaults(directory: Directory) -> None:
    act = directory.create("Activity", {
        "title": "  Inloop   met koffie ", "life_domains": "welzijn, financiën",
        "target_groups": "18+, ouderen", "schedule": "ma t/m vr", "start_time": "9.30",
        "end_time": "11u30", "cost": "0", "postcode": "6535ab",
    })
    p = act.props
    assert act.id.startswith("act-") and act.version == 1
    assert p["title"] == "Inloop met koffie"
    assert p["life_domains"] == ["welzijn", "financien"]
    assert p["schedule"] == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert (p["start_time"], p["end_time"]) == ("09:30", "11:30")
    assert p["cost"] == "gratis"
    assert p["postcode"] == "6535 AB"
    assert p["status"] == "actief" and p["referral_needed"] is False


def test_create_person_normalises_contact_data(directory: Directory) -> None:
    person = directory.create("Person", {"name": "Jan de Boer", "phone": "06-12345678",
                                         "email": "Jan@Example.org"})
    assert person.props["phone"] == "+31612345678"
    assert person.props["email"].endswith("@example.org")
    org = directory.create("Organisation", {"name": "Buurthuis"})
    assert org.props["role"] == "ketenpartner" and org.props["partner_type"] == "overig"


def test_validation_reports_every_problem_in_dutch(directory: Directory) -> None:
    with pytest.raises(ValidationError) as caught:
        directory.create("Activity", {"title": "", "kleur": "rood", "postcode": "12345",
                                      "life_domains": "blabla", "start_time": "12:00",
                                      "end_time": "11:00"})
    problems = {d.field: d.message for d in caught.value.details}
    assert problems["kleur"] == "onbekend veld"
    assert "ongeldige postcode" in problems["postcode"]
    assert "geen bekende waarde voor leefgebied" in problems["life_domains"]
    assert "blabla" in problems["life_domains"]
    assert problems["title"] == "is verplicht"
    assert problems["end_time"] == "eindtijd 11:00 ligt niet na begintijd 12:00"
    assert directory.store.count_nodes() == 0


@pytest.mark.parametrize(("kind", "props", "field", "fragment"), [
    ("Organisation", {"name": "X", "kvk": "123"}, "kvk", "KvK-nummer moet 8 cijfers zijn"),
    ("Person", {"name": "Jan", "email": "geen-mail"}, "email", "ongeldig e-mailadres"),
    ("Person", {"name": "Jan", "phone": "abc"}, "phone", "ongeldig telefoonnummer"),
    ("Team", {"name": "T", "phase": 7}, "phase", "fase moet 0 t/m 3 zijn"),
    ("Organisation", {"name": "X", "partner_type": "bakkerij"}, "partner_type",
     "geen bekende waarde voor partnertype"),
    ("Agreement", {"summary": "zonder soort"}, "kind", "is verplicht"),
])
def test_validation_messages(directory: Directory, kind: str, props: dict[str, object],
                             field: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        directory.create(kind, props)
    assert any(d.field == field and fragment in d.message for d in caught.value.details)


def test_update_uses_optimistic_locking(directory: Directory) -> None:
    org = directory.create("Organisation", {"name": "Buurthuis", "phone": "024 1234567"})
    changed = directory.update(org.id, {"phone": None, "website": "buurthuis.nl"},
                               version=org.version)
    assert changed.version == 2
    assert "phone" not in changed.props
    assert changed.props["website"].startswith("https://")
    with pytest.raises(Conflict, match="intussen door iemand anders gewijzigd"):
        directory.update(org.id, {"name": "Ander"}, version=org.version)
    assert directory.get(org.id).props["name"] == "Buurthuis"


def test_update_rejects_invalid_changes(directory: Directory) -> None:
    org = directory.create("Organisation", {"name": "Buurthuis"})
    with pytest.raises(ValidationError):
        directory.update(org.id, {"email": "kapot"}, version=org.version)
    assert directory.get(org.id).version == 1


# -- relations ---------------------------------------------------------------------------


def test_relate_checks_kinds_of_both_ends(small: Small) -> None:
    d = small.directory
    with pytest.raises(ValidationError) as caught:
        d.relate("LIAISON_FOR", small["inloop"], small["swt"])
    message = str(caught.value)
    assert "LIAISON_FOR verbindt Person met Organisation" in message
    assert "Inloop met koffieochtend is een Activity" in message
    with pytest.raises(ValidationError, match="onbekende relatie 'BEVRIEND'"):
        d.relate("BEVRIEND", small["nadia"], small["pieter"])
    with pytest.raises(NotFound, match="org-bestaat-niet"):
        d.relate("WORKS_AT", small["nadia"], "org-bestaat-niet")


def test_relate_parses_dates_and_refuses_end_before_start(small: Small) -> None:
    d = small.directory
    edge = d.relate("WORKS_AT", small["pieter"], small["swt"], since="1-3-2020")
    assert edge.since == "2020-03-01" and edge.until is None and edge.id is not None
    assert d.relate("KNOWS", small["pieter"], small["henk"]).since == today_iso()
    with pytest.raises(ValidationError, match="einddatum"):
        d.check_edge(type(edge)("KNOWS", small["pieter"], small["eline"], since="2024-05-01",
                                until="2024-01-01"))


def test_end_relation_keeps_history(small: Small) -> None:
    d = small.directory
    edge = d.current(small["nadia"], ["LIAISON_FOR"])[0]
    ended = d.end_relation(edge.id)
    assert ended.until == today_iso() and not ended.current
    assert edge.id not in {e.id for e in d.current(small["nadia"], ["LIAISON_FOR"])}
    past = d.store.edges(small["nadia"], types=["LIAISON_FOR"], current=False)
    assert [e.id for e in past] == [edge.id]
    shown = show_node(d, small["nadia"])
    rel = next(r for r in shown["relations"] if r["id"] == edge.id)
    assert rel["until"] == today_iso() and rel["current"] is False
    with pytest.raises(Conflict, match="al beëindigd"):
        d.end_relation(edge.id)


def test_end_relation_refuses_date_before_start_and_unknown_id(small: Small) -> None:
    d = small.directory
    edge = d.current(small["eline"], ["WORKS_AT"])[0]
    with pytest.raises(ValidationError, match="einddatum ligt voor 2021-01-01"):
        d.end_relation(edge.id, "2020-12-31")
    assert d.store.get_edge(edge.id).until is None
    with pytest.raises(NotFound):
        d.end_relation(987654)


def test_end_relation_with_future_date_stays_current_until_then(small: Small) -> None:
    d = small.directory
    edge = d.current(small["henk"], ["WORKS_AT"])[0]
    ended = d.end_relation(edge.id, "2999-01-01")
    assert ended.current
    assert edge.id in {e.id for e in d.current(small["henk"], ["WORKS_AT"])}


# -- resolve -----------------------------------------------------------------------------


def test_resolve_by_id_code_and_name(small: Small) -> None:
    d = small.directory
    assert d.resolve(small["nadia"]).name == "Nadia Benali"
    assert d.resolve("gm1960").id == "GM1960"
    assert d.resolve(" WK196002 ").name == "Beesd"
    assert d.resolve("west betuwe").id == "GM1960"
    assert d.resolve("NADIA BENALI", "Person").id == small["nadia"]
    assert d.resolve("inloop met koffieochtend", "Activity").id == small["inloop"]
    assert d.resolve("Sociaal Team West Betuwe").id == small["swt"]


def test_resolve_folds_accents(directory: Directory) -> None:
    person = directory.create("Person", {"name": "Zeynep Çelik"})
    assert directory.resolve("zeynep celik").id == person.id


def test_resolve_errors(small: Small) -> None:
    d = small.directory
    with pytest.raises(NotFound, match="niets gevonden met id, code of naam 'Nergenshuizen'"):
        d.resolve("Nergenshuizen")
    with pytest.raises(NotFound):
        d.resolve("GM9999")
    with pytest.raises(NotFound, match="is geen"):
        d.resolve("GM1960", "Person")
    with pytest.raises(NotFound):
        d.resolve("Nadia Benali", "Organisation")


def test_resolve_ambiguous_name_lists_the_ids(small: Small) -> None:
    d = small.directory
    twin = d.create("Person", {"name": "nadia benali"})
    with pytest.raises(Conflict) as caught:
        d.resolve("Nadia Benali")
    message = str(caught.value)
    assert "niet eenduidig" in message
    assert small["nadia"] in message and twin.id in message
    assert d.resolve(twin.id).id == twin.id


def test_area_closure_includes_everything_within(small: Small) -> None:
    area, codes = small.directory.area_closure("West Betuwe")
    assert area.id == "GM1960"
    assert codes == {"GM1960", "WK196000", "BU19600001", "WK196002"}
    assert small.directory.area_closure("WK196000")[1] == {"WK196000", "BU19600001"}


# -- places from postcodes ---------------------------------------------------------------


def test_postcode_places_a_village_in_its_gemeente(directory: Directory) -> None:
    assert directory.init() > 3000
    assert directory.init() == 0  # idempotent
    org = directory.create("Organisation", {"name": "Dorpshuis De Kroon",
                                            "postcode": "4191ab"})
    assert org.props["gemeente"] == "GM1960"  # Geldermalsen lies in West Betuwe
    assert org.props["city"] == "Geldermalsen"
    assert org.props["lat"] == pytest.approx(51.88, abs=0.05)
    act = directory.create("Activity", {"title": "Koffie in De Kroon", "postcode": "4191 AB",
                                        "life_domains": "welzijn"})
    assert act.props["gemeente"] == "GM1960"
    # found through its gemeente before any wijk or buurt is known
    found = search(directory, SearchQuery(area="GM1960"))
    assert [item["id"] for item in found["items"]] == [act.id]
    assert found["items"][0]["gemeente"] == "GM1960"
    assert search(directory, SearchQuery(area="WK196000"))["total"] == 0
    assert search(directory, SearchQuery(area="GM0268"))["total"] == 0
    analysis = analyse(directory, "West Betuwe")
    assert analysis["activities_by_domain"]["welzijn"] == 1
    assert org.id in {p["id"] for p in analysis["partners"]}
    listed = list_nodes(directory, "activities", area="GM1960")
    assert [item["id"] for item in listed["items"]] == [act.id]


def test_user_given_place_is_kept_and_derived_gemeente_cannot_be_sent(
        directory: Directory) -> None:
    org = directory.create("Organisation", {"name": "Buurthuis", "postcode": "6535 AB",
                                            "city": "Nijmegen-Dukenburg", "lat": "51,81",
                                            "lon": "5.79", "gemeente": "GM0363"})
    assert org.props["gemeente"] == "GM0268"
    assert org.props["city"] == "Nijmegen-Dukenburg"
    assert (org.props["lat"], org.props["lon"]) == (51.81, 5.79)


def test_unknown_postcode_leaves_gemeente_empty(directory: Directory) -> None:
    org = directory.create("Organisation", {"name": "Postbus", "postcode": "1000 AA"})
    assert "gemeente" not in org.props


def test_changing_the_postcode_moves_gemeente_city_and_coordinates(
        directory: Directory) -> None:
    org = directory.create("Organisation", {"name": "Sociaal Team", "postcode": "4191 AB"})
    moved = directory.update(org.id, {"postcode": "6525 AB"}, version=org.version)
    assert moved.props["gemeente"] == "GM0268"
    assert moved.props["city"] == "Nijmegen"
    assert moved.props["lat"] == pytest.approx(51.82, abs=0.05)
    # the same PC4 written differently keeps what was there
    kept = directory.update(org.id, {"postcode": "6525ab", "city": "Heyendaal"},
                            version=moved.version)
    assert kept.props["city"] == "Heyendaal" and kept.props["lat"] == moved.props["lat"]
    again = directory.update(org.id, {"name": "Sociaal Team Oost"}, version=kept.version)
    assert again.props["city"] == "Heyendaal"


def test_a_gemeente_wins_over_its_own_wijk_of_the_same_name(demo: Directory) -> None:
    """"Beuningen" names the gemeente GM0209 and its wijk WK020901: the gemeente is meant.
    "Beek" (a gemeente in Limburg, a wijk of Berg en Dal) stays ambiguous."""
    assert demo.resolve("Beuningen").id == "GM0209"
    assert demo.resolve("beuningen", "Area").id == "GM0209"
    with pytest.raises(Conflict, match="niet eenduidig"):
        demo.resolve("Beek")
