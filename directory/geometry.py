"""Area boundaries: check a GeoJSON (Multi)Polygon and keep it compact.

An area's ``geometry`` property is GeoJSON text in WGS84 (lon, lat), coordinates rounded
to 5 decimals (about 1 m) and simplified until it fits in ``MAX_GEOMETRY_CHARS``, so that
a national set of boundaries stays small in the store and in exports.
"""

from __future__ import annotations

import json
import math
from typing import Any

from shapely import make_valid, set_precision
from shapely.geometry import mapping, shape
from shapely.ops import unary_union
from shapely.validation import explain_validity

__all__ = ["MAX_GEOMETRY_CHARS", "clean_geometry", "bbox"]

MAX_GEOMETRY_CHARS = 20_000
_TYPES = ("Polygon", "MultiPolygon")
_DECIMALS = 5
_MIN_AREA = 1e-10  # square degrees: about 1 m² in the Netherlands


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"coördinaat is geen getal: {value!r}")
    return float(value)


def _ring(ring: Any, where: str) -> list[list[float]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValueError(f"{where}: een ring heeft minstens 4 punten nodig")
    points: list[list[float]] = []
    for point in ring:
        if not isinstance(point, list) or len(point) < 2:
            raise ValueError(f"{where}: punt {point!r} is geen [lengte, breedte]")
        lon, lat = _number(point[0]), _number(point[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(f"{where}: punt [{lon}, {lat}] ligt buiten WGS84 "
                             "(verwacht lengte -180..180, breedte -90..90)")
        points.append([lon, lat])
    if points[0] != points[-1]:
        raise ValueError(f"{where}: ring is niet gesloten (eerste en laatste punt verschillen)")
    return points


def _polygon(rings: Any, where: str) -> list[list[list[float]]]:
    if not isinstance(rings, list) or not rings:
        raise ValueError(f"{where}: polygoon zonder ringen")
    return [_ring(ring, where) for ring in rings]


def _checked(geometry: Any) -> dict[str, Any]:
    """The geometry as a dict after checking its type, rings and coordinates."""
    if isinstance(geometry, str):
        try:
            geometry = json.loads(geometry)
        except json.JSONDecodeError as exc:
            raise ValueError(f"geen geldige GeoJSON ({exc.msg})") from None
    if not isinstance(geometry, dict):
        raise ValueError("geometrie ontbreekt of is geen GeoJSON-object")
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind not in _TYPES:
        raise ValueError(f"geometrietype '{kind}' wordt niet ondersteund "
                         "(verwacht Polygon of MultiPolygon)")
    if kind == "Polygon":
        return {"type": kind, "coordinates": _polygon(coordinates, "Polygon")}
    if not isinstance(coordinates, list) or not coordinates:
        raise ValueError("MultiPolygon zonder polygonen")
    return {"type": kind, "coordinates": [_polygon(p, f"polygoon {i}")
                                          for i, p in enumerate(coordinates, 1)]}


def _rounded(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return round(float(value), _DECIMALS)


def _text(geometry: dict[str, Any]) -> str:
    return json.dumps({"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])},
                      separators=(",", ":"))


def _repaired(figure: Any) -> Any:
    """A self-touching or self-crossing outline (common in generalised CBS maps) made
    valid on the 5-decimal grid; ValueError when nothing with an area is left."""
    fixed = set_precision(make_valid(figure), 10 ** -_DECIMALS)
    if fixed.geom_type == "GeometryCollection":
        parts = [g for g in fixed.geoms if g.geom_type in _TYPES]
        fixed = unary_union(parts) if parts else fixed
    if fixed.geom_type not in _TYPES or fixed.is_empty or fixed.area < _MIN_AREA:
        raise ValueError(f"ongeldige geometrie zonder oppervlakte: {explain_validity(figure)}")
    return fixed


def _compact(figure: Any) -> str:
    """The geometry as rounded text, valid as rounded (repaired when rounding broke it)."""
    text = _text(dict(mapping(figure)))
    rounded = shape(json.loads(text))
    if not rounded.is_valid:
        text = _text(dict(mapping(_repaired(rounded))))
    return text


def clean_geometry(value: Any) -> str:
    """Compact GeoJSON text of a valid Polygon/MultiPolygon; ValueError says what is wrong.

    Structure errors (type, unclosed ring, coordinates) and outlines without area are
    refused; an outline that only crosses or touches itself is repaired (shapely's
    ``make_valid``)."""
    figure = shape(_checked(value))
    if figure.area < _MIN_AREA:
        raise ValueError("geometrie heeft geen oppervlakte (alle punten op één lijn?)")
    if not figure.is_valid:
        figure = _repaired(figure)
    text = _compact(figure)
    tolerance = 0.0001
    while len(text) > MAX_GEOMETRY_CHARS and tolerance < 1:
        simpler = figure.simplify(tolerance, preserve_topology=True)
        if simpler.geom_type in _TYPES and not simpler.is_empty:
            text = _compact(simpler)
        tolerance *= 2
    return text


def bbox(text: str) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of a stored geometry."""
    bounds = shape(json.loads(text)).bounds
    return (float(bounds[0]), float(bounds[1]), float(bounds[2]), float(bounds[3]))
