"""Tests for directory.validation: every accepted form and rejected forms with their message."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from directory.validation import (
    area_level,
    days_to_rrule,
    display_phone,
    is_free,
    normalise_area_code,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    normalise_url,
    parent_code,
    parse_bool,
    parse_cost,
    parse_date,
    parse_days,
    parse_float,
    parse_int,
    parse_time,
    parse_time_range,
    postcode_pc4,
    rrule_days,
)

WORKDAYS = ["ma", "di", "wo", "do", "vr"]
ALL_DAYS = [*WORKDAYS, "za", "zo"]


def rejects(func: object, value: object) -> pytest.ExceptionInfo[ValueError]:
    """Assert ``func(value)`` raises ValueError naming the bad value."""
    with pytest.raises(ValueError, match=re.escape(f"'{value}'")) as info:
        func(value)  # type: ignore[operator]
    return info


@pytest.mark.parametrize("text", ["6525ab", "6525 AB", " 6525-ab ", "6525  Ab", "6525AB"])
def test_postcode_accepts(text: str) -> None:
    assert normalise_postcode(text) == "6525 AB"


@pytest.mark.parametrize("text", ["0525 AB", "6525 SA", "6525sd", "6525 SS", "652 AB",
                                  "65255 AB", "6525 A", "6525 ABC", "ABCD 12", ""])
def test_postcode_rejects(text: str) -> None:
    info = rejects(normalise_postcode, text)
    assert "postcode" in str(info.value)


@pytest.mark.parametrize("text", ["6525", " 6525 ", "6525 AB", "6525ab", 6525])
def test_pc4(text: str | int) -> None:
    assert postcode_pc4(text) == "6525"


@pytest.mark.parametrize("text", ["0525", "652", "65255", "6525 SA", "Nijmegen"])
def test_pc4_rejects(text: str) -> None:
    rejects(postcode_pc4, text)


@pytest.mark.parametrize(("text", "e164"), [
    ("024 300 1234", "+31243001234"),
    ("024-3001234", "+31243001234"),
    ("(024) 300 12 34", "+31243001234"),
    ("+31 24 300 1234", "+31243001234"),
    ("0031243001234", "+31243001234"),
    ("06-12345678", "+31612345678"),
    ("+32 2 555 12 12", "+3225551212"),
])
def test_phone_accepts(text: str, e164: str) -> None:
    assert normalise_phone(text) == e164


@pytest.mark.parametrize("text", ["12345", "024 300", "bel ons", "06-1234", "+31 99 999 9999"])
def test_phone_rejects(text: str) -> None:
    info = rejects(normalise_phone, text)
    assert "telefoonnummer" in str(info.value)


@pytest.mark.parametrize(("e164", "shown"), [
    ("+31243001234", "024 300 1234"),
    ("+31612345678", "06 12345678"),
    ("+3225551212", "+32 2 555 12 12"),
    ("geen nummer", "geen nummer"),
])
def test_display_phone(e164: str, shown: str) -> None:
    assert display_phone(e164) == shown


@pytest.mark.parametrize(("text", "expected"), [
    ("info@example.nl", "info@example.nl"),
    ("  Info@Example.NL ", "info@example.nl"),
    ("jan.de.vries+wijk@sub.example.org", "jan.de.vries+wijk@sub.example.org"),
])
def test_email_accepts(text: str, expected: str) -> None:
    assert normalise_email(text) == expected


@pytest.mark.parametrize("text", ["info", "info@", "@example.nl", "in fo@example.nl",
                                  "info@example", "info@@example.nl"])
def test_email_rejects(text: str) -> None:
    info = rejects(normalise_email, text)
    assert "e-mailadres" in str(info.value)


@pytest.mark.parametrize(("text", "code", "level", "parent"), [
    ("GM0268", "GM0268", "gemeente", None),
    (" gm0268 ", "GM0268", "gemeente", None),
    ("WK026801", "WK026801", "wijk", "GM0268"),
    ("wk 0268 01", "WK026801", "wijk", "GM0268"),
    ("BU02680101", "BU02680101", "buurt", "WK026801"),
    ("bu02680101", "BU02680101", "buurt", "WK026801"),
])
def test_area_codes(text: str, code: str, level: str, parent: str | None) -> None:
    assert normalise_area_code(text) == code
    assert area_level(text) == level
    assert parent_code(text) == parent


def test_parent_chain() -> None:
    chain = ["BU02680101"]
    while (parent := parent_code(chain[-1])) is not None:
        chain.append(parent)
    assert chain == ["BU02680101", "WK026801", "GM0268"]


@pytest.mark.parametrize("text", ["GM268", "GM02681", "WK0268", "BU0268010", "XX0268",
                                  "0268", "Nijmegen", ""])
def test_area_code_rejects(text: str) -> None:
    info = rejects(normalise_area_code, text)
    assert "CBS-code" in str(info.value)


@pytest.mark.parametrize("value", [
    "2024-03-01", "1-3-2024", "01-03-2024", "1/3/2024", "01/03/2024", "1.3.2024",
    " 2024-3-1 ", "1 maart 2024", "1 mrt 2024", "2024-03-01 00:00:00",
    dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 14, 30),
])
def test_date_accepts(value: str | dt.date) -> None:
    assert parse_date(value) == "2024-03-01"


@pytest.mark.parametrize("text", ["31-2-2024", "2023-02-29", "1-13-2024", "32/1/2024"])
def test_date_rejects_impossible(text: str) -> None:
    info = rejects(parse_date, text)
    assert "bestaat niet" in str(info.value)


@pytest.mark.parametrize("text", ["1-3-24", "2024/03", "maart", "1-3/2024", "morgen", ""])
def test_date_rejects_malformed(text: str) -> None:
    info = rejects(parse_date, text)
    assert "ongeldige datum" in str(info.value)


def test_date_leap_day() -> None:
    assert parse_date("29-2-2024") == "2024-02-29"


@pytest.mark.parametrize(("value", "expected"), [
    ("9:30", "09:30"), ("09:30", "09:30"), ("09.30", "09:30"), ("9u30", "09:30"),
    ("9U30", "09:30"), ("9u", "09:00"), ("9", "09:00"), ("0930", "09:30"), ("930", "09:30"),
    ("9:30 uur", "09:30"), ("9.30u", "09:30"), ("9h30", "09:30"), ("09:30:00", "09:30"),
    ("23:59", "23:59"), ("0:00", "00:00"), ("2 pm", "14:00"), ("12am", "00:00"),
    (dt.time(9, 30), "09:30"), (dt.datetime(2024, 1, 1, 9, 30), "09:30"),
])
def test_time_accepts(value: str | dt.time, expected: str) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize("text", ["25:00", "9:75", "24:00", "2575"])
def test_time_rejects_impossible(text: str) -> None:
    info = rejects(parse_time, text)
    assert "tijd" in str(info.value)


@pytest.mark.parametrize("text", ["", "negen uur", "9:3", "9-30", "9:30:00:00", "13 pm"])
def test_time_rejects_malformed(text: str) -> None:
    rejects(parse_time, text)


@pytest.mark.parametrize(("text", "expected"), [
    ("9:30-11:00", ("09:30", "11:00")),
    ("9.30 - 11.00 uur", ("09:30", "11:00")),
    ("van 9u30 tot 11u", ("09:30", "11:00")),
    ("9:30 – 11:00", ("09:30", "11:00")),
    ("14-16", ("14:00", "16:00")),
    ("from 9:30 to 11:00", ("09:30", "11:00")),
])
def test_time_range_accepts(text: str, expected: tuple[str, str]) -> None:
    assert parse_time_range(text) == expected


@pytest.mark.parametrize("text", ["11:00-9:30", "9:30-9:30", "9:30", "9:30-", "9-10-11"])
def test_time_range_rejects(text: str) -> None:
    rejects(parse_time_range, text)


def test_time_range_end_before_start_message() -> None:
    with pytest.raises(ValueError, match="eindtijd ligt niet na begintijd"):
        parse_time_range("11:00-9:30")


@pytest.mark.parametrize(("text", "expected"), [
    ("ma t/m vr", WORKDAYS),
    ("ma-vr", WORKDAYS),
    ("ma - vr", WORKDAYS),
    ("maandag tot en met woensdag", ["ma", "di", "wo"]),
    ("Maandag t/m Woensdag", ["ma", "di", "wo"]),
    ("di en do", ["di", "do"]),
    ("ma, wo, vr", ["ma", "wo", "vr"]),
    ("vr, ma, wo, ma", ["ma", "wo", "vr"]),
    ("ma/wo;vr", ["ma", "wo", "vr"]),
    ("Monday", ["ma"]),
    ("Mon-Fri", WORKDAYS),
    ("monday to wednesday", ["ma", "di", "wo"]),
    ("Tuesdays and Thursdays", ["di", "do"]),
    ("elke dinsdag", ["di"]),
    ("dinsdagochtend", ["di"]),
    ("woensdagmiddag en vrijdagavond", ["wo", "vr"]),
    ("'s maandags", ["ma"]),
    ("zondagen", ["zo"]),
    ("werkdagen", WORKDAYS),
    ("doordeweeks", WORKDAYS),
    ("weekend", ["za", "zo"]),
    ("in het weekend", ["za", "zo"]),
    ("dagelijks", ALL_DAYS),
    ("elke dag", ALL_DAYS),
    ("Daily", ALL_DAYS),
    ("vr t/m zo", ["vr", "za", "zo"]),
    ("za-ma", ["ma", "za", "zo"]),
    ("woe", ["wo"]),
    ("ma, weekend", ["ma", "za", "zo"]),
])
def test_days_accepts(text: str, expected: list[str]) -> None:
    assert parse_days(text) == expected


@pytest.mark.parametrize(("text", "bad"), [
    ("ma, feestdag", "feestdag"),
    ("soms", "soms"),
    ("ma t/m", "ma t/m"),
    ("t/m vr", "t/m vr"),
    ("ma-xyz", "xyz"),
])
def test_days_rejects(text: str, bad: str) -> None:
    with pytest.raises(ValueError, match=re.escape(bad)):
        parse_days(text)


def test_days_rejects_empty() -> None:
    with pytest.raises(ValueError, match="geen dagen"):
        parse_days("  ")


@pytest.mark.parametrize(("days", "rrule"), [
    (["ma", "wo"], "FREQ=WEEKLY;BYDAY=MO,WE"),
    (["wo", "ma", "wo"], "FREQ=WEEKLY;BYDAY=MO,WE"),
    (["zo"], "FREQ=WEEKLY;BYDAY=SU"),
    (["dinsdag", "Friday"], "FREQ=WEEKLY;BYDAY=TU,FR"),
])
def test_days_to_rrule(days: list[str], rrule: str) -> None:
    assert days_to_rrule(days) == rrule
    assert rrule_days(rrule) == sorted(set(parse_days(", ".join(days))), key=ALL_DAYS.index)


def test_days_to_rrule_rejects() -> None:
    with pytest.raises(ValueError, match="xx"):
        days_to_rrule(["ma", "xx"])
    with pytest.raises(ValueError, match="geen dagen"):
        days_to_rrule([])


@pytest.mark.parametrize(("rrule", "days"), [
    ("FREQ=WEEKLY;BYDAY=MO,WE", ["ma", "wo"]),
    ("RRULE:FREQ=WEEKLY;BYDAY=FR,MO", ["ma", "vr"]),
    ("rrule:freq=weekly;byday=tu", ["di"]),
    ("FREQ=MONTHLY;BYDAY=1TU", ["di"]),
    ("FREQ=MONTHLY;BYDAY=-1FR,2MO", ["ma", "vr"]),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20241231T000000Z", ["do"]),
    ("FREQ=DAILY", ALL_DAYS),
    ("FREQ=DAILY;COUNT=10", ALL_DAYS),
    ("FREQ=DAILY;BYDAY=SA,SU", ["za", "zo"]),
    ("FREQ=WEEKLY", []),
    ("DTSTART:20240301T093000\nRRULE:FREQ=WEEKLY;BYDAY=WE", ["wo"]),
])
def test_rrule_days(rrule: str, days: list[str]) -> None:
    assert rrule_days(rrule) == days


@pytest.mark.parametrize("rrule", [
    "", "BYDAY=MO", "FREQ=SOMETIMES", "FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;BYDAY=",
    "FREQ=WEEKLY;FREQ=DAILY", "FREQ=WEEKLY;COLOR=RED", "FREQ=WEEKLY;INTERVAL=0",
    "FREQ=WEEKLY;UNTIL=morgen", "elke maandag",
])
def test_rrule_days_rejects(rrule: str) -> None:
    info = rejects(rrule_days, rrule)
    assert "RRULE" in str(info.value)


@pytest.mark.parametrize(("value", "expected"), [
    ("ja", True), ("JA", True), ("j", True), ("yes", True), ("Y", True), ("x", True),
    ("X", True), ("1", True), ("true", True), ("Waar", True), ("✓", True), (True, True),
    (1, True),
    ("nee", False), ("N", False), ("no", False), ("0", False), ("False", False),
    ("onwaar", False), (False, False), (0, False),
    ("", None), ("  ", None), (None, None),
])
def test_bool_accepts(value: str | bool | int | None, expected: bool | None) -> None:
    assert parse_bool(value) is expected


@pytest.mark.parametrize("text", ["misschien", "2", "jaa", "soms"])
def test_bool_rejects(text: str) -> None:
    info = rejects(parse_bool, text)
    assert "ja/nee" in str(info.value)


@pytest.mark.parametrize("value", [
    "gratis", "Gratis", "GRATIS!", "0", "€0", "€ 0,00", "€ 0,-", "0 euro", "0.00", "free",
    "Free of charge", "geen kosten", "Geen kosten.", "kosteloos", 0, 0.0,
])
def test_cost_free(value: str | int | float) -> None:
    assert parse_cost(value) == "gratis"
    assert is_free(value) is True  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "expected"), [
    ("€ 2,50 per keer", "€ 2,50 per keer"),
    ("  €  2,50   per keer ", "€ 2,50 per keer"),
    ("eigen bijdrage", "eigen bijdrage"),
    ("€ 10", "€ 10"),
    (2.5, "€ 2,50"),
    ("", ""),
    (None, ""),
])
def test_cost_other(value: str | float | None, expected: str) -> None:
    assert parse_cost(value) == expected
    assert is_free(parse_cost(value)) is False


@pytest.mark.parametrize(("value", "expected"), [
    ("12", 12), (" 12 ", 12), ("-3", -3), ("1.234", 1234), ("1 234", 1234),
    ("12,0", 12), (12, 12), (12.0, 12), ("157.000", 157000),
])
def test_int_accepts(value: str | int | float, expected: int) -> None:
    assert parse_int(value) == expected


@pytest.mark.parametrize("value", ["12,5", "1.23", "twaalf", "", "1e3", 12.5])
def test_int_rejects(value: str | float) -> None:
    info = rejects(parse_int, value)
    assert "geheel getal" in str(info.value)


@pytest.mark.parametrize(("value", "expected"), [
    ("52,84", 52.84), ("52.84", 52.84), ("-5,5", -5.5), ("1.234,5", 1234.5),
    ("1,234.5", 1234.5), (" 3 ", 3.0), (",5", 0.5), (7, 7.0), (2.25, 2.25),
])
def test_float_accepts(value: str | int | float, expected: float) -> None:
    assert parse_float(value) == pytest.approx(expected)


@pytest.mark.parametrize("value", ["", "abc", "1,2,3", "nan", "inf", "5,5 km"])
def test_float_rejects(value: str) -> None:
    info = rejects(parse_float, value)
    assert "geen getal" in str(info.value)


@pytest.mark.parametrize(("text", "expected"), [
    ("www.example.nl", "https://www.example.nl"),
    ("example.nl/activiteiten?wijk=1", "https://example.nl/activiteiten?wijk=1"),
    (" https://example.nl ", "https://example.nl"),
    ("http://example.nl/pad", "http://example.nl/pad"),
    ("HTTPS://Sub.Example.NL", "HTTPS://Sub.Example.NL"),
])
def test_url_accepts(text: str, expected: str) -> None:
    assert normalise_url(text) == expected


@pytest.mark.parametrize("text", ["example", "www.example .nl", "ftp://example.nl",
                                  "https://localhost", "mailto:info@example.nl", "example..nl",
                                  ""])
def test_url_rejects(text: str) -> None:
    info = rejects(normalise_url, text)
    assert "website" in str(info.value)


@pytest.mark.parametrize("value", ["twintig", "-5", "99999", True, "20 24"])
def test_an_area_year_must_be_a_year(value: object) -> None:
    from directory.errors import ValidationError
    from directory.records import clean_props

    with pytest.raises(ValidationError) as caught:
        clean_props("Area", {"code": "GM0268", "name": "Nijmegen", "year": value})
    assert caught.value.details[0].field == "year"
    assert "geen jaartal" in caught.value.details[0].message


def test_an_area_year_may_be_text_or_a_number() -> None:
    from directory.records import clean_props

    assert clean_props("Area", {"code": "GM0268", "name": "N", "year": "2024"})["year"] == 2024
    assert clean_props("Area", {"code": "GM0268", "name": "N", "year": 2023})["year"] == 2023
