"""Tests for directory.vocabularies and directory.text."""

from __future__ import annotations

import pytest

from directory.text import fold
from directory.vocabularies import (
    ACTIVITY_STATUSES,
    AGREEMENT_KINDS,
    AREA_LEVELS,
    ESSENTIAL_PARTNER_TYPES,
    LIFE_DOMAINS,
    ORG_ROLES,
    PARTNER_TYPES,
    RRULE_DAYS,
    TARGET_GROUPS,
    TEAM_PHASES,
    TEAM_ROLES,
    WEEKDAYS,
    Term,
    Vocabulary,
)

ALL = [LIFE_DOMAINS, TARGET_GROUPS, PARTNER_TYPES, ORG_ROLES, TEAM_ROLES, AGREEMENT_KINDS,
       WEEKDAYS, ACTIVITY_STATUSES]


@pytest.mark.parametrize(("text", "expected"), [
    ("Financiën", "financien"),
    ("  Café   Zeist\t", "cafe zeist"),
    ("ÉÉN", "een"),
    ("", ""),
])
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(("vocabulary", "keys"), [
    (LIFE_DOMAINS, ["wonen", "welzijn", "financien", "werk_dagbesteding", "zorg", "veiligheid"]),
    (TARGET_GROUPS, ["18plus", "jongvolwassenen", "ouderen", "lvb", "verslaving", "epa",
                     "mantelzorgers", "nieuwkomers", "iedereen"]),
    (ORG_ROLES, ["ketenpartner", "moederorganisatie", "gemeente", "financier"]),
    (AGREEMENT_KINDS, ["aanmelden", "consultatie_advies", "terugkoppeling",
                       "casuistiekoverleg", "privacy_convenant"]),
    (WEEKDAYS, ["ma", "di", "wo", "do", "vr", "za", "zo"]),
    (ACTIVITY_STATUSES, ["actief", "gestopt"]),
])
def test_keys_in_design_order(vocabulary: Vocabulary, keys: list[str]) -> None:
    assert vocabulary.keys() == keys


def test_partner_types_are_the_22_of_the_design() -> None:
    assert len(PARTNER_TYPES) == 22
    assert PARTNER_TYPES.keys()[:4] == ["huisarts", "poh_ggz", "sociaal_wijkteam",
                                        "woningcorporatie"]
    assert PARTNER_TYPES.keys()[-1] == "overig"
    assert set(ESSENTIAL_PARTNER_TYPES) <= set(PARTNER_TYPES.keys())


def test_team_roles_and_constants() -> None:
    assert {"ervaringsdeskundige", "spv", "kwartiermaker", "psychiater"} <= set(TEAM_ROLES.keys())
    assert TEAM_PHASES == {0: "voorbereiding", 1: "kwartiermaken", 2: "outreachend",
                           3: "geborgd"}
    assert list(RRULE_DAYS) == WEEKDAYS.keys()
    assert list(RRULE_DAYS.values()) == ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    assert AREA_LEVELS == ("gemeente", "wijk", "buurt")


@pytest.mark.parametrize("vocabulary", ALL, ids=lambda v: v.name)
def test_every_key_label_and_synonym_matches_its_own_key(vocabulary: Vocabulary) -> None:
    for term in vocabulary:
        assert term.key.isascii() and term.key == term.key.lower()
        for text in (term.key, term.label, *term.synonyms):
            assert vocabulary.match(text) == term.key, text
            assert vocabulary.match(text.upper()) == term.key, text


@pytest.mark.parametrize(("vocabulary", "key", "label"), [
    (LIFE_DOMAINS, "financien", "Financiën"),
    (PARTNER_TYPES, "poh_ggz", "POH-GGZ"),
    (PARTNER_TYPES, "sociaal_wijkteam", "Sociaal wijkteam"),
    (WEEKDAYS, "wo", "woensdag"),
    (LIFE_DOMAINS, "onbekend", "onbekend"),
])
def test_label(vocabulary: Vocabulary, key: str, label: str) -> None:
    assert vocabulary.label(key) == label


def test_contains_is_about_keys() -> None:
    assert "financien" in LIFE_DOMAINS
    assert "Financiën" not in LIFE_DOMAINS
    assert "geld" not in LIFE_DOMAINS


