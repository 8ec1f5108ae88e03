"""GeoJSON boundaries of CBS areas (gemeente, wijk, buurt) → area records with a geometry.

Understood properties: the cartomap/PDOK layout (``statcode``, ``statnaam``) and the CBS
wijk- en buurtkaart layout (``gemeentecode``/``gemeentenaam``, ``wijkcode``/``wijknaam``,
``buurtcode``/``buurtnaam``). Each feature is numbered from 1 in messages; the geometry
itself is checked (type, closed rings, coordinates, validity) by ``clean_props`` through
:func:`directory.geometry.clean_geometry`.
"""

from __future__ import annotations

import json
from typing import Any

from directory.errors import Detail
from directory.importing import Record
from directory.model import AREA
from importers.areacodes import SOURCE, area_record, sort_areas
from importers.cbs import json_error

__all__ = ["parse_geojson"]

# most specific first: a buurt feature also names its wijk and gemeente
_CODE_KEYS = ("statcode", "buurtcode", "wijkcode", "gemeentecode", "code")
_NAME_KEYS = {"statcode": "statnaam", "buurtcode": "buurtnaam", "wijkcode": "wijknaam",
              "gemeentecode": "gemeentenaam", "code": "naam"}


def _feature(number: int, feature: Any) -> Record:
    def problem(field: str, message: str) -> Record:
        return Record(number, AREA, {}, source=SOURCE, problem=Detail(field, message, number))

    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return problem("type", "geen GeoJSON-Feature")
    props = feature.get("properties")
    if not isinstance(props, dict):
        return problem("properties", "properties ontbreken")
    key = next((k for k in _CODE_KEYS if str(props.get(k) or "").strip()), None)
    if key is None:
        return problem("statcode", "CBS-code ontbreekt (verwacht statcode, buurtcode, "
                                   "wijkcode of gemeentecode)")
    values: dict[str, Any] = {"geometry": feature.get("geometry")}
    fields = {"code": key, "geometry": "geometry"}
    name = str(props.get(_NAME_KEYS[key]) or "").strip()
    if name:
        values["name"] = name
        fields["name"] = _NAME_KEYS[key]
    if values["geometry"] is None:
        return problem("geometry", "geometrie ontbreekt")
    return area_record(number, str(props[key]), values, fields)


def parse_geojson(text: str) -> list[Record]:
    """Area records (code, name, geometry) from a FeatureCollection; pure."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise json_error(exc) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError("geen GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise ValueError("GeoJSON zonder lijst 'features'")
    return sort_areas([_feature(number, feature) for number, feature in enumerate(features, 1)])
