"""Tests for importers.headers: folding, the built-in vocabulary and mapping files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from importers.headers import (
    FIELD_HEADERS,
    FIELDS,
    fold_header,
    load_mapping,
    lookup_header,
    map_headers,
)


@pytest.mark.parametrize(
    ("header", "folded"),
    [
        ("Leefgebied(en)", "leefgebieden"),
        ("E-mail", "email"),
        ("Zonder verwijzing", "zonderverwijzing"),
        ("  Café_Naam. ", "cafenaam"),
        ("KVK-NUMMER", "kvknummer"),
        ("Thema's", "themas"),
    ],
)
def test_fold_header(header: str, folded: str) -> None:
    assert fold_header(header) == folded


def test_every_field_has_headers_and_no_header_is_ambiguous() -> None:
    assert all(FIELD_HEADERS[field] for field in FIELDS)
    seen: dict[str, str] = {}
    for field, headers in FIELD_HEADERS.items():
        for header in headers:
            assert seen.setdefault(fold_header(header), field) == field, header


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Naam", "name"),
        ("ACTIVITEIT", "name"),
        ("Naam activiteit", "name"),
        ("Organisatienaam", "organisation"),
        ("Ketenpartner", "organisation"),
        ("Omschrijving", "description"),
        ("Leefgebied(en)", "life_domains"),
        ("Doelgroep(en)", "target_groups"),
        ("Dag(en)", "days"),
        ("Tijd", "time"),
        ("Starttijd", "start"),
        ("Van", "start"),
        ("Eindtijd", "end"),
        ("Tot", "end"),
        ("Kosten", "cost"),
        ("Verwijzing nodig", "referral_needed"),
        ("Aanmelding nodig", "referral_needed"),
        ("Zonder verwijzing", "no_referral"),
        ("Vrij toegankelijk", "no_referral"),
        ("Straat en huisnummer", "address"),
        ("Postcode", "postcode"),
        ("Woonplaats", "city"),
        ("Wijk", "area"),
        ("Gemeente", "area"),
        ("Contactpersoon", "contact"),
        ("Functie", "job_title"),
        ("Tel.", "phone"),
        ("Telefoonnummer", "phone"),
        ("E-mailadres", "email"),
        ("URL", "website"),
        ("Soort organisatie", "partner_type"),
        ("Categorie", "partner_type"),
        ("Type", "kind"),
        ("Soort", "kind"),
        ("Talen", "languages"),
        ("Rolstoeltoegankelijk", "accessibility"),
        ("Laatst gecontroleerd", "last_verified_on"),
        ("KvK-nummer", "kvk"),
        ("Kenmerk", "source_id"),
        ("external_id", "source_id"),
        ("last_verified_on", "last_verified_on"),
        ("Target group", "target_groups"),
        ("Organization", "organisation"),
    ],
)
def test_builtin_headers(header: str, field: str) -> None:
    assert lookup_header(header) == field


def test_map_headers_folds_accents_case_and_spaces() -> None:
    mapped, unknown = map_headers(
        ["NAAM", " organisatie ", "Leefgebied (en)", "Beschrijving", "Opmerkingen", "Ímail"]
    )
    assert mapped == {
        "NAAM": "name",
        " organisatie ": "organisation",
        "Leefgebied (en)": "life_domains",
        "Beschrijving": "description",
    }
    assert unknown == ["Opmerkingen", "Ímail"]


def test_user_mapping_wins_over_builtin_names() -> None:
    mapped, unknown = map_headers(
        ["Naam cursus", "Tijd", "Opmerkingen"],
        {"naam  CURSUS": "name", "Tijd": "start"},
    )
    assert mapped == {"Naam cursus": "name", "Tijd": "start"}
    assert unknown == ["Opmerkingen"]


def test_mapping_with_unknown_field_is_refused() -> None:
    with pytest.raises(ValueError, match="onbekend veld 'naampje'"):
        map_headers(["Naam"], {"Naam": "naampje"})


def test_two_headers_for_one_field_is_an_error() -> None:
    with pytest.raises(ValueError, match="'Naam' en 'Titel' horen allebei bij veld 'name'"):
        map_headers(["Naam", "Titel"])


def test_duplicate_via_user_mapping_is_an_error() -> None:
    with pytest.raises(ValueError, match="'Naam cursus' en 'Naam'"):
        map_headers(["Naam cursus", "Naam"], {"Naam cursus": "name"})


def test_area_may_repeat_and_is_numbered() -> None:
    mapped, _ = map_headers(["Wijk", "Naam", "Gemeente", "Buurt"])
    assert mapped == {"Wijk": "area", "Naam": "name", "Gemeente": "area_2", "Buurt": "area_3"}


# --- mapping files ------------------------------------------------------------


def test_load_mapping_json(tmp_path: Path) -> None:
    path = tmp_path / "koppeling.json"
    path.write_text(json.dumps({"Naam cursus": "name", "Wie": "Target_Groups"}), "utf-8")
    assert load_mapping(path) == {"Naam cursus": "name", "Wie": "target_groups"}


def test_load_mapping_equals_lines(tmp_path: Path) -> None:
    path = tmp_path / "koppeling.txt"
    path.write_text(
        "# kolomkop = veld\n\nNaam cursus = name\nWaar = address\nSoort = partner_type\n",
        "utf-8",
    )
    assert load_mapping(path) == {
        "Naam cursus": "name",
        "Waar": "address",
        "Soort": "partner_type",
    }


def test_load_mapping_csv_with_header_row_and_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "koppeling.csv"
    path.write_bytes('kolom;veld\r\n"Naam; cursus";name\r\nCafé;organisation\r\n'.encode("cp1252"))
    assert load_mapping(path) == {"Naam; cursus": "name", "Café": "organisation"}


def test_load_mapping_comma_csv(tmp_path: Path) -> None:
    path = tmp_path / "koppeling.csv"
    path.write_text("Naam cursus,name\nWanneer precies,days\n", "utf-8")
    assert load_mapping(path) == {"Naam cursus": "name", "Wanneer precies": "days"}


def test_load_mapping_unknown_field_names_field_and_line(tmp_path: Path) -> None:
    path = tmp_path / "koppeling.txt"
    path.write_text("Naam cursus = name\n\nWaar = plek\n", "utf-8")
    with pytest.raises(ValueError, match="regel 3: onbekend veld 'plek'"):
        load_mapping(path)


def test_load_mapping_json_unknown_field_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "koppeling.json"
    path.write_text('{\n  "Naam cursus": "name",\n  "Waar": "plek"\n}\n', "utf-8")
    with pytest.raises(ValueError, match="regel 3: onbekend veld 'plek'"):
        load_mapping(path)


def test_load_mapping_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "koppeling.json"
    path.write_text('{"Naam": "name",}', "utf-8")
    with pytest.raises(ValueError, match="regel 1: ongeldige JSON"):
        load_mapping(path)


def test_load_mapping_line_without_separator(tmp_path: Path) -> None:
    path = tmp_path / "koppeling.txt"
    path.write_text("Naam cursus = name\nzomaar wat\n", "utf-8")
    with pytest.raises(ValueError, match="regel 2: verwacht"):
        load_mapping(path)


def test_load_mapping_duplicate_header(tmp_path: Path) -> None:
    path = tmp_path / "koppeling.txt"
    path.write_text("Naam = name\nNaam = description\n", "utf-8")
    with pytest.raises(ValueError, match="regel 2: kolomkop 'Naam' staat er twee keer in"):
        load_mapping(path)
