"""The demo region's records: counts, referential integrity, vocabularies and determinism."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import phonenumbers
import pytest

from directory.demo import DEMO_GEMEENTEN, demo_records
from directory.demo_places import PC4_PLACES, find_place
from directory.model import AREA, EDGE_TYPES, KINDS, Edge, Node

ROOT = Path(__file__).resolve().parents[1]
SHARED_WIJKEN = Path("/work/shared/data/cbs/wijknamen_regio_2024.csv")
PACKAGED_AREAS = ROOT / "directory" / "data" / "areas_2024.csv"

LIFE_DOMAINS = {"wonen", "welzijn", "financien", "werk_dagbesteding", "zorg", "veiligheid"}
TARGET_GROUPS = {"18plus", "jongvolwassenen", "ouderen", "lvb", "verslaving", "epa",
                 "mantelzorgers", "nieuwkomers", "iedereen"}
PARTNER_TYPES = {
    "huisarts", "poh_ggz", "sociaal_wijkteam", "woningcorporatie", "welzijn", "vvt_thuiszorg",
    "politie", "sociale_dienst", "schuldhulp", "ggd", "gemeente", "specialistische_ggz",
    "verslavingszorg", "lvb_zorg", "begeleid_wonen", "ervaringsdeskundigen", "vrijwilligers",
    "sport", "bibliotheek", "levensbeschouwing", "zorgverzekeraar", "overig",
}
ROLES = {"ketenpartner", "moederorganisatie", "gemeente", "financier"}
TEAM_ROLES = {"ervaringsdeskundige", "maatschappelijk_hulpverlener", "spv", "regiebehandelaar",
              "kwartiermaker", "teamleider"}
AGREEMENT_KINDS = {"aanmelden", "consultatie_advies", "terugkoppeling", "casuistiekoverleg",
                   "privacy_convenant"}
DAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
POSTCODE = re.compile(r"^\d{4} [A-Z]{2}$")
ID_PATTERN = re.compile(r"^(org-[a-z0-9-]+|team-[a-z0-9-]+|per-\d{4}|act-\d{4}|agr-\d{3})$")


def _region_areas() -> set[str]:
    """CBS codes of the region's gemeenten and wijken."""
    codes: set[str] = set()
    if SHARED_WIJKEN.exists():
        with SHARED_WIJKEN.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["gemeentecode"] in DEMO_GEMEENTEN:
                    codes.update((row["wijkcode"], row["gemeentecode"]))
    else:
        with PACKAGED_AREAS.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                in_region = row["code"] in DEMO_GEMEENTEN or row["parent"] in DEMO_GEMEENTEN
                if in_region and row["level"] in ("gemeente", "wijk"):
                    codes.add(row["code"])
    return codes


@pytest.fixture(scope="module")
def records() -> tuple[list[Node], list[Edge]]:
    return demo_records()


@pytest.fixture(scope="module")
def by_id(records: tuple[list[Node], list[Edge]]) -> dict[str, Node]:
    return {node.id: node for node in records[0]}


def _kind(nodes: list[Node], kind: str) -> list[Node]:
    return [node for node in nodes if node.kind == kind]