@pytest.mark.parametrize(("vocabulary", "text", "key"), [
    (LIFE_DOMAINS, "financien", "financien"),
    (LIFE_DOMAINS, "FINANCIËN", "financien"),
    (LIFE_DOMAINS, "Schulden", "financien"),
    (LIFE_DOMAINS, "debt", "financien"),
    (LIFE_DOMAINS, "Werk & dagbesteding", "werk_dagbesteding"),
    (LIFE_DOMAINS, "werk-dagbesteding", "werk_dagbesteding"),
    (LIFE_DOMAINS, "Re integratie", "werk_dagbesteding"),
    (LIFE_DOMAINS, "sociale  contacten", "welzijn"),
    (TARGET_GROUPS, "18+", "18plus"),
    (TARGET_GROUPS, "Statushouders", "nieuwkomers"),
    (PARTNER_TYPES, "Buurtteam", "sociaal_wijkteam"),
    (PARTNER_TYPES, "kernteam", "sociaal_wijkteam"),
    (PARTNER_TYPES, "GP", "huisarts"),
    (PARTNER_TYPES, "Huisartsenpraktijk", "huisarts"),
    (PARTNER_TYPES, "poh ggz", "poh_ggz"),
    (TEAM_ROLES, "Sociaal psychiatrisch verpleegkundige", "spv"),
    (TEAM_ROLES, "MW", "maatschappelijk_hulpverlener"),
    (TEAM_ROLES, "maatschappelijk werker", "maatschappelijk_hulpverlener"),
    (AGREEMENT_KINDS, "Casuïstiek-overleg", "casuistiekoverleg"),
    (ACTIVITY_STATUSES, "beeindigd", "gestopt"),
    (WEEKDAYS, "Maandag", "ma"),
    (WEEKDAYS, "tue", "di"),
    (WEEKDAYS, "Woe", "wo"),
    (WEEKDAYS, "thursday", "do"),
    (WEEKDAYS, "zat", "za"),
])
def test_match(vocabulary: Vocabulary, text: str, key: str) -> None:
    assert vocabulary.match(text) == key


@pytest.mark.parametrize("text", ["", "   ", "-", "kunst", "financ"])
def test_match_unknown_is_none(text: str) -> None:
    assert LIFE_DOMAINS.match(text) is None


@pytest.mark.parametrize(("text", "keys", "unmatched"), [
    ("wonen, financien", ["wonen", "financien"], []),
    ("Wonen; geld / werk", ["wonen", "financien", "werk_dagbesteding"], []),
    ("wonen en zorg", ["wonen", "zorg"], []),
    ("housing and debt", ["wonen", "financien"], []),
    ("wonen + zorg | veiligheid", ["wonen", "zorg", "veiligheid"], []),
    ("wonen\nzorg", ["wonen", "zorg"], []),
    ("Werk en dagbesteding", ["werk_dagbesteding"], []),
    ("geld, schulden, budget", ["financien"], []),
    ("wonen, kunst en cultuur", ["wonen"], ["kunst", "cultuur"]),
    ("", [], []),
    (" , ; ", [], []),
])
def test_match_many(text: str, keys: list[str], unmatched: list[str]) -> None:
    assert LIFE_DOMAINS.match_many(text) == (keys, unmatched)


def test_match_many_keeps_plus_after_digits() -> None:
    assert TARGET_GROUPS.match_many("18+, ouderen en mantelzorg") == (
        ["18plus", "ouderen", "mantelzorgers"], [])
    assert TARGET_GROUPS.match_many("65+ / iedereen") == (["ouderen", "iedereen"], [])


def test_vocabulary_rejects_ambiguous_synonyms() -> None:
    with pytest.raises(ValueError, match="zorg"):
        Vocabulary("test", [Term("a", "A", ("zorg",)), Term("b", "B", ("Zorg",))])
    with pytest.raises(ValueError, match="duplicate"):
        Vocabulary("test", [Term("a", "A"), Term("a", "B")])


def test_vocabulary_is_extendable_as_data() -> None:
    extended = Vocabulary("leefgebied", [*LIFE_DOMAINS, Term("mobiliteit", "Mobiliteit",
                                                              ("vervoer",))])
    assert extended.match("Vervoer") == "mobiliteit"
    assert extended.match("geld") == "financien"
    assert "mobiliteit" not in LIFE_DOMAINS
