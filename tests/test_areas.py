"""Tests for directory.areas: the bundled CBS areas, PC4 postcodes and retired gemeenten."""

from __future__ import annotations

import csv
import math
from importlib.resources import files

import pytest

from directory.areas import (
    AreaRecord,
    PostcodeInfo,
    area,
    current_gemeente_code,
    haversine_km,
    national_areas,
    pc4_centroid,
    postcode_info,
    postcodes_within,
    retired_gemeenten,
)


def _by_code() -> dict[str, AreaRecord]:
    return {a.code: a for a in national_areas()}


def test_counts_levels_and_year() -> None:
    areas = national_areas()
    gemeenten = [a for a in areas if a.level == "gemeente"]
    wijken = [a for a in areas if a.level == "wijk"]
    assert len(gemeenten) == 342
    assert len(wijken) == 3393
    assert len(areas) == 342 + 3393
    assert len({a.code for a in areas}) == len(areas)
    assert {a.year for a in areas} == {2024}
    assert all(a.code.startswith("GM") and len(a.code) == 6 for a in gemeenten)
    assert all(a.code.startswith("WK") and len(a.code) == 8 for a in wijken)


def test_order_gemeenten_first_then_wijken_sorted() -> None:
    areas = national_areas()
    assert areas[:342] == sorted(areas[:342], key=lambda a: a.code)
    assert areas[342:] == sorted(areas[342:], key=lambda a: a.code)
    assert areas[0].level == "gemeente" and areas[-1].level == "wijk"


def test_returns_a_fresh_list() -> None:
    first = national_areas()
    first.clear()
    assert len(national_areas()) == 342 + 3393


def test_nijmegen() -> None:
    nijmegen = _by_code()["GM0268"]
    assert nijmegen.name == "Nijmegen"
    assert nijmegen.level == "gemeente"
    assert nijmegen.parent is None
    assert nijmegen.population is not None and nijmegen.population > 170_000
    assert area("gm0268") == nijmegen


def test_every_gemeente_has_a_real_name_and_population() -> None:
    for a in national_areas():
        if a.level == "gemeente":
            assert a.name and not a.name.startswith("Gemeente "), a
            assert a.population is not None and a.population > 0, a


def test_wijk_parent_and_real_name() -> None:
    codes = _by_code()
    wijk = codes["WK026801"]
    assert wijk.level == "wijk"
    assert wijk.parent == "GM0268"
    assert wijk.name == "Nijmegen-Centrum"  # from wijknamen_regio_2024.csv
    assert codes["WK028101"].name == "Tiel-Noord"
    assert codes["WK196001"].name == "Deil"
    assert codes["WK196001"].parent == "GM1960"


def test_every_wijk_parent_is_a_gemeente() -> None:
    codes = _by_code()
    for a in national_areas():
        if a.level == "wijk":
            assert a.parent == "GM" + a.code[2:6]
            assert a.parent in codes and codes[a.parent].level == "gemeente"
            assert a.name


def test_fallback_wijk_name_is_readable() -> None:
    fallback = [a for a in national_areas() if a.level == "wijk" and a.name.startswith("Wijk ")]
    assert fallback, "most wijken outside the demo region use the fallback name"
    codes = _by_code()
    for a in fallback[:50]:
        assert a.parent is not None
        assert a.name == f"Wijk {a.code[6:8]} {codes[a.parent].name}"


def test_wijk_populations_add_up_roughly() -> None:
    areas = national_areas()
    wijk_sum: dict[str, int] = {}
    for a in areas:
        if a.level == "wijk" and a.parent and a.population is not None:
            wijk_sum[a.parent] = wijk_sum.get(a.parent, 0) + a.population
    nijmegen = _by_code()["GM0268"].population
    assert nijmegen is not None
    assert abs(wijk_sum["GM0268"] - nijmegen) <= 0.01 * nijmegen


@pytest.mark.parametrize("raw", ["6525", "6525 AB", "6525ab", " 6525AB ", "6525 ab"])
def test_postcode_formats(raw: str) -> None:
    info = postcode_info(raw)
    assert isinstance(info, PostcodeInfo)
    assert info.pc4 == "6525"
    assert info.gemeente == "GM0268"
    assert info.place == "Nijmegen"
    assert 51.7 < info.lat < 51.9 and 5.8 < info.lon < 5.95


@pytest.mark.parametrize("raw", ["", "abcd", "0123", "65", "65256", "6525 ABC", "0000"])
def test_postcode_invalid(raw: str) -> None:
    assert postcode_info(raw) is None
    assert pc4_centroid(raw) is None


def test_unknown_but_wellformed_postcode() -> None:
    known = {a for a in (postcode_info(str(n)) for n in range(1000, 10000)) if a}
    unknown = next(str(n) for n in range(1000, 10000) if postcode_info(str(n)) is None)
    assert len(known) > 4000
    assert postcode_info(unknown) is None
    assert postcodes_within(unknown, 5) == {}