def _is_iso(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def test_region_gemeenten_are_in_the_csv() -> None:
    areas = _region_areas()
    assert len(DEMO_GEMEENTEN) == 15
    assert all(code in areas for code in DEMO_GEMEENTEN)


def test_counts(records: tuple[list[Node], list[Edge]]) -> None:
    nodes, _ = records
    orgs = _kind(nodes, "Organisation")
    roles = Counter(org.props["role"] for org in orgs)
    assert len(_kind(nodes, "Team")) >= 3
    assert roles["moederorganisatie"] == 5
    assert roles["ketenpartner"] >= 40
    assert len(_kind(nodes, "Person")) >= 60
    assert len(_kind(nodes, "Activity")) >= 120
    assert len(_kind(nodes, "Agreement")) >= 5
    assert not _kind(nodes, AREA)
    names = {org.props["name"] for org in orgs}
    for moeder in ("Pro Persona", "IrisZorg", "RIBW Nijmegen & Rivierenland", "Pluryn", "Siza"):
        assert moeder in names


def test_ids_are_unique_stable_and_sourced(records: tuple[list[Node], list[Edge]]) -> None:
    nodes, _ = records
    ids = [node.id for node in nodes]
    assert len(ids) == len(set(ids))
    for node in nodes:
        assert ID_PATTERN.match(node.id), node.id
        assert node.kind in KINDS
        assert node.version == 0
        assert node.source == "demo" and node.source_id == node.id
    assert {"team-dukenburg", "team-tiel", "team-wijchen", "org-pro-persona"} <= set(ids)


def test_edges_connect_existing_nodes_of_the_right_kinds(
        records: tuple[list[Node], list[Edge]], by_id: dict[str, Node]) -> None:
    _, edges = records
    areas = _region_areas()

    def kind_of(ref: str) -> str:
        if ref in by_id:
            return by_id[ref].kind
        assert ref in areas, f"unknown node or area {ref}"
        return AREA

    for edge in edges:
        assert edge.type in EDGE_TYPES, edge.type
        assert (kind_of(edge.src), kind_of(edge.dst)) == EDGE_TYPES[edge.type], edge
        assert edge.id is None
        assert edge.since is not None and _is_iso(edge.since), edge
        if edge.until is not None:
            assert _is_iso(edge.until) and edge.until >= edge.since, edge
    keys = [(e.type, e.src, e.dst, e.since) for e in edges]
    assert len(keys) == len(set(keys))


def test_edge_properties(records: tuple[list[Node], list[Edge]]) -> None:
    _, edges = records
    for edge in edges:
        if edge.type == "WORKS_AT":
            assert set(edge.props) == {"job_title"} and edge.props["job_title"]
        elif edge.type == "MEMBER_OF":
            assert set(edge.props) == {"role", "hours_per_week"}
            assert edge.props["role"] in TEAM_ROLES
            assert isinstance(edge.props["hours_per_week"], int)
        elif edge.type == "KNOWS":
            assert set(edge.props) == {"last_contact_on", "note"}
            assert _is_iso(edge.props["last_contact_on"]) and edge.props["note"]
        else:
            assert edge.props == {}


def test_history_has_ended_relations(records: tuple[list[Node], list[Edge]]) -> None:
    _, edges = records
    ended = Counter(edge.type for edge in edges if edge.until is not None)
    assert ended["LIAISON_FOR"] >= 1
    assert ended["MEMBER_OF"] >= 1
    assert ended["WORKS_AT"] >= 1
    assert all(edge.until < "2026-01-01" for edge in edges if edge.until is not None)


def test_organisation_properties(records: tuple[list[Node], list[Edge]]) -> None:
    nodes, _ = records
    for org in _kind(nodes, "Organisation"):
        props = org.props
        assert props["role"] in ROLES
        assert props["partner_type"] in PARTNER_TYPES
        assert props["name"] and props["description"] and props["address"] and props["city"]
        assert props["website"].startswith("https://www.")
        assert props["email"].endswith(props["website"].removeprefix("https://www."))
        assert re.fullmatch(r"\d{8}", props["kvk"])
        assert isinstance(props["lat"], float) and isinstance(props["lon"], float)
    moeders = {org.props["partner_type"] for org in nodes
               if org.kind == "Organisation" and org.props["role"] == "moederorganisatie"}
    assert moeders <= {"specialistische_ggz", "verslavingszorg", "begeleid_wonen", "lvb_zorg"}
    types = Counter(org.props["partner_type"] for org in nodes
                    if org.kind == "Organisation" and org.props["role"] == "ketenpartner")
    assert len(types) >= 15


def test_phone_numbers_are_valid_dutch_numbers(records: tuple[list[Node], list[Edge]]) -> None:
    nodes, _ = records
    phones = [node.props["phone"] for node in nodes if "phone" in node.props]
    assert len(phones) >= 100
    for phone in phones:
        assert re.fullmatch(r"\+31\d{9}", phone), phone
        parsed = phonenumbers.parse(phone, "NL")
        assert phonenumbers.is_valid_number(parsed), phone
        assert phonenumbers.region_code_for_number(parsed) == "NL"


def test_postcodes_are_real_pc4s_of_the_gemeente(
        records: tuple[list[Node], list[Edge]]) -> None:
    nodes, edges = records
    area_of = {edge.src: edge.dst for edge in edges if edge.type == "IN_AREA"}
    home = {}  # the gemeente of the first area an organisation is active in: its base
    for edge in edges:
        if edge.type == "ACTIVE_IN":
            home.setdefault(edge.src, "GM" + edge.dst[2:6])
    for node in nodes:
        if "postcode" not in node.props:
            continue
        postcode = node.props["postcode"]
        assert POSTCODE.match(postcode), postcode
        assert postcode[5:] not in ("SA", "SD", "SS")
        area = area_of[node.id] if node.kind == "Activity" else home[node.id]
        gemeente = area if area.startswith("GM") else f"GM{area[2:6]}"
        matches = [(lat, lon) for gm, pc4, place, lat, lon in PC4_PLACES
                   if gm == gemeente and pc4 == postcode[:4]
                   and place.removesuffix(" Gld") == node.props["city"]]
        assert len(matches) == 1, (node.id, postcode, node.props["city"])
        lat, lon = matches[0]
        assert abs(node.props["lat"] - lat) < 0.01 and abs(node.props["lon"] - lon) < 0.01


def test_places_table_covers_the_region() -> None:
    assert {row[0] for row in PC4_PLACES} == set(DEMO_GEMEENTEN)
    assert find_place("GM1960", "4191")[0] == "Geldermalsen"
    assert find_place("GM0268", "6535")[0] == "Nijmegen"


def test_people(records: tuple[list[Node], list[Edge]]) -> None:
    nodes, edges = records
    people = _kind(nodes, "Person")
    for person in people:
        props = person.props
        assert set(props) == {"name", "job_title", "email", "phone", "last_verified_on"}
        assert re.fullmatch(r"[a-z]\.[a-z]+@[a-z0-9.-]+\.example", props["email"]), props["email"]
        assert _is_iso(props["last_verified_on"])
    old = sum(person.props["last_verified_on"] < "2025-11-01" for person in people)
    assert 0.05 * len(people) <= old <= 0.3 * len(people)
    members = {e.src for e in edges if e.type == "MEMBER_OF"}
    employed = {e.src for e in edges if e.type == "EMPLOYED_BY"}
    contacts = {e.src for e in edges if e.type == "WORKS_AT"}
    assert members == employed
    assert not members & contacts
    assert members | contacts == {person.id for person in people}


def test_activities(records: tuple[list[Node], list[Edge]]) -> None:
    nodes, edges = records
    activities = _kind(nodes, "Activity")
    days: set[str] = set()
    domains: set[str] = set()
    for act in activities:
        props = act.props
        match = re.fullmatch(r"FREQ=WEEKLY;BYDAY=([A-Z,]+)", props["schedule"])
        assert match, props["schedule"]
        byday = match.group(1).split(",")
        assert set(byday) <= DAYS
        days.update(byday)
        assert set(props["life_domains"]) <= LIFE_DOMAINS and props["life_domains"]
        assert set(props["target_groups"]) <= TARGET_GROUPS and props["target_groups"]
        domains.update(props["life_domains"])
        assert re.fullmatch(r"\d\d:\d\d", props["start_time"])
        assert props["start_time"] < props["end_time"]
        assert props["cost"] == "gratis" or props["cost"].startswith("€ ")
        assert isinstance(props["referral_needed"], bool)
        assert props["languages"] and set(props["languages"]) <= {"nl", "en", "ar"}
        assert props["status"] in ("actief", "gestopt")
        assert props["url"].startswith("https://")
    assert days == DAYS
    assert domains == LIFE_DOMAINS
    assert any(a.props["status"] == "gestopt" for a in activities)
    assert any(a.props["referral_needed"] for a in activities)
    assert len({a.props["cost"] for a in activities}) >= 4
    per_type = defaultdict(list)
    for edge in edges:
        if edge.src.startswith("act-"):
            per_type[edge.type].append(edge.src)
    ids = sorted(a.id for a in activities)
    assert sorted(per_type["OFFERED_BY"]) == ids
    assert sorted(per_type["IN_AREA"]) == ids
    assert len(per_type["CONTACT"]) >= 0.7 * len(ids)
    gemeenten = {a[2:6] for a in (e.dst for e in edges if e.type == "IN_AREA")}
    assert {f"GM{code}" for code in gemeenten} == set(DEMO_GEMEENTEN)


def test_gaps_are_left_in_some_wijken(records: tuple[list[Node], list[Edge]],
                                      by_id: dict[str, Node]) -> None:
    _, edges = records
    offered: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if edge.type == "IN_AREA":
            offered[edge.dst].update(by_id[edge.src].props["life_domains"])
    assert offered["WK026807"] == LIFE_DOMAINS
    assert {"financien", "veiligheid"}.isdisjoint(offered["WK026808"])
    assert {"wonen", "werk_dagbesteding"}.isdisjoint(offered["WK026802"])
    assert "veiligheid" not in offered["WK028101"]


def test_teams_agreements_and_serves(records: tuple[list[Node], list[Edge]],
                                     by_id: dict[str, Node]) -> None:
    nodes, edges = records
    for team in _kind(nodes, "Team"):
        assert team.props["phase"] in (0, 1, 2, 3)
        assert _is_iso(team.props["started_on"])
        assert any(e.type == "SERVES" and e.src == team.id for e in edges)
    agreements = _kind(nodes, "Agreement")
    for agreement in agreements:
        assert agreement.props["kind"] in AGREEMENT_KINDS
        assert agreement.props["summary"] and _is_iso(agreement.props["review_on"])
        assert [e.src for e in edges if e.type == "AGREED" and e.dst == agreement.id]
        assert [e.dst for e in edges if e.type == "WITH" and e.src == agreement.id]
    assert any(a.props["review_on"] < "2026-01-01" for a in agreements)
    kinds = {a.props["kind"] for a in agreements}
    assert kinds == AGREEMENT_KINDS
    assert by_id["team-nijmegen-oost"].props["phase"] == 1


def test_single_liaison_risks(records: tuple[list[Node], list[Edge]],
                              by_id: dict[str, Node]) -> None:
    nodes, edges = records
    current = [e for e in edges if e.type == "LIAISON_FOR" and e.until is None]
    liaisons: dict[str, set[str]] = defaultdict(set)
    for edge in current:
        liaisons[edge.dst].add(edge.src)
    partners = [o.id for o in nodes
                if o.kind == "Organisation" and o.props["role"] == "ketenpartner"]
    single = [p for p in partners if len(liaisons[p]) == 1]
    assert len(single) >= 5
    assert any(len(liaisons[p]) >= 2 for p in partners)
    assert any(not liaisons[p] for p in partners)
    load = Counter(edge.src for edge in current)
    assert load["per-0004"] >= 10 and load.most_common(1)[0][0] == "per-0004"
    # A member who left: her relations ended, one was handed over, one was not.
    ended = {e.dst for e in edges if e.type == "LIAISON_FOR" and e.src == "per-0007"}
    assert all(e.until for e in edges if e.type == "LIAISON_FOR" and e.src == "per-0007")
    assert liaisons["org-wijkbewegen"] == {"per-0022"}
    assert any(not liaisons[org] for org in ended)
    # Some partners have no current contact person at all.
    staffed = {e.dst for e in edges if e.type == "WORKS_AT" and e.until is None}
    assert len([p for p in partners if p not in staffed]) >= 3
    # Warm contacts run from team members to partner contacts.
    members = {e.src for e in edges if e.type == "MEMBER_OF"}
    for edge in edges:
        if edge.type == "KNOWS":
            assert edge.src in members and edge.dst not in members
            assert by_id[edge.dst].kind == "Person"


def test_part_of(records: tuple[list[Node], list[Edge]]) -> None:
    _, edges = records
    assert len([e for e in edges if e.type == "PART_OF"]) >= 3


def test_deterministic() -> None:
    first_nodes, first_edges = demo_records()
    second_nodes, second_edges = demo_records()
    assert [n.as_dict() for n in first_nodes] == [n.as_dict() for n in second_nodes]
    assert [e.as_dict() for e in first_edges] == [e.as_dict() for e in second_edges]
