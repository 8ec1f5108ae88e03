"""Build the compact area and postcode package data in ``directory/data/``.

Reads the real public data under ``shared/data`` (see its SOURCES.md) and writes:

* ``areas_2024.csv``        code,name,level,parent,population,year — 342 gemeenten + 3393 wijken
* ``postcodes_pc4.csv``     pc4,place,gemeente,lat,lon — one row per PC4, current GM code
* ``retired_gemeenten.csv`` old_code,old_name,new_code,new_name — codes retired by mergers

Usage (from the repository root)::

    python tools/build_area_data.py [SHARED_DATA_DIR]   # default: ../shared/data

The output is deterministic: running it twice gives byte-identical files. Standard library
only; point-in-polygon is a plain even-odd ray cast over the generalised 2023 polygons.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "data"
OUT_DIR = REPO_ROOT / "directory" / "data"
YEAR = 2024

KERNCIJFERS = Path("cbs/kerncijfers_2024_gemeente_wijk.json")
GEMEENTE_GEOJSON = Path("cbs/gemeente_2023.geojson")
WIJKNAMEN = Path("cbs/wijknamen_regio_2024.csv")
GEONAMES = Path("postcodes/geonames_NL_pc4.tsv")

Ring = list[tuple[float, float]]  # (lon, lat) pairs


@dataclass
class Gemeente:
    code: str
    name: str
    polygons: list[list[Ring]]  # each polygon: outer ring + holes
    bbox: tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat


# --------------------------------------------------------------------------- geometry


def _ring_crossings(lon: float, lat: float, ring: Sequence[tuple[float, float]]) -> bool:
    """Even-odd ray cast (ray towards +lon); True when the ray crosses the ring oddly often."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat):
            x_cross = xi + (lat - yi) * (xj - xi) / (yj - yi)
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def point_in_polygon(
    lon: float, lat: float, polygon: Sequence[Sequence[tuple[float, float]]]
) -> bool:
    """Inside the outer ring and not inside a hole (even-odd over all rings)."""
    inside = False
    for ring in polygon:
        if _ring_crossings(lon, lat, ring):
            inside = not inside
    return inside