def test_every_postcode_maps_to_a_current_gemeente() -> None:
    codes = {a.code for a in national_areas() if a.level == "gemeente"}
    retired = retired_gemeenten()
    path = files("directory").joinpath("data", "postcodes_pc4.csv")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len({r["pc4"] for r in rows}) > 4000
    for row in rows:
        assert row["gemeente"] in codes, row
        assert row["gemeente"] not in retired, row
        info = postcode_info(row["pc4"])
        assert info is not None and info.gemeente == row["gemeente"]
        # inside (roughly) the Netherlands
        assert 50.7 < info.lat < 53.6 and 3.3 < info.lon < 7.3, row


def test_former_geldermalsen_is_west_betuwe() -> None:
    info = postcode_info("4191")
    assert info is not None
    assert info.gemeente == "GM1960"
    assert _by_code()["GM1960"].name == "West Betuwe"
    assert current_gemeente_code("GM0236") == "GM1960"  # Geldermalsen
    assert current_gemeente_code("GM0733") == "GM1960"  # Lingewaal
    assert current_gemeente_code("GM0304") == "GM1960"  # Neerijnen
    assert current_gemeente_code("0236") == "GM1960"


def test_tiel_and_other_current_codes_unchanged() -> None:
    info = postcode_info("4001")
    assert info is not None and info.gemeente == "GM0281"
    assert current_gemeente_code("GM0281") == "GM0281"
    assert current_gemeente_code("GM0268") == "GM0268"
    assert current_gemeente_code("WK026801") == "WK026801"


def test_retired_gemeenten_mapping() -> None:
    retired = retired_gemeenten()
    codes = {a.code for a in national_areas() if a.level == "gemeente"}
    assert len(retired) >= 50
    assert not set(retired) & codes, "a retired code must not be a current gemeente"
    assert set(retired.values()) <= codes
    assert retired["GM0457"] == "GM0363"  # Weesp -> Amsterdam (2022)
    assert retired["GM0501"] == "GM1992"  # Brielle -> Voorne aan Zee (2023)
    assert retired["GM1684"] == "GM1982"  # Cuijk -> Land van Cuijk (2022)
    assert retired["GM0856"] == "GM1991"  # Uden -> Maashorst (2022)
    retired["GM0000"] = "GM9999"  # a copy: the module's mapping is untouched
    assert "GM0000" not in retired_gemeenten()


def test_haversine() -> None:
    nijmegen = pc4_centroid("6511")
    tiel = pc4_centroid("4001")
    assert nijmegen is not None and tiel is not None
    d = haversine_km(*nijmegen, *tiel)
    assert 27 <= d <= 40  # centre to centre about 30 km as the crow flies
    assert haversine_km(*tiel, *nijmegen) == pytest.approx(d)
    assert haversine_km(52.0, 5.0, 52.0, 5.0) == 0.0
    # one degree of latitude is about 111.2 km
    assert haversine_km(52.0, 5.0, 53.0, 5.0) == pytest.approx(111.2, abs=0.2)
    # Amsterdam Dam - Utrecht Dom, known ~35 km
    assert haversine_km(52.3731, 4.8926, 52.0907, 5.1214) == pytest.approx(35, abs=1.5)


def test_postcodes_within() -> None:
    near = postcodes_within("6525", 3)
    assert near["6525"] == 0.0
    assert next(iter(near)) == "6525"
    assert len(near) > 3
    assert "4001" not in near
    assert all(0.0 <= d <= 3.0 for d in near.values())
    assert list(near.values()) == sorted(near.values())
    centre = pc4_centroid("6525")
    assert centre is not None
    for pc4, d in near.items():
        other = pc4_centroid(pc4)
        assert other is not None
        assert math.isclose(d, haversine_km(*centre, *other), abs_tol=0.001)
    # the same answer for a full postcode, and a wider radius is a superset
    assert postcodes_within("6525 AB", 3) == near
    wider = postcodes_within("6525", 40)
    assert set(near) <= set(wider)
    assert "4001" in wider


def test_postcodes_within_is_exhaustive() -> None:
    """The bounding-box shortcut must not drop anything a full scan would find."""
    centre = pc4_centroid("9401")  # Assen, further north
    assert centre is not None
    for km in (2.0, 15.0, 60.0):
        expected = set()
        for n in range(1000, 10000):
            c = pc4_centroid(str(n))
            if c is not None and haversine_km(*centre, *c) <= km:
                expected.add(str(n))
        assert set(postcodes_within("9401", km)) == expected


def test_postcodes_within_zero_and_negative() -> None:
    assert postcodes_within("6525", 0) == {"6525": 0.0}
    assert postcodes_within("6525", -1) == {}