def gemeente_contains(gem: Gemeente, lon: float, lat: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = gem.bbox
    if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
        return False
    return any(point_in_polygon(lon, lat, poly) for poly in gem.polygons)


def _approx_km2(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Squared equirectangular distance in km²; fine for ranking nearby points."""
    kx = 111.32 * math.cos(math.radians((lat1 + lat2) / 2))
    return ((lon2 - lon1) * kx) ** 2 + ((lat2 - lat1) * 110.57) ** 2


def locate(gemeenten: Iterable[Gemeente], lat: float, lon: float) -> tuple[str, str]:
    """Return (GM code, method) for a point: 'polygon' or 'nearest' (nearest vertex)."""
    gems = list(gemeenten)
    hits = [g.code for g in gems if gemeente_contains(g, lon, lat)]
    if hits:
        return sorted(hits)[0], "polygon"
    best_code, best_d = "", math.inf
    for g in gems:
        for poly in g.polygons:
            for ring in poly[:1]:  # outer rings only
                for vlon, vlat in ring:
                    d = _approx_km2(lat, lon, vlat, vlon)
                    if d < best_d:
                        best_code, best_d = g.code, d
    return best_code, "nearest"


# --------------------------------------------------------------------------- readers


def read_gemeenten(path: Path) -> dict[str, Gemeente]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, Gemeente] = {}
    for feat in data["features"]:
        props = feat["properties"]
        geom = feat["geometry"]
        if geom["type"] == "Polygon":
            raw = [geom["coordinates"]]
        elif geom["type"] == "MultiPolygon":
            raw = geom["coordinates"]
        else:
            raise ValueError(f"unexpected geometry {geom['type']} for {props['statcode']}")
        polygons = [[[(float(p[0]), float(p[1])) for p in ring] for ring in poly] for poly in raw]
        lons = [p[0] for poly in polygons for p in poly[0]]
        lats = [p[1] for poly in polygons for p in poly[0]]
        code = props["statcode"]
        out[code] = Gemeente(
            code, props["statnaam"], polygons, (min(lons), min(lats), max(lons), max(lats))
        )
    return out


def read_geonames(path: Path) -> list[dict[str, str]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for rec in csv.reader(fh, delimiter="\t"):
            if not rec or len(rec) < 11:
                continue
            rows.append(
                {
                    "pc4": rec[1].strip(),
                    "place": rec[2].strip(),
                    "gemeente_name": rec[5].strip(),
                    "gemeente_code": "GM" + rec[6].strip().zfill(4) if rec[6].strip() else "",
                    "lat": rec[9],
                    "lon": rec[10],
                }
            )
    return rows


# --------------------------------------------------------------------------- build


def _pop(value: object) -> str:
    if value is None or value == "":
        return ""
    return str(int(value))  # type: ignore[call-overload]


def build_areas(
    kern: dict[str, dict[str, object]],
    gemeenten: dict[str, Gemeente],
    wijknamen: dict[str, str],
    report: list[str],
) -> list[list[str]]:
    gm_codes = sorted(c for c in kern if c.startswith("GM"))
    wk_codes = sorted(c for c in kern if c.startswith("WK"))
    other = sorted(c for c in kern if not c.startswith(("GM", "WK")))
    if other:
        report.append(f"ignored {len(other)} non-GM/WK codes in kerncijfers: {other[:5]}")
    missing = [c for c in gm_codes if c not in gemeenten]
    extra = sorted(set(gemeenten) - set(gm_codes))
    report.append(
        f"gemeenten: {len(gm_codes)} in kerncijfers 2024, {len(gemeenten)} in geojson 2023; "
        f"2024 codes without a 2023 name: {missing or 'none'}; "
        f"2023 codes not in 2024: {extra or 'none'}"
    )
    names = {c: g.name for c, g in gemeenten.items()}
    rows: list[list[str]] = []
    for code in gm_codes:
        name = names.get(code, f"Gemeente {code[2:]}")
        rows.append(
            [code, name, "gemeente", "", _pop(kern[code].get("AantalInwoners_5")), str(YEAR)]
        )
    fallback = 0
    orphans = []
    for code in wk_codes:
        parent = "GM" + code[2:6]
        if parent not in kern:
            orphans.append(code)
        name = wijknamen.get(code)
        if not name:
            fallback += 1
            name = f"Wijk {code[6:8]} {names.get(parent, parent)}"
        rows.append(
            [code, name, "wijk", parent, _pop(kern[code].get("AantalInwoners_5")), str(YEAR)]
        )
    nulls = sum(1 for c in kern if kern[c].get("AantalInwoners_5") is None)
    report.append(
        f"wijken: {len(wk_codes)}; {len(wk_codes) - fallback} real names, {fallback} fallback "
        f"names; parents missing: {orphans or 'none'}; null populations: {nulls}"
    )
    return rows


def build_postcodes(
    geo_rows: list[dict[str, str]],
    gemeenten: dict[str, Gemeente],
    current: set[str],
    report: list[str],
) -> tuple[list[list[str]], list[list[str]]]:
    located: dict[tuple[str, str], str] = {}
    methods: Counter[str] = Counter()
    retired_votes: dict[str, Counter[str]] = defaultdict(Counter)
    retired_names: dict[str, str] = {}
    namesake: dict[str, str] = {}  # where the place named like the old gemeente went
    gems = list(gemeenten.values())
    disagree = 0
    name_mismatch: set[tuple[str, str, str]] = set()
    resolved: list[tuple[dict[str, str], str]] = []
    for row in geo_rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        code = row["gemeente_code"]
        key = (row["lat"], row["lon"])
        if key not in located:
            located[key], method = locate(gems, lat, lon)
            methods[method] += 1
        here = located[key]
        if code in current:
            new = code
            if here != code:
                disagree += 1
            if code in gemeenten and gemeenten[code].name != row["gemeente_name"]:
                name_mismatch.add((code, row["gemeente_name"], gemeenten[code].name))
        else:
            new = here
            retired_votes[code][new] += 1
            retired_names.setdefault(code, row["gemeente_name"])
            if row["place"] == row["gemeente_name"]:
                namesake.setdefault(code, new)
        resolved.append((row, new))

    by_pc4: dict[str, list[tuple[dict[str, str], str]]] = defaultdict(list)
    for row, new in resolved:
        by_pc4[row["pc4"]].append((row, new))
    pc_rows: list[list[str]] = []
    split = 0
    for pc4 in sorted(by_pc4):
        entries = by_pc4[pc4]
        votes = Counter(new for _, new in entries)
        if len(votes) > 1:
            split += 1
        top = max(votes.values())
        # majority gemeente; on a tie the one of the first GeoNames row
        chosen = next(new for _, new in entries if votes[new] == top)
        mine = [row for row, new in entries if new == chosen]
        lat = sum(float(r["lat"]) for r in mine) / len(mine)
        lon = sum(float(r["lon"]) for r in mine) / len(mine)
        pc_rows.append([pc4, mine[0]["place"], chosen, f"{lat:.4f}", f"{lon:.4f}"])

    ret_rows: list[list[str]] = []
    for old in sorted(retired_votes):
        votes = retired_votes[old]
        top = max(votes.values())
        leaders = sorted(c for c, n in votes.items() if n == top)
        # majority; on a tie the gemeente that got the namesake place, else the lowest code
        new = namesake[old] if namesake.get(old) in leaders else leaders[0]
        ret_rows.append([old, retired_names[old], new, gemeenten[new].name])
        if len(votes) > 1:
            spread = ", ".join(f"{c} {gemeenten[c].name} x{n}" for c, n in votes.most_common())
            tie = f" (tie: kept {new}, see tie rule)" if len(leaders) > 1 else ""
            report.append(f"retired {old} {retired_names[old]} split over: {spread}{tie}")
    report.append(
        f"postcodes: {len(geo_rows)} GeoNames rows, {len(pc_rows)} distinct PC4; "
        f"{split} PC4 with rows in more than one gemeente (majority kept); "
        f"{len(ret_rows)} retired gemeente codes; location methods {dict(methods)}; "
        f"{disagree} rows with a current code whose point falls in another (generalised) polygon"
    )
    for code, geo_name, cbs_name in sorted(name_mismatch):
        report.append(f"name differs for {code}: GeoNames {geo_name!r} vs CBS {cbs_name!r}")
    return pc_rows, ret_rows


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", nargs="?", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    shared: Path = args.shared
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    report: list[str] = []

    kern = json.loads((shared / KERNCIJFERS).read_text(encoding="utf-8"))
    gemeenten = read_gemeenten(shared / GEMEENTE_GEOJSON)
    with (shared / WIJKNAMEN).open(encoding="utf-8", newline="") as fh:
        wijknamen = {r["wijkcode"]: r["wijknaam"] for r in csv.DictReader(fh)}

    areas = build_areas(kern, gemeenten, wijknamen, report)
    current = {c for c in kern if c.startswith("GM")}
    # A 2024 gemeente without a 2023 polygon cannot receive retired postcodes; note it.
    usable = {c: g for c, g in gemeenten.items() if c in current}
    pc_rows, ret_rows = build_postcodes(read_geonames(shared / GEONAMES), usable, current, report)

    known = {r[0] for r in areas}
    bad = sorted({r[2] for r in pc_rows if r[2] not in known})
    if bad:
        report.append(f"ERROR postcode gemeente codes not in areas: {bad}")

    write_csv(
        out / "areas_2024.csv", ["code", "name", "level", "parent", "population", "year"], areas
    )
    write_csv(out / "postcodes_pc4.csv", ["pc4", "place", "gemeente", "lat", "lon"], pc_rows)
    write_csv(
        out / "retired_gemeenten.csv", ["old_code", "old_name", "new_code", "new_name"], ret_rows
    )
    for line in report:
        print(line)
    for old, old_name, new, new_name in ret_rows:
        print(f"  {old} {old_name} -> {new} {new_name}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
